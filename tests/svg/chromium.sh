#!/bin/sh
# chromium.sh BULLETIN TESTDIR NODEDIR - the SVG pages of the samples drawn by
# Chromium (chromium.mjs) against the PDF pages drawn by poppler, with the
# threshold of svg.sh: no further from poppler than MuPDF is on the same PDF,
# within 30% plus 4 per mille, and no 8x8 cell differing by more than 64.
set -e
BIN=$1
. "$2/lib.sh"
NODE=$3
HERE=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "SKIP: $CHROMIUM is not installed" >&2; exit 77; }
[ -d "$NODE/node_modules/puppeteer-core" ] || { echo "SKIP: puppeteer-core is not installed" >&2; exit 77; }
for tool in pdftoppm mutool pdfinfo; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
done
PY=
for p in python3 /usr/bin/python3; do
  if command -v $p >/dev/null && $p -c "import PIL" 2>/dev/null; then PY=$p; break; fi
done
[ -n "$PY" ] || { echo "SKIP: no python3 with PIL (Debian python3-pil)" >&2; exit 77; }
export TZ=UTC
DPI=127
cp "$HERE/chromium.mjs" "$NODE/chromium.mjs"
for src in samples/*.txt; do
  name=$(basename "$src" .txt)
  mkdir -p "$TMP/$name"
  "$BIN" render "$src" -o "$TMP/$name/doc.pdf" >/dev/null
  "$BIN" render "$src" -o "$TMP/$name/doc.svg" >/dev/null
  pages=$(pdfinfo "$TMP/$name/doc.pdf" | awk '/^Pages:/ { print $2 }')
  files=$(k=1; while [ $k -le "$pages" ]; do printf '%s ' "$TMP/$name/doc-$k.svg"; k=$((k + 1)); done)
  # shellcheck disable=SC2086
  run node "$NODE/chromium.mjs" $DPI "$TMP/$name/chromium" $files
  expect_status 0 "chromium draws the SVG pages of $name"
  pdftoppm -r $DPI -png "$TMP/$name/doc.pdf" "$TMP/$name/poppler"
  mutool draw -q -r $DPI -o "$TMP/$name/mupdf-%d.png" "$TMP/$name/doc.pdf" 2>/dev/null
  k=1
  while [ $k -le "$pages" ]; do
    pp=$(ls "$TMP/$name"/poppler-*.png | sed -n "${k}p")
    svg=$("$PY" "$HERE/pixdiff.py" "$pp" "$TMP/$name/chromium-$k.png")
    ref=$("$PY" "$HERE/pixdiff.py" "$pp" "$TMP/$name/mupdf-$k.png")
    verdict=$(echo "$svg $ref" | awk '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[i] = kv[2] }
      ratio = v[5] > 0 ? v[2] / v[5] : (v[2] > 0 ? 99 : 0)
      ok = v[3] == 0 && v[1] <= 1.3 * v[4] + 0.6 && v[2] <= 1.3 * v[5] + 4
      printf "%s %.2f", ok ? "ok" : "FAIL", ratio }')
    echo "$name page $k: Chromium vs poppler: $svg | MuPDF vs poppler: $ref | $verdict"
    case $verdict in
      ok*) ok ;;
      *) bad "page $k of $name drawn by Chromium differs from the PDF: $svg (MuPDF: $ref)" ;;
    esac
    k=$((k + 1))
  done
done
finish
