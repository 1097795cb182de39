#!/bin/sh
# lint_cli.sh BULLETIN TESTDIR - `bulletin lint`: the finding format, exit
# statuses, --rule/--no-rule, --fix (atomic, idempotent, the file still
# passes `check`, encoding and line ends kept), and the samples lint clean.
set -e
BIN=$1
. "$2/lib.sh"

HEAD='报头：某单位
期号：2024年第1期
日期：2024年3月1日

# 标题
'
issue() { # issue FILE BODY: an issue whose first paragraph is on line 7
  printf '%s\n%s\n' "$HEAD" "$2" >"$1"
}

run "$BIN" --help
expect_out_has "  lint INPUT.txt..." "--help lists lint"
run "$BIN" lint --help
expect_status 0 "lint --help"
expect_out_has "usage: bulletin lint" "lint --help shows its usage"
run "$BIN" lint --list-rules
expect_status 0 "--list-rules"
for r in punct-width quotes alnum-width punct-doubled cjk-space footer-period unbalanced \
         heading-order heading-level yinfa-date item-source; do
  expect_out_has "  $r " "--list-rules lists $r"
done
expect_out_has "punct-width    --fix" "--list-rules says what --fix applies"
expect_out_has "unbalanced     person" "--list-rules says what is left for a person"

run "$BIN" lint
expect_status 2 "lint without input"
expect_err_has "no input file given" "lint without input says so"
run "$BIN" lint --bogus a.txt
expect_status 2 "lint with an unknown option"
expect_err_has "unknown option '--bogus'" "the unknown option is named"
run "$BIN" lint --rule nope a.txt
expect_status 2 "an unknown rule"
expect_err_has "unknown rule 'nope'" "the unknown rule is named"
run "$BIN" lint a.txt --no-rule
expect_status 2 "--no-rule without a name"

run "$BIN" lint "$TMP/nope.txt"
expect_status 3 "lint of a missing file"
expect_err_line "$TMP/nope.txt: error: cannot open: No such file or directory" "the missing file is named"

printf '报头：甲\n期号：1\n日期：2023年2月30日\n\n# 题\n\n正文。\n' >"$TMP/bad.txt"
run "$BIN" lint "$TMP/bad.txt"
expect_status 1 "lint of a file that does not parse"
expect_err_has "$TMP/bad.txt:3:4: error: impossible date" "the parse error is reported"

# The samples are clean.
run "$BIN" lint samples/zhuanbao-2023-08.txt samples/jianbao-2024-03.txt samples/gongwen-2023-09.txt
expect_status 0 "the samples lint clean"
expect_out_has "samples/zhuanbao-2023-08.txt: no findings" "zhuanbao sample clean"
expect_out_has "samples/gongwen-2023-09.txt: no findings" "gongwen sample clean"

# The compiler convention: position, message, [rule], the line, a caret.
f="$TMP/a.txt"
issue "$f" '2月28日,全市职工  启动。

正文（没有关闭。

抄送：各区总工会'
cp "$f" "$TMP/a.orig"
run "$BIN" lint "$f"
expect_status 1 "findings exit 1"
expect_out_has "$f:7:6: warning: half-width ',' in Chinese text (use '，') [punct-width]" "punct-width finding"
check "the line is quoted" grep -qxF ' 2月28日,全市职工  启动。' "$TMP/out"
check "the caret is under the comma" grep -qx '        ^' "$TMP/out"
expect_out_has "$f:7:11: warning: space between Chinese characters [cjk-space]" "cjk-space finding"
expect_out_has "$f:9:3: warning: '（' is not closed in this paragraph [unbalanced]" "unbalanced finding"
expect_out_has "$f:11:8: warning: 抄送 does not end with '。' [footer-period]" "footer-period finding"
expect_out_has "$f: 4 findings, 3 fixable with --fix" "the summary"
check "lint without --fix changes nothing" cmp -s "$f" "$TMP/a.orig"

run "$BIN" lint --rule cjk-space "$f"
expect_status 1 "--rule cjk-space"
expect_out_has "$f: 1 finding, 1 fixable with --fix" "--rule runs only that rule"
run "$BIN" lint --no-rule cjk-space --no-rule punct-width --no-rule unbalanced \
  --no-rule footer-period "$f"
expect_status 0 "--no-rule turns rules off"

