#!/bin/sh
# golden.sh check|update BULLETIN TESTDIR - the golden-PDF regression kit.
#
# Every tests/golden/NAME.txt is rendered (layout from its 版式, else the
# default) and compared byte for byte with NAME.pdf; its layout dump with
# NAME.json. When a PDF differs, the dump diff says what moved. The fonts the
# goldens were made with are pinned in fonts.sha256: when this machine's font
# files differ, the test is skipped (exit 77) naming the font, rather than
# failing with a puzzling diff. `update` regenerates the goldens and the pins
# deliberately (cmake --build build --target update-golden).
set -e
mode=$1
BIN=$2
. "$3/lib.sh"
DIR=$(dirname "$0")
unset SOURCE_DATE_EPOCH

if [ "$mode" = update ]; then
  for src in "$DIR"/*.txt; do
    [ "$(basename "$src")" = CMakeLists.txt ] && continue
    name=${src%.txt}
    "$BIN" render "$src" -o "$name.pdf" --dump-layout "$name.json" >/dev/null
    echo "updated $(basename "$name").pdf"
  done
  # Pin the files of every font the goldens embed (found by PostScript name):
  # installed ones through fontconfig, the project's own in fonts/ by scanning.
  for ps in $(cat "$DIR"/*.json | grep -o '"font":"[^"]*"' | sed 's/"font":"\(.*\)"/\1/' | sort -u); do
    [ -n "$ps" ] || continue
    for f in fonts/*.otf fonts/*.ttf fonts/*.ttc; do
      [ -f "$f" ] && [ "$(fc-scan --format '%{postscriptname}' "$f")" = "$ps" ] && echo "$f"
    done
    fc-list ":postscriptname=$ps" file | sed 's/: *$//'
  done | sort -u | xargs sha256sum > "$DIR/fonts.sha256"
  echo "pinned $(wc -l < "$DIR/fonts.sha256") font files in fonts.sha256"
  # The README's pictures of the sample's pages 1 and 2, from its golden PDF.
  if command -v pdftoppm >/dev/null; then
    for n in 1 2; do
      pdftoppm -r 80 -f $n -l $n -png -singlefile "$DIR/zhuanbao-2023-08.pdf" "docs/sample-page$n"
    done
    echo "updated docs/sample-page1.png, docs/sample-page2.png"
  fi
  exit 0
fi

# Skip when the pinned fonts are not the ones on this machine.
if [ -f "$DIR/fonts.sha256" ]; then
  if ! sha256sum --quiet -c "$DIR/fonts.sha256" >"$TMP/pins" 2>&1; then
    echo "SKIP: this machine's fonts differ from the goldens' pinned fonts:" >&2
    cat "$TMP/pins" >&2
    exit 77
  fi
fi

for src in "$DIR"/*.txt; do
  [ "$(basename "$src")" = CMakeLists.txt ] && continue
  name=$(basename "${src%.txt}")
  run "$BIN" render "$src" -o "$TMP/$name.pdf" --dump-layout "$TMP/$name.json"
  expect_status 0 "render golden $name"
  if cmp -s "$TMP/$name.pdf" "$DIR/$name.pdf"; then
    ok
  else
    bad "golden $name.pdf differs"
    diff "$DIR/$name.json" "$TMP/$name.json" | head -40 >&2 || true
  fi
  if cmp -s "$TMP/$name.json" "$DIR/$name.json"; then ok; else bad "golden $name.json differs"; fi
done
finish
