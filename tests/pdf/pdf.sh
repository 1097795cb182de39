#!/usr/bin/env bash
# pdf.sh SAMPLE TESTDIR - the PDF backend read back by independent readers:
# pdf_sample writes a hand-built page; qpdf --check finds nothing, pdffonts
# lists every font embedded + subset + ToUnicode, pdftotext returns the exact
# text (𠮷 included), MuPDF renders every page silently and finds every
# character at the origin the display list gave it, pdfinfo shows the Info
# and page count, and two renders are byte-identical.
set -euo pipefail
SAMPLE=$1
. "$2/lib.sh"
export TZ=UTC
need qpdf pdffonts pdftotext pdfinfo mutool

run "$SAMPLE" "$TMP/a.pdf" "$TMP/pos.txt"
expect_status 0 "pdf_sample writes the PDF"
expect_file "$TMP/a.pdf" "the PDF"
run "$SAMPLE" "$TMP/b.pdf"
expect_status 0 "pdf_sample writes it again"
check "two renders are byte-identical" cmp -s "$TMP/a.pdf" "$TMP/b.pdf"
run env LC_ALL=C.UTF-8 LC_NUMERIC=C.UTF-8 "$SAMPLE" "$TMP/c.pdf"
check "a third render under another locale setting is byte-identical" cmp -s "$TMP/a.pdf" "$TMP/c.pdf"

run qpdf --check "$TMP/a.pdf"
expect_status 0 "qpdf --check"
expect_out_has "No syntax or stream encoding errors found" "qpdf --check"
check "qpdf prints no warning" test ! -s "$TMP/err"

# pdffonts columns: name type encoding emb sub uni object ID
pdffonts "$TMP/a.pdf" | tail -n +3 >"$TMP/fonts"
check "three fonts" test "$(wc -l <"$TMP/fonts")" -eq 3
check "every font embedded, subset, with ToUnicode" \
  awk '{ n = NF; if ($(n-4) != "yes" || $(n-3) != "yes" || $(n-2) != "yes") bad = 1 }
       END { exit bad }' "$TMP/fonts"
check "Noto Serif CJK SC Black as CID Type 0C" \
  grep -Eq '^[A-Z]{6}\+NotoSerifCJKsc-Black-Identity-H +CID Type 0C +Identity-H' "$TMP/fonts"
check "Noto Serif CJK SC Regular as CID Type 0C" \
  grep -Eq '^[A-Z]{6}\+NotoSerifCJKsc-Regular-Identity-H +CID Type 0C +Identity-H' "$TMP/fonts"
check "LXGW WenKai as CID TrueType" \
  grep -Eq '^[A-Z]{6}\+LXGWWenKai-Regular +CID TrueType +Identity-H' "$TMP/fonts"

run pdftotext "$TMP/a.pdf" -
expect_status 0 "pdftotext"
tr -d ' \n\t\f' <"$TMP/out" >"$TMP/text"
printf '%s' '关于“引号”用法的通报依据GB/T9704—2012，完成率87.6%。吉祥的𠮷字与䶮字都要印出来。楷体的‘单引号’和“双引号”。AVATARToWa,100%第二页正文。附件：楷体' >"$TMP/want"
check "pdftotext returns the exact text" cmp -s "$TMP/text" "$TMP/want"
cmp -s "$TMP/text" "$TMP/want" || { echo "got:  $(cat "$TMP/text")" >&2; echo "want: $(cat "$TMP/want")" >&2; }
check "pdftotext is silent" test ! -s "$TMP/err"

run pdfinfo "$TMP/a.pdf"
expect_status 0 "pdfinfo"
expect_out_has "Title:           关于“引号”用法的通报" "pdfinfo Title"
expect_out_has "Author:          测试编辑部" "pdfinfo Author"
expect_out_has "Creator:         bulletin pdf_sample" "pdfinfo Creator"
expect_out_has "CreationDate:    Fri Mar 15 09:00:00 2024 UTC" "pdfinfo CreationDate"
expect_out_has "Pages:           3" "pdfinfo Pages"
expect_out_has "Page size:       595.276 x 841.89 pts (A4)" "pdfinfo page size"
check "an /ID, hashed from the content (the same in both renders)" grep -aq '/ID \[<[0-9A-F]\{32\}> <[0-9A-F]\{32\}>\]' "$TMP/a.pdf"