# --fix: rewrites the safe findings, reports them and what is left.
run "$BIN" lint --fix "$f"
expect_status 1 "--fix exits 1 while something is left"
expect_out_has "$f:7:6: fixed: half-width ',' in Chinese text (use '，') [punct-width]" "--fix reports a change"
expect_out_has "$f:9:3: warning: '（' is not closed in this paragraph [unbalanced]" "--fix reports what is left"
expect_out_has "$f: fixed 3, 1 left for a person" "--fix summary"
check "--fix wrote the paragraph" grep -qxF '2月28日，全市职工启动。' "$f"
check "--fix wrote the footer" grep -qxF '抄送：各区总工会。' "$f"
check "--fix left the unbalanced paragraph" grep -qxF '正文（没有关闭。' "$f"
check "no temporary file is left" test "$(ls "$TMP" | grep -c '^a\.txt')" -eq 1
run "$BIN" check "$f"
expect_status 0 "the fixed file passes check"
cp "$f" "$TMP/a.fixed"
ino=$(stat -c %i "$f")
run "$BIN" lint --fix "$f"
expect_out_has "$f: fixed 0, 1 left for a person" "a second --fix has nothing to do"
check "a second --fix leaves the bytes" cmp -s "$f" "$TMP/a.fixed"
check "a second --fix does not rewrite the file" test "$(stat -c %i "$f")" = "$ino"

# The file keeps its permissions (a private draft stays private).
issue "$TMP/m.txt" '甲,乙。'
chmod 600 "$TMP/m.txt"
run "$BIN" lint --fix "$TMP/m.txt"
check "--fix keeps the file's mode" test "$(stat -c %a "$TMP/m.txt")" = 600

# Everything fixable: exit 0 after the fix.
g="$TMP/g.txt"
issue "$g" '来自１２０家企业的１，２８０名职工,参赛，，"四不两直"。'
run "$BIN" lint --fix "$g"
expect_status 0 "--fix exits 0 when nothing is left"
check "--fix wrote digits, comma, quotes" grep -qxF '来自120家企业的1,280名职工，参赛，“四不两直”。' "$g"
run "$BIN" lint "$g"
expect_status 0 "the fixed file lints clean"

# GB18030 with CRLF: the fix keeps both.
issue "$TMP/u.txt" '甲,乙 丙。'
sed 's/$/\r/' "$TMP/u.txt" | iconv -f UTF-8 -t GB18030 >"$TMP/gb.txt"
run "$BIN" lint --fix "$TMP/gb.txt"
expect_status 0 "--fix of a GB18030 file"
check "still not UTF-8" sh -c "! iconv -f UTF-8 -t UTF-8 '$TMP/gb.txt' >/dev/null 2>&1"
check "every line still ends in CRLF" test "$(grep -c "$(printf '\r')\$" "$TMP/gb.txt")" -eq "$(wc -l <"$TMP/gb.txt")"
iconv -f GB18030 -t UTF-8 "$TMP/gb.txt" | tr -d '\r' >"$TMP/gb.utf8"
check "the GB18030 text is fixed" grep -qxF '甲，乙丙。' "$TMP/gb.utf8"
run "$BIN" check "$TMP/gb.txt"
expect_status 0 "the fixed GB18030 file passes check"

# UTF-16LE with a BOM.
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$TMP/u.txt"; } >"$TMP/u16.txt"
run "$BIN" lint --fix "$TMP/u16.txt"
expect_status 0 "--fix of a UTF-16 file"
check "the BOM is kept" test "$(head -c 2 "$TMP/u16.txt" | od -An -tx1 | tr -d ' ')" = fffe
tail -c +3 "$TMP/u16.txt" | iconv -f UTF-16LE -t UTF-8 >"$TMP/u16.utf8"
check "the UTF-16 text is fixed" grep -qxF '甲，乙丙。' "$TMP/u16.utf8"

# Several files: the worst status wins, each file reported.
run "$BIN" lint samples/jianbao-2024-03.txt "$TMP/a.txt" "$TMP/nope.txt"
expect_status 3 "the worst status of several files"
expect_out_has "samples/jianbao-2024-03.txt: no findings" "the clean file is reported"
expect_out_has "$TMP/a.txt: 1 finding, 0 fixable with --fix" "the file with a finding is reported"

finish
