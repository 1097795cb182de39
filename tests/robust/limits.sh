#!/bin/sh
# limits.sh BULLETIN TESTDIR - inputs within the limits stay cheap (issue
# 11.4, the layout and font part): a character no font has is warned about
# once with a count, at most 20 characters by name and a summary for the
# rest; a layout's font patterns per role are bounded, with an error at the
# line (a 16,000-pattern layout used to take 1.86 GB).
set -e
BIN=$1
. "$2/lib.sh"
T="timeout 120"
cd "$TMP"
python3 - <<'PY'
head = "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n# 标题\n\n"
# 15,000 missing characters: 3,000 distinct private-use code points, 5 times each.
open("missing.txt", "w").write(head + "".join("中" + chr(0xF0000 + i % 3000) for i in range(15000)) + "\n")
open("one.txt", "w").write(head + "前\U0010FFFD中\U0010FFFD后\U0010FFFD。\n")
pats = ", ".join('"NoSuchFamily%d"' % i for i in range(16000))
open("huge.layout", "w").write("base = zhuanbao\n[fonts]\n正文 = " + pats + "\n")
ok = ", ".join('"NoSuchFamily%d"' % i for i in range(31)) + ', "Noto Serif CJK SC"'
open("max.layout", "w").write("base = zhuanbao\n[fonts]\n正文 = " + ok + "\n")
over = ", ".join('"F%d"' % i for i in range(33))
open("over.layout", "w").write("base = zhuanbao\n[fonts]\n# too many\n标题 = " + over + "\n")
PY

run $T "$BIN" render one.txt -o one.pdf
expect_status 0 "a missing character repeated"
expect_err_line "one.txt:7:2: warning: character '􏿽' (U+10FFFD) is in no font of role 正文; it prints as a blank box (3 times, the first here)" "one warning with the count"
check "exactly one warning" test "$(grep -c ': warning: ' err)" = 1

run $T "$BIN" render missing.txt -o missing.pdf
expect_status 0 "15,000 missing characters still render"
check "20 characters named" test "$(grep -c ': warning: character ' err)" = 20
expect_err_line "missing.txt: warning: 2980 more characters are in no font (14900 uses); they print as blank boxes" "the summary of the rest"
check "stderr stays small (< 20 KB)" test "$(wc -c <err)" -lt 20000
expect_err_has "(U+F0000) is in no font of role 正文; it prints as a blank box (5 times, the first here)" "count per code point"

# The 目录 is laid out in several passes; its warnings come once.
printf '报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n# 标题\n\n字\364\217\277\275。\n\n# 二\n\n正文。\n' >toc.txt
printf 'base = zhuanbao\n[toc]\npage-numbers = yes\n' >toc.layout
run $T "$BIN" render toc.txt --layout toc.layout -o toc.pdf
expect_status 0 "a 目录 with page numbers"
check "multi-pass layout warns once" test "$(grep -c ': warning: ' err)" = 1

run $T "$BIN" render one.txt --layout huge.layout -o huge.pdf
expect_status 1 "16,000 font patterns"
check "refused at its line" grep -q "^huge.layout:3:.*: error: role 正文 has more than 32 font patterns$" err
expect_no_file huge.pdf "no PDF for a refused layout"
run $T "$BIN" render one.txt --layout over.layout -o over.pdf
expect_status 1 "33 font patterns"
check "33 patterns: error at the 33rd" grep -q "^over.layout:4:.*: error: role 标题 has more than 32 font patterns$" err
run $T "$BIN" render one.txt --layout max.layout -o max.pdf
expect_status 0 "32 patterns, 31 of them missing, still render"

finish
