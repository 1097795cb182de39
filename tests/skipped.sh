#!/usr/bin/env bash
# skipped.sh BUILDDIR - run by ctest after the tests (CTEST_CUSTOM_POST_TEST):
# lists every test of the run that printed a "SKIP: reason" line, with the
# reason, so that a skip is never silent in the summary.
set -euo pipefail
log=$1/Testing/Temporary/LastTest.log
[ -f "$log.tmp" ] && log=$log.tmp # the run's log, before ctest renames it
[ -f "$log" ] || exit 0
why=$(awk '
  /^[0-9]+\/[0-9]+ Test: / { name = $3 }
  /^SKIP: / { sub(/^SKIP: /, ""); print "  " name ": " $0 }' "$log" | sort -u)
if [ -n "$why" ]; then
  echo "Why tests were skipped:"
  echo "$why"
fi
