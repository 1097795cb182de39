# tests/lib.sh - helpers for the shell tests: run a command, check its exit
# status, standard output and error, count passes and failures, and print
# "N passed, N failed" at the end (source it, call `finish` last).
# Scripts run under bash with `set -euo pipefail`: a lookup that fails stops
# the test with its reason instead of letting it pass on empty input.
passed=0
failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bl-test-XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# run CMD...: runs it, keeping $status, $TMP/out and $TMP/err.
run() {
  set +e
  "$@" >"$TMP/out" 2>"$TMP/err"
  status=$?
  set -e
}

ok() { passed=$((passed + 1)); }
bad() {
  failed=$((failed + 1))
  echo "FAIL: $*" >&2
  echo "  stdout: $(head -c 600 "$TMP/out" 2>/dev/null)" >&2
  echo "  stderr: $(head -c 600 "$TMP/err" 2>/dev/null)" >&2
}

expect_status() { # expect_status N WHAT
  if [ "$status" -eq "$1" ]; then ok; else bad "$2: exit status $status, expected $1"; fi
}
expect_err_line() { # expect_err_line EXACT-LINE WHAT: a line of stderr equals it
  if grep -qxF -- "$1" "$TMP/err"; then ok; else bad "$2: stderr lacks the line: $1"; fi
}
expect_err_has() { # expect_err_has TEXT WHAT
  if grep -qF -- "$1" "$TMP/err"; then ok; else bad "$2: stderr lacks: $1"; fi
}
expect_out_has() {
  if grep -qF -- "$1" "$TMP/out"; then ok; else bad "$2: stdout lacks: $1"; fi
}
expect_no_file() {
  if [ ! -e "$1" ]; then ok; else bad "$2: $1 exists"; fi
}
expect_file() {
  if [ -s "$1" ]; then ok; else bad "$2: $1 missing or empty"; fi
}
check() { # check WHAT CMD...: passes when CMD succeeds
  local what=$1; shift
  if "$@"; then ok; else bad "$what"; fi
}

# need TOOL...: fails the test, naming the tool, when one is missing. Every
# tool the tests use is a Debian package that scripts/dev installs, so a
# missing one is a broken set-up, never a reason to skip.
need() {
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null ||
      { echo "FAIL: $t is not installed (scripts/dev deps installs it)" >&2; exit 1; }
  done
}

# COMMA_LOCALE: a locale with a decimal comma, for the checks that no output
# depends on the locale. expect_comma_locale fails the test when it is not
# installed (scripts/dev generates it): without it those checks prove nothing.
COMMA_LOCALE=de_DE.UTF-8
expect_comma_locale() {
  local one
  one=$(LC_ALL=$COMMA_LOCALE /usr/bin/printf '%.1f' 1.5 2>/dev/null) || one=
  if [ "$one" = "1,5" ]; then ok; else
    bad "$COMMA_LOCALE is not installed or has no decimal comma (scripts/dev deps generates it)"
  fi
}

# skip REASON: ends the test as skipped (exit 77, SKIP_RETURN_CODE); the
# reason goes to the output, which the ctest run lists at its end
# (tests/skipped.sh).
skip() {
  echo "SKIP: $*"
  exit 77
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