# Page labels: decimal from 1 on the numbered pages, an empty label range
# (no style, no prefix) from the unnumbered third page on. Outline: level 1
# nests under the level-0 entry before it; destinations at the entry's y.
qpdf --json --json-key=pagelabels --json-key=outlines "$TMP/a.pdf" | tr -d ' \n' >"$TMP/json"
check "page labels" grep -qF '"pagelabels":[{"index":0,"label":{"/S":"/D","/St":1}},{"index":2,"label":{"/St":1}}]' "$TMP/json"
check "outline nesting, titles and destinations" grep -Eq \
  '"outlines":\[\{"dest":\[[^]]*"/XYZ",null,790,null\],"destpageposfrom1":1,"kids":\[\{"dest":\[[^]]*"/XYZ",null,716,null\],"destpageposfrom1":1,"kids":\[\],[^}]*"title":"正文"\}\],[^}]*"title":"关于“引号”用法的通报"\},\{"dest":\[[^]]*"/XYZ",null,780,null\],"destpageposfrom1":2,"kids":\[\],[^}]*"title":"第二页"\}\]' \
  "$TMP/json"

# MuPDF: renders both pages; its only allowed chatter is its progress lines
# and a note about its own build (no ICC support in Debian's mutool).
run mutool draw -o /dev/null "$TMP/a.pdf"
expect_status 0 "mutool draw"
check "mutool draw reports no error" \
  sh -c "! grep -v -e '^page ' -e '^warning: ICC support is not available$' '$TMP/err'"
check "mutool draws 3 pages" test "$(grep -c '^page ' "$TMP/err")" -eq 3

# Every glyph where the display list put it: MuPDF's structured text gives
# each character's origin (y from the top); compare within 0.01 pt.
run mutool draw -q -F stext -o "$TMP/stext.xml" "$TMP/a.pdf"
expect_status 0 "mutool stext"
awk -v H=841.89 '
  function hex(s,   v, i) {
    v = 0
    for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
    return v
  }
  BEGIN { for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i }
  FNR == NR { want[++nw] = $0; next }
  /<char / {
    match($0, / x="[^"]*"/); x = substr($0, RSTART + 4, RLENGTH - 5)
    match($0, / y="[^"]*"/); y = substr($0, RSTART + 4, RLENGTH - 5)
    match($0, / c="[^"]*"/); c = substr($0, RSTART + 4, RLENGTH - 5)
    if (c ~ /^&#x/) cp = sprintf("U+%04X", hex(substr(c, 4, length(c) - 4)))
    else if (c == "&amp;") cp = "U+0026"
    else cp = sprintf("U+%04X", ord[c])
    got[++ng] = cp " " x " " (H - y)
  }
  END {
    for (i = 1; i <= nw; i++) {
      split(want[i], w, " "); found = 0
      for (j = 1; j <= ng && !found; j++) {
        if (used[j]) continue
        split(got[j], g, " ")
        if (g[1] == w[1] && g[2] - w[2] < 0.01 && w[2] - g[2] < 0.01 &&
            g[3] - w[3] < 0.01 && w[3] - g[3] < 0.01) { used[j] = 1; found = 1 }
      }
      if (!found) { print "not found at its place: " want[i] > "/dev/stderr"; bad = 1 }
    }
    if (nw < 80) { print "too few glyphs: " nw > "/dev/stderr"; bad = 1 }
    exit bad
  }' "$TMP/pos.txt" "$TMP/stext.xml" 2>"$TMP/err" >"$TMP/out" && ok ||
  bad "every glyph lands at its display-list origin"

finish
