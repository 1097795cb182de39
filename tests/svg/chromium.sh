#!/usr/bin/env bash
# chromium.sh BULLETIN TESTDIR NODEDIR - the SVG pages of the samples drawn by
# Chromium (chromium.mjs) against the PDF pages drawn by poppler, with the
# threshold of svg.sh (pixdiff.py --baseline).
set -euo pipefail
BIN=$1
. "$2/lib.sh"
NODE=$3
HERE=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
need "$CHROMIUM"
[ -d "$NODE/node_modules/puppeteer-core" ] ||
  skip "puppeteer-core is not installed in $NODE (npm ci failed: see serve_browser_setup)"
. "$HERE/svg_lib.sh"
need_tools
export TZ=UTC
cp "$HERE/chromium.mjs" "$HERE/../serve/launch.mjs" "$NODE/"
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
  compare_pages "$TMP/$name" "$name" chromium
done
echo "worst page: Chromium's drawing differs from poppler's PDF ${WORST}x as much as MuPDF does"
finish
