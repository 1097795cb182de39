#!/usr/bin/env bash
# valgrind.sh BULLETIN TESTDIR - the normal paths under valgrind: no invalid
# reads or writes, no uninitialised jumps, no definitely lost memory.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
need valgrind nm
# An ASan build cannot run under valgrind; that build is checked by ASan itself.
nm "$BIN" >"$TMP/syms" # (not piped: grep -q would end nm early, a failure under pipefail)
if grep -q __asan_init "$TMP/syms"; then skip "a sanitizer build (ASan checks that one)"; fi
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
run $VG "$BIN" render samples/zhuanbao-2023-08.txt -o "$TMP/s.pdf"
expect_status 0 "render the sample under valgrind"
run $VG "$BIN" render samples/gongwen-2023-09.txt -o "$TMP/g.pdf" --dump-layout "$TMP/g.json"
expect_status 0 "render with a dump under valgrind"
printf '报头：甲\n期号：1\n日期：2023年2月30日\n\n# 标题\n' >"$TMP/bad.txt"
run $VG "$BIN" check "$TMP/bad.txt"
expect_status 1 "a bad input under valgrind (errors, not memory faults)"
mkdir -p "$TMP/in"
cp samples/jianbao-2024-03.txt "$TMP/bad.txt" "$TMP/in/"
run $VG "$BIN" batch "$TMP/in" -o "$TMP/pdfs" -j 2
expect_status 1 "a batch with one failure under valgrind"
finish
