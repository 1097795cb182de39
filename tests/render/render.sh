#!/usr/bin/env bash
# render.sh BULLETIN TESTDIR SHAREDDIR - every sample rendered with every
# layout and read back by independent readers: qpdf --check, pdffonts (all
# fonts embedded, subset, with ToUnicode), pdftotext (the input's text comes
# back), mutool (renders), pdf-lines (zero line-breaking faults), and two
# renders byte-identical.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
SHARED=$3
export TZ=UTC
HERE=$(dirname "$0")
need qpdf pdffonts pdftotext mutool python3

for src in samples/*.txt; do
  for layout in zhuanbao jianbao gongwen; do
    name=$(basename "$src" .txt)-$layout
    out="$TMP/$name.pdf"
    run "$BIN" render "$src" --layout $layout -o "$out"
    if grep -q '^发文字号' "$src" && [ $layout != gongwen ]; then
      # a 公文 needs a layout with the 公文 frame (docs/layouts.md [document])
      expect_status 1 "$name refused"
      expect_err_has "is placed by a layout with the 公文 frame" "$name: the error says why"
      continue
    fi
    expect_status 0 "render $name"
    [ -s "$out" ] || continue
    run qpdf --check "$out"
    expect_status 0 "qpdf --check $name"
    check "qpdf finds no problem in $name" grep -q "No syntax or stream encoding errors" "$TMP/out"
    pdffonts "$out" | tail -n +3 >"$TMP/fonts"
    check "$name has fonts" test -s "$TMP/fonts"
    # columns: name type encoding emb sub uni object ID
    check "every font of $name embedded, subset, with ToUnicode" \
      awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes" || $(NF-2) != "yes") exit 1 }' "$TMP/fonts"
    check "every font of $name is Identity-H" awk '{ if ($(NF-5) != "Identity-H") exit 1 }' "$TMP/fonts"
    notoc=""
    [ $layout = gongwen ] && notoc=--no-toc
    run python3 "$HERE/text_check.py" "$src" "$out" $notoc
    expect_status 0 "the text of $src comes back from $name"
    run mutool draw -q -o /dev/null "$out"
    expect_status 0 "mutool renders $name"
    # (MuPDF's own note that it was built without ICC support is not about the file)
    check "mutool says nothing about $name" test -z "$(grep -v 'ICC support is not available' "$TMP/err")"
    if [ -x "$SHARED/tools/pdf-lines" ]; then
      run "$SHARED/tools/pdf-lines" "$out" --quiet
      expect_status 0 "pdf-lines finds no line-breaking fault in $name"
    fi
  done
done

# Deterministic: two renders give the same bytes; SOURCE_DATE_EPOCH sets the date.
"$BIN" render samples/zhuanbao-2023-08.txt -o "$TMP/a.pdf" >/dev/null
"$BIN" render samples/zhuanbao-2023-08.txt -o "$TMP/b.pdf" >/dev/null
check "two renders are byte-identical" cmp -s "$TMP/a.pdf" "$TMP/b.pdf"
run pdfinfo "$TMP/a.pdf"
expect_out_has "Title:           专报 2023年第8期" "Info Title is 刊名 + 期号"
expect_out_has "Author:          推进产业工人队伍建设改革协调小组办公室" "Info Author is 编印"
expect_out_has "Creator:         bulletin " "Info Creator"
expect_out_has "CreationDate:    Tue Mar 28 00:00:00 2023 UTC" "CreationDate is the issue date"
SOURCE_DATE_EPOCH=1700000000 "$BIN" render samples/zhuanbao-2023-08.txt -o "$TMP/c.pdf" >/dev/null
run pdfinfo "$TMP/c.pdf"
expect_out_has "CreationDate:    Tue Nov 14 22:13:20 2023 UTC" "SOURCE_DATE_EPOCH gives the date"

# A decimal-comma locale changes no byte of any output: bulletin calls
# setlocale(LC_ALL, ""), so a %f anywhere would write "1,5".
expect_comma_locale
for fmt in pdf svg ofd; do
  for loc in C.UTF-8 $COMMA_LOCALE; do
    mkdir -p "$TMP/$fmt-$loc"
    run env LC_ALL=$loc "$BIN" render samples/zhuanbao-2023-08.txt -o "$TMP/$fmt-$loc/doc.$fmt" \
      --dump-layout "$TMP/$fmt-$loc/doc.json"
    expect_status 0 "render $fmt under $loc"
  done
  check "$COMMA_LOCALE gives the same $fmt bytes and layout dump as C.UTF-8" \
    diff -r "$TMP/$fmt-C.UTF-8" "$TMP/$fmt-$COMMA_LOCALE"
done
check "the PDF under $COMMA_LOCALE is the one rendered without a locale" \
  cmp -s "$TMP/a.pdf" "$TMP/pdf-$COMMA_LOCALE/doc.pdf"

finish
