#!/bin/sh
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
set -e
BIN=$1
. "$2/lib.sh"
HERE=$(dirname "$0")
for tool in rsvg-convert pdftoppm pdftotext pdfinfo mutool; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
done
PY=
for p in python3 /usr/bin/python3; do
  if command -v $p >/dev/null && $p -c "import PIL" 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "SKIP: no python3 with PIL (Debian python3-pil)" >&2; exit 77; }
export TZ=UTC
DPI=127

worst_ratio=0
for src in samples/*.txt; do
  for layout in zhuanbao jianbao gongwen; do
    name=$(basename "$src" .txt)-$layout
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

    pdftoppm -r $DPI -png "$TMP/$name/doc.pdf" "$TMP/$name/poppler"
    mutool draw -q -r $DPI -o "$TMP/$name/mupdf-%d.png" "$TMP/$name/doc.pdf" 2>/dev/null
    k=1
    while [ $k -le "$pages" ]; do
      # pdftoppm numbers pages with as many digits as the last one needs.
      pp=$(ls "$TMP/$name"/poppler-*.png | sed -n "${k}p")
      rsvg-convert -d $DPI -p $DPI -b white "$TMP/$name/doc-$k.svg" -o "$TMP/$name/rsvg-$k.png"
      svg=$("$PY" "$HERE/pixdiff.py" "$pp" "$TMP/$name/rsvg-$k.png")
      ref=$("$PY" "$HERE/pixdiff.py" "$pp" "$TMP/$name/mupdf-$k.png")
      verdict=$(echo "$svg $ref" | awk '{
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[i] = kv[2] }
        # v[1..3]: svg mean differ cells; v[4..6]: MuPDF mean differ cells
        ratio = v[5] > 0 ? v[2] / v[5] : (v[2] > 0 ? 99 : 0)
        ok = v[3] == 0 && v[1] <= 1.3 * v[4] + 0.6 && v[2] <= 1.3 * v[5] + 4
        printf "%s %.2f", ok ? "ok" : "FAIL", ratio }')
      echo "$name page $k: librsvg vs poppler: $svg | MuPDF vs poppler: $ref | $verdict"
      case $verdict in
        ok*) ok ;;
        *) bad "page $k of $name drawn from the SVG differs from the PDF: $svg (MuPDF: $ref)" ;;
      esac
      worst_ratio=$(echo "$worst_ratio ${verdict#* }" | awk '{ print ($2 > $1) ? $2 : $1 }')
      k=$((k + 1))
    done
  done
done
echo "worst page: the SVG differs from poppler's PDF ${worst_ratio}x as much as MuPDF does"
finish
