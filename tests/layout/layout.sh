#!/usr/bin/env bash
# layout.sh BULLETIN TESTDIR - positions on the page, from the layout dump and
# from the PDF read back (pdftotext -bbox-layout), for the sample.
set -euo pipefail
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
# A 目录 with page numbers (two passes): each entry ends with its page.
printf 'base = zhuanbao\n[toc]\npage-numbers = yes\n' >"$TMP/tocp.layout"
run "$BIN" render samples/zhuanbao-2023-08.txt --layout "$TMP/tocp.layout" -o "$TMP/tocp.pdf"
expect_status 0 "render with 目录 page numbers"
pdftotext -f 1 -l 1 -layout "$TMP/tocp.pdf" - | tr -d ' ' >"$TMP/toc.txt"
for entry in '人队伍建设改革…*2$' '产业工人队伍建设改革工作信息…*4$' '1\.江苏省委书记对产改评价考核情况作出批示…*4$' \
             '3\.四川省举办职工创新大会…*5$' '作用…*6$'; do
  check "目录 entry /$entry/" grep -q "$entry" "$TMP/toc.txt"
done
pdftotext -f 5 -l 5 "$TMP/tocp.pdf" - | tr -d ' \n' >"$TMP/p5.txt"
check "the item the 目录 puts on page 5 is there" grep -q "四川省举办职工创新大会" "$TMP/p5.txt"
finish
