# svg_lib.sh - what the SVG comparisons share (source it after tests/lib.sh):
# the tools they need, and comparing a document's pages drawn from its SVG
# with its PDF pages drawn by poppler, judged against MuPDF (pixdiff.py).
DPI=127 # A4 is a whole number of pixels (5 px/mm): no renderer stretches it

# need_tools: fails unless the renderers and a python3 with PIL are there;
# sets PY.
need_tools() {
  need pdftoppm pdfinfo mutool "$@"
  PY=
  for p in python3 /usr/bin/python3; do
    if command -v $p >/dev/null && $p -c "import PIL" 2>/dev/null; then PY=$p; break; fi
  done
  [ -n "$PY" ] || { echo "FAIL: no python3 with PIL (Debian python3-pil)" >&2; exit 1; }
}

# compare_pages DIR NAME RENDERER: DIR holds doc.pdf and RENDERER-K.png for
# each page K; draws the PDF with poppler and MuPDF and judges each page.
# Sets WORST to the largest ratio seen (kept across calls).
WORST=0
compare_pages() {
  local dir=$1 name=$2 who=$3 pages k pp line
  pages=$(pdfinfo "$dir/doc.pdf" | awk '/^Pages:/ { print $2 }')
  pdftoppm -r $DPI -png "$dir/doc.pdf" "$dir/poppler"
  mutool draw -q -r $DPI -o "$dir/mupdf-%d.png" "$dir/doc.pdf" 2>/dev/null
  k=1
  while [ $k -le "$pages" ]; do
    # pdftoppm numbers pages with as many digits as the last one needs.
    pp=$(ls "$dir"/poppler-*.png | sed -n "${k}p")
    run "$PY" "$HERE/pixdiff.py" "$pp" "$dir/$who-$k.png" --baseline "$dir/mupdf-$k.png"
    line=$(cat "$TMP/out")
    echo "$name page $k, $who vs poppler: $line (baseline: MuPDF vs poppler)"
    if [ "$status" -eq 0 ]; then ok; else bad "page $k of $name drawn by $who differs from the PDF: $line"; fi
    WORST=$(echo "$WORST ${line##* }" | awk '{ print ($2 > $1) ? $2 : $1 }')
    k=$((k + 1))
  done
}
