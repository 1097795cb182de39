#!/bin/sh
# layout.sh BULLETIN TESTDIR - positions on the page, from the layout dump and
# from the PDF read back (pdftotext -bbox-layout), for the sample.
set -e
BIN=$1
. "$2/lib.sh"
HERE=$(dirname "$0")
run "$BIN" render samples/zhuanbao-2023-08.txt -o "$TMP/s.pdf" --dump-layout "$TMP/s.json"
expect_status 0 "render the sample with a dump"
# A long article, for full pages of body text.
python3 - "$TMP/long.txt" <<'PY'
import sys
para = "省协调小组各成员单位立足职责任务，各市严格对照督查考核指标，逐项对照自查，推动各级党委政府深化产业工人队伍建设改革。"
open(sys.argv[1], "w", encoding="utf-8").write(
    "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n# 长文章\n\n" + "\n\n".join(para * (2 + i % 4) for i in range(40)) + "\n")
PY
run "$BIN" render "$TMP/long.txt" -o "$TMP/long.pdf" --dump-layout "$TMP/long.json"
expect_status 0 "render a long article"
run python3 "$HERE/positions.py" "$TMP/s.json" "$TMP/s.pdf" "$TMP/long.json"
cat "$TMP/out"
expect_status 0 "positions of the sample"
finish
