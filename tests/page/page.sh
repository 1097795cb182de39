#!/bin/sh
# page.sh BULLETIN TESTDIR - the page as a document clerk checks it (fonts,
# run-in sources, masthead, 版记, space, gongwen title), on issues written by
# page.py and read back from the PDF with MuPDF (mutool trace).
set -e
BIN=$1
. "$2/lib.sh"
command -v mutool >/dev/null || { echo "SKIP: mutool is not installed" >&2; exit 77; }
run python3 "$(dirname "$0")/page.py" "$BIN" "$TMP"
cat "$TMP/out"
expect_status 0 "page checks"
finish
