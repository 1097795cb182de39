#!/usr/bin/env bash
# cli_test.sh BULLETIN TESTDIR - the command line: help, version, usage errors,
# `check` on good and bad inputs, exit statuses and diagnostics.
set -euo pipefail
BIN=$1
. "$2/lib.sh"

run "$BIN" --version
expect_status 0 "--version"
check "--version prints the version" grep -qE '^bulletin [0-9]+\.[0-9]+\.[0-9]+$' "$TMP/out"

run "$BIN" --help
expect_status 0 "--help"
expect_out_has "render INPUT.txt" "--help lists render"
expect_out_has "exit status: 0 success, 1 invalid input, 2 usage error, 3 I/O or internal error" "--help gives the exit statuses"
expect_out_has "  pdf    .pdf   tagged PDF" "--help lists the output formats"

for c in render check batch; do
  run "$BIN" $c --help
  expect_status 0 "$c --help"
  expect_out_has "usage: bulletin $c" "$c --help shows its usage"
done
# The top-level help and check --help agree: check takes several inputs.
run "$BIN" check --help
expect_out_has "usage: bulletin check INPUT.txt..." "check --help: several inputs"
run "$BIN" --help
check "--help: check takes several inputs too" grep -qE '^  check INPUT\.txt\.\.\.( |$)' "$TMP/out"

run "$BIN"
expect_status 2 "no command"
run "$BIN" frobnicate
expect_status 2 "unknown command"
expect_err_has "unknown command 'frobnicate'" "unknown command is named"
run "$BIN" render
expect_status 2 "render without input"
expect_err_has "no input file given" "render without input says so"
run "$BIN" render a.txt --bogus
expect_status 2 "unknown option"
expect_err_has "unknown option '--bogus'" "unknown option is named"
run "$BIN" render a.txt -o
expect_status 2 "-o without a value"
run "$BIN" batch dir
expect_status 2 "batch without -o"
run "$BIN" batch dir -o out -j 0
expect_status 2 "batch -j 0"
run "$BIN" batch dir -o out --shard 3/2
expect_status 2 "batch --shard 3/2"
run "$BIN" render a.txt --format bogus
expect_status 2 "render --format bogus"
expect_err_has "unknown format 'bogus'" "an unknown format is named"
run "$BIN" batch dir -o out --format bogus
expect_status 2 "batch --format bogus"

# A file that does not exist: I/O error, exit 3, the file named.
run "$BIN" check "$TMP/nope.txt"
expect_status 3 "missing input"
expect_err_line "$TMP/nope.txt: error: cannot open: No such file or directory" "missing input message"

# The sample is valid.
run "$BIN" check samples/zhuanbao-2023-08.txt
expect_status 0 "check sample"
expect_out_has "samples/zhuanbao-2023-08.txt: ok" "check prints ok"
expect_out_has "1 article, 1 section, 6 items, 2 footer fields" "check summary counts"

finish
