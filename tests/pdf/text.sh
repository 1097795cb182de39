#!/bin/sh
# text.sh BULLETIN TESTDIR SHAREDDIR - what readers make of the samples' text: every
# /W matches the embedded font program (no narrow twin, widths.py); poppler
# and MuPDF read no space into Chinese running text that the source lacks
# (pdf-spaces), and each printed line reads as one line (pdf-lines); a
# metadata string over libharu's 64 KiB limit is cut with "…", not fatal.
set -e
BIN=$1
. "$2/lib.sh"
export TZ=UTC
TOOLS="$3/tools"
[ -x "$TOOLS/pdf-spaces" ] || { echo "SKIP: no $TOOLS/pdf-spaces" >&2; exit 77; }
for tool in qpdf pdftotext pdfinfo mutool /usr/bin/python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
done
/usr/bin/python3 -c 'import fontTools' 2>/dev/null || { echo "SKIP: no python3-fonttools" >&2; exit 77; }

for s in samples/*.txt; do
  b=$(basename "$s" .txt)
  run "$BIN" render "$s" -o "$TMP/$b.pdf"
  expect_status 0 "$b renders"
  run /usr/bin/python3 "$2/pdf/widths.py" "$TMP/$b.pdf"
  expect_status 0 "$b: every /W is the font program's width"
  run "$TOOLS/pdf-lines" "$TMP/$b.pdf" --quiet
  expect_status 0 "$b: every line reads as one line"
  run "$TOOLS/pdf-spaces" "$TMP/$b.pdf" "$s"
  expect_out_has "spurious spaces in Chinese text: poppler 0," "$b: poppler reads no spurious space"
  case $b in
    *) expect_out_has ", MuPDF 0" "$b: MuPDF reads no spurious space" ;;
  esac
done

# Lines with compressed marks read as one line in MuPDF too (poppler's are
# checked by pdf-lines above).
run mutool draw -F txt -o "$TMP/mu.txt" "$TMP/zhuanbao-2023-08.pdf"
for line in '调小组”）组织实施，省总工会牵头制定督查考核指标体系和督查' \
    '市落实“三做到、四列入”：做到纳入当地发展规划、编制专项规' \
    '划；做到地方党委主要负责同志高度重视；做到形成落实产改的政'; do
  check "MuPDF reads one line: $line" grep -qxF "$line" "$TMP/mu.txt"
done

# 3,300 short articles: the Subject (every title joined) passes 65,535 bytes.
python3 - "$TMP/long.txt" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("报头：测试小组\n刊名：工作简报\n期号：2024年第3期\n日期：2024-02-29\n版式：jianbao\n\n")
    for i in range(3300):
        f.write(f"# 短文第{i}篇的标题\n\n正文。\n\n")
PY
run "$BIN" render "$TMP/long.txt" -o "$TMP/long.pdf"
expect_status 0 "a Subject over libharu's string limit is no error"
run pdfinfo -enc UTF-8 "$TMP/long.pdf"
expect_status 0 "pdfinfo reads it"
grep '^Subject:' "$TMP/out" >"$TMP/subject" || true
check "the Subject is cut with …" grep -q '篇的标题…$' "$TMP/subject"
check "the Subject starts with the first title" grep -q '^Subject: *短文第0篇的标题；' "$TMP/subject"
finish
