#!/usr/bin/env bash
# golden.sh check|update BULLETIN TESTDIR - the golden-PDF regression kit.
#
# Every tests/golden/NAME.txt is rendered (layout from its 版式, else the
# default) and compared byte for byte with NAME.pdf; its layout dump with
# NAME.json. When a PDF differs, the dump diff says what moved. The fonts the
# goldens were made with are pinned in fonts.sha256: when this machine's font
# files differ, the test is skipped (exit 77) naming the font, rather than
# failing with a puzzling diff. `update` regenerates the goldens and the pins
# deliberately (cmake --build build --target update-golden).
set -euo pipefail
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
  # Pin the files of every font the goldens embed (found by PostScript name);
  # every lookup must find something, or the pins would silently be empty.
  need fc-list sha256sum
  names=$(cat "$DIR"/*.json | grep -o '"font":"[^"]*"' | sed 's/"font":"\(.*\)"/\1/' | sort -u)
  [ -n "$names" ] || { echo "update-golden: no font named in the layout dumps" >&2; exit 1; }
  : >"$TMP/files"
  for ps in $names; do
    fc-list ":postscriptname=$ps" file | sed 's/: *$//' >"$TMP/one"
    [ -s "$TMP/one" ] || { echo "update-golden: fc-list finds no file for font $ps" >&2; exit 1; }
    cat "$TMP/one" >>"$TMP/files"
  done
  sort -u "$TMP/files" | xargs -d '\n' sha256sum >"$TMP/pins"
  mv "$TMP/pins" "$DIR/fonts.sha256"
  echo "pinned $(wc -l < "$DIR/fonts.sha256") font files in fonts.sha256"
  exit 0
fi

# Skip when the pinned fonts are not the ones on this machine.
if [ -f "$DIR/fonts.sha256" ]; then
  if ! sha256sum --quiet -c "$DIR/fonts.sha256" >"$TMP/pins" 2>&1; then
    skip "this machine's fonts differ from the goldens' pinned fonts: $(tr '\n' ' ' <"$TMP/pins")"
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
