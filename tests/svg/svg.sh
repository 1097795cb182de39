#!/usr/bin/env bash
# svg.sh BULLETIN TESTDIR - the SVG pages of every sample in every layout:
# one file per PDF page, byte-identical run to run, well-formed, glyphs
# defined once and used, the text layer carrying the PDF's text
# (svg_check.py); and each page drawn by librsvg (rsvg-convert) against the
# PDF page drawn by poppler (pdftoppm) at the same resolution (pixdiff.py).
#
# The pixel threshold. Two rasterisers never agree on anti-aliased edges:
# poppler snaps each glyph and each thin rule to its pixel grid, librsvg and
# MuPDF do not, so a dense page of 16pt text differs in ~6% of its pixels
# between poppler and MuPDF drawing the very same PDF. A page drawn from the
# SVG must therefore (1) be no further from poppler than MuPDF is on the PDF,
# within 30% plus 4 per mille of the page (a sparse page's few snapped
# rules and lines weigh more in its small total; measured on the samples:
# 1.00-1.26x MuPDF's difference, and 1.47x = +3.6 per mille on the sparse
# last page of the gongwen layout), and (2) have no 8x8-pixel cell whose
# mean colour differs by more than 64 of 255 (measured: none; one glyph
# left out or replaced gives 3-4 such cells, all text moved by 0.5pt gives
# 1.5x MuPDF's difference on a dense page). 127 dpi makes A4 a whole number
# of pixels (5 px/mm), so no renderer stretches the page to round its size.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
HERE=$(dirname "$0")
. "$HERE/svg_lib.sh"
need_tools rsvg-convert pdftotext
export TZ=UTC

for src in samples/*.txt; do
  for layout in zhuanbao jianbao gongwen; do
    name=$(basename "$src" .txt)-$layout
    # a 公文 takes only a layout with the 公文 frame (tests/render checks the refusal)
    grep -q '^发文字号' "$src" && [ $layout != gongwen ] && continue
    mkdir -p "$TMP/$name" "$TMP/$name-again"
    run "$BIN" render "$src" --layout $layout -o "$TMP/$name/doc.pdf"
    expect_status 0 "render $name as PDF"
    run "$BIN" render "$src" --layout $layout -o "$TMP/$name/doc.svg"
    expect_status 0 "render $name as SVG"
    pages=$(pdfinfo "$TMP/$name/doc.pdf" | awk '/^Pages:/ { print $2 }')
    if [ "$pages" -gt 1 ]; then
      expect_out_has "wrote $TMP/$name/doc-1.svg ... $TMP/$name/doc-$pages.svg ($pages pages, a file each)" \
        "render names the SVG files of $name"
    else
      expect_out_has "wrote $TMP/$name/doc-1.svg (1 page)" "render names the SVG file of $name"
    fi
    expect_no_file "$TMP/$name/doc.svg" "no unsuffixed SVG for $name"
    expect_no_file "$TMP/$name/doc-$((pages + 1)).svg" "no SVG past the last page of $name"
    run "$BIN" render "$src" --layout $layout --format svg -o "$TMP/$name-again/doc.svg"
    expect_status 0 "render $name as SVG again (--format svg)"
    k=1
    while [ $k -le "$pages" ]; do
      check "page $k of $name: same bytes twice" cmp -s "$TMP/$name/doc-$k.svg" "$TMP/$name-again/doc-$k.svg"
      k=$((k + 1))
    done
    files=$(k=1; while [ $k -le "$pages" ]; do printf '%s ' "$TMP/$name/doc-$k.svg"; k=$((k + 1)); done)
    # shellcheck disable=SC2086
    run "$PY" "$HERE/svg_check.py" "$TMP/$name/doc.pdf" $files
    expect_status 0 "the SVG pages of $name read back ($(grep FAIL "$TMP/out" || true))"

    k=1
    while [ $k -le "$pages" ]; do
      rsvg-convert -d $DPI -p $DPI -b white "$TMP/$name/doc-$k.svg" -o "$TMP/$name/librsvg-$k.png"
      k=$((k + 1))
    done
    compare_pages "$TMP/$name" "$name" librsvg
  done
done
echo "worst page: the SVG differs from poppler's PDF ${WORST}x as much as MuPDF does"
finish
