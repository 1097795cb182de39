#!/usr/bin/env bash
# ofd.sh BIN TESTDIR SHAREDDIR INPUT.txt | --hand OFD_TESTS
#   One issue (or, with --hand, ofd_tests' hand-built document) written as OFD
#   and as PDF, then read back: ofd-check (package, schemas, embedded fonts
#   covering their text, ofd.js reading the same pages and text) passes with
#   no problem, its page count and text per page are the PDF's (pdftotext
#   -raw), and ofd_compare.py finds every character where the PDF has it and
#   every glyph in the embedded fonts. Exit 77 (skip) when a reader is not
#   installed; ofd-check fetches ofd.js with npm on first use.
set -euo pipefail
BIN=$1
TESTDIR=$2
SHARED=$3
. "$TESTDIR/lib.sh"
export TZ=UTC
need xmllint node npm pdftotext pdfinfo mutool
/usr/bin/python3 -c 'import fontTools' 2>/dev/null ||
  { echo "FAIL: python3-fonttools is not installed (scripts/dev deps installs it)" >&2; exit 1; }
CHECK=$SHARED/tools/ofd-check
[ -x "$CHECK" ] || skip "$CHECK is missing (the shared tools are not beside the repository)"

if [ "$4" = "--hand" ]; then
  name=hand-built
  run "$5" "$TMP/a.ofd" "$TMP/a.pdf"
  expect_status 0 "ofd_tests writes the hand-built document"
else
  name=$(basename "$4" .txt)
  run "$BIN" render "$4" -o "$TMP/a.pdf"
  expect_status 0 "$name: render to PDF"
  run "$BIN" render "$4" -o "$TMP/a.ofd"
  expect_status 0 "$name: render to OFD"
  pages=$(sed -n 's/^wrote .* (\([0-9]*\) pages*)$/\1/p' "$TMP/out")
  check "$name: the same page count as the PDF ($pages)" \
    test "$pages" = "$(pdfinfo "$TMP/a.pdf" | sed -n 's/^Pages: *//p')"
fi
expect_file "$TMP/a.ofd" "$name: the OFD"

run "$CHECK" "$TMP/a.ofd" --json
if grep -q "cannot install ofd.js" "$TMP/err"; then
  skip "ofd-check cannot fetch ofd.js: $(cat "$TMP/err")"
fi
expect_status 0 "$name: ofd-check"
expect_out_has "; 0 problems" "$name: ofd-check finds no problem"
cat "$TMP/out" >&2

# What the independent reader reads (its JSON line), against pdftotext.
grep '^{' "$TMP/out" >"$TMP/reader.json" || true
run /usr/bin/python3 "$TESTDIR/ofd/ofd_compare.py" "$TMP/a.ofd" "$TMP/a.pdf" \
  --reader "$TMP/reader.json"
expect_status 0 "$name: the OFD holds the PDF's pages, text and positions"
cat "$TMP/out" >&2

finish
