#!/usr/bin/env bash
# golden.sh check|update BULLETIN TESTDIR - the golden-PDF regression kit.
#
# Every tests/golden/NAME.txt is rendered (layout from its 版式, else the
# default) and compared byte for byte with NAME.pdf; its layout dump with
# NAME.json. When a PDF differs, the dump diff says what moved. The goldens
# are rendered with the fonts of tests/golden/fonts/ alone (subsets made by
# tests/golden/make-kit, in the repository): bulletin runs with a
# BULLETIN_HOME whose fonts/ is that folder, whose fonts.conf includes no
# system font, so the test never skips and no installed font changes it.
# `update` regenerates the goldens deliberately (cmake --build build
# --target update-golden).
set -euo pipefail
mode=$1
BIN=$2
. "$3/lib.sh"
DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$DIR/../.." && pwd)
KIT=$DIR/fonts
unset SOURCE_DATE_EPOCH
export TZ=UTC

# The kit must be there: without it the goldens would silently use nothing.
[ -f "$KIT/MANIFEST" ] || { echo "FAIL: no $KIT/MANIFEST: run tests/golden/make-kit" >&2; exit 1; }
kit_names=$(grep -v '^#' "$KIT/MANIFEST" | cut -f1)
[ -n "$kit_names" ] || { echo "FAIL: $KIT/MANIFEST lists no font" >&2; exit 1; }
for f in $kit_names; do
  [ -s "$KIT/$f" ] || { echo "FAIL: the kit font $f is missing" >&2; exit 1; }
  [ -s "$KIT/$f.LICENSE" ] || { echo "FAIL: the kit font $f has no licence file" >&2; exit 1; }
done

# bulletin's data folder for the goldens: the layouts, and the kit as fonts/.
mkdir -p "$TMP/home" "$TMP/cache"
ln -s "$ROOT/layouts" "$TMP/home/layouts"
ln -s "$KIT" "$TMP/home/fonts"
kit_env=(env BULLETIN_HOME="$TMP/home" FONTCONFIG_FILE="$KIT/fonts.conf" XDG_CACHE_HOME="$TMP/cache")

goldens() {
  local src
  for src in "$DIR"/*.txt; do
    [ "$(basename "$src")" = CMakeLists.txt ] || echo "$src"
  done
}

if [ "$mode" = update ]; then
  for src in $(goldens); do
    name=${src%.txt}
    run "${kit_env[@]}" "$BIN" render "$src" -o "$TMP/new.pdf" --dump-layout "$TMP/new.json"
    [ "$status" -eq 0 ] || { echo "update-golden: $src: $(cat "$TMP/err")" >&2; exit 1; }
    mv "$TMP/new.pdf" "$name.pdf"
    mv "$TMP/new.json" "$name.json"
    echo "updated $(basename "$name").pdf"
  done
  # The README's pictures of the sample's pages 1 and 2, from its golden PDF.
  need pdftoppm
  for n in 1 2; do
    pdftoppm -r 80 -f $n -l $n -png -singlefile "$DIR/zhuanbao-2023-08.pdf" "$ROOT/docs/sample-page$n"
  done
  echo "updated docs/sample-page1.png, docs/sample-page2.png"
  exit 0
fi

need pdffonts mutool fc-list /usr/bin/python3

# The kit's configuration sees no font of this machine.
run env FONTCONFIG_FILE="$KIT/fonts.conf" XDG_CACHE_HOME="$TMP/cache" fc-list
check "the kit's fonts.conf sees no system font" test ! -s "$TMP/out"

for src in $(goldens); do
  name=$(basename "${src%.txt}")
  run "${kit_env[@]}" "$BIN" render "$src" -o "$TMP/$name.pdf" --dump-layout "$TMP/$name.json"
  expect_status 0 "render golden $name"
  check "golden $name: bulletin says nothing but what it wrote (a warning? a character the kit lacks: rerun tests/golden/make-kit)" \
    test ! -s "$TMP/err"
  if cmp -s "$TMP/$name.pdf" "$DIR/$name.pdf"; then
    ok
  else
    bad "golden $name.pdf differs"
    diff "$DIR/$name.json" "$TMP/$name.json" | head -40 >&2 || true
  fi
  if cmp -s "$TMP/$name.json" "$DIR/$name.json"; then ok; else bad "golden $name.json differs"; fi
  # Without the dump the pages go to the writer as they are laid out, their
  # glyphs let go page by page: not one byte differs.
  run "${kit_env[@]}" "$BIN" render "$src" -o "$TMP/$name-stream.pdf"
  expect_status 0 "render golden $name without the dump"
  if cmp -s "$TMP/$name-stream.pdf" "$DIR/$name.pdf"; then ok; else bad "golden $name.pdf differs with pages handed over as laid out"; fi
  # MuPDF draws every glyph of the kit's subsets (a CFF subset whose CIDs are
  # not its glyph ids would draw nothing, and say so).
  run mutool draw -q -o /dev/null "$TMP/$name.pdf"
  expect_status 0 "mutool draws golden $name"
  check "mutool draws golden $name without a complaint" \
    test -z "$(grep -v 'ICC support is not available' "$TMP/err")"
  # Every embedded font is a kit font (named in MANIFEST by PostScript name).
  pdffonts "$TMP/$name.pdf" | tail -n +3 | awk '{ print $1 }' | sed 's/^[A-Z]*+//; s/-Identity-H$//' |
    sort -u >"$TMP/used"
  kit_ps=$(grep -v '^#' "$KIT/MANIFEST" | cut -f1 | sed 's/-[0-9a-f]*\.[ot]tf$//')
  check "golden $name embeds kit fonts only ($(tr '\n' ' ' <"$TMP/used"))" \
    test -z "$(grep -vxF -f <(echo "$kit_ps") "$TMP/used")"
done

# An installed font that a layout prefers (a 标题 font named 方正小标宋简体, in
# the user's font folder) changes what bulletin picks with the system's
# fonts, and not one byte of a golden.
mkdir -p "$TMP/data/fonts"
black=$(grep -v '^#' "$KIT/MANIFEST" | awk -F'\t' '$2 == "NotoSerifCJKsc-Black" { print $1 }')
run /usr/bin/python3 - "$KIT/$black" "$TMP/data/fonts/fzxbs.otf" <<'PY'
import sys
from fontTools.ttLib import TTFont
f = TTFont(sys.argv[1])
for r in f["name"].names:
    if r.nameID in (1, 4, 16):
        r.string = "方正小标宋简体" if r.platformID == 3 else "FZXiaoBiaoSong-B05S"
    elif r.nameID == 6:
        r.string = "FZXBSJW-Test"
f["CFF "].cff.fontNames = ["FZXBSJW-Test"]
f.save(sys.argv[2])
PY
expect_status 0 "make a stand-in 方正小标宋简体"
name=zhuanbao-2023-08
run env XDG_DATA_HOME="$TMP/data" XDG_CACHE_HOME="$TMP/cache" "$BIN" render "$DIR/$name.txt" \
  -o "$TMP/sys.pdf" --dump-layout "$TMP/sys.json"
expect_status 0 "render with the system's fonts and the installed font"
check "with the system's fonts, bulletin picks the installed 方正小标宋简体" \
  grep -q '"font":"FZXBSJW-Test"' "$TMP/sys.json"
run env XDG_DATA_HOME="$TMP/data" "${kit_env[@]}" "$BIN" render "$DIR/$name.txt" -o "$TMP/again.pdf"
expect_status 0 "render golden $name with the font installed"
check "the installed font changes no byte of golden $name" cmp -s "$TMP/again.pdf" "$DIR/$name.pdf"
finish
