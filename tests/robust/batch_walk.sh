#!/bin/sh
# batch_walk.sh BULLETIN TESTDIR - batch over hostile trees (issue 11.5):
# each directory walked once (symlink loops), what is skipped is warned
# about, inputs mapping to one output fail before rendering, a file given
# twice is rendered once, the report is valid JSON for any file name, and
# --changed notices a changed layout and an input dated in the future.
set -e
BIN=$1
. "$2/lib.sh"
T="timeout 120"
cd "$TMP"
ISSUE='报头：测试小组
期号：2023年第1期
日期：2023年3月28日

# 标题

正文。'
mk() { mkdir -p "$(dirname "$1")"; printf '%s\n' "$ISSUE" >"$1"; }

# A link to its own folder, and two links to '.' (exponential before).
mk loop/a.txt
ln -s . loop/self
run $T "$BIN" batch loop -o out1
expect_status 0 "self -> . loop"
check "rendered once" grep -q '^rendered 1, skipped 0, failed 0' err
expect_err_line "loop/self: warning: skipped: this directory was already searched (a symbolic link loop, or the same directory reached twice)" "loop warning"
expect_no_file out1/self "no nested output folders"
mk loop2/a.txt
ln -s . loop2/l1
ln -s . loop2/l2
run $T "$BIN" batch loop2 -o out2
expect_status 0 "two links to ."
check "two links: rendered once" grep -q '^rendered 1, skipped 0, failed 0' err

# Deeper than 64 folders: skipped with a warning, not silently.
p=deep
for i in $(seq 1 66); do p=$p/d; done
mk "$p/x.txt"
mk deep/top.txt
run $T "$BIN" batch deep -o out3
check "deep: the shallow one rendered" grep -q '^rendered 1, ' err
check "deep: warned" grep -q ": warning: skipped: more than 64 directories deep$" err

# A .txt that is not a regular file: skipped with its reason.
mkdir -p odd
mkfifo odd/pipe.txt
mk odd/ok.txt
run $T "$BIN" batch odd -o out4
expect_status 0 "a FIFO named .txt in a tree"
expect_err_line "odd/pipe.txt: warning: skipped: this is a FIFO, not a regular file" "FIFO skipped with its reason"

# Two inputs for one output: both fail before rendering, nothing written.
mk d1/x.txt
mk d2/x.txt
mk d2/y.txt
run $T "$BIN" batch d1 d2 -o out5 --report out5.json
expect_status 1 "colliding outputs"
expect_err_line "d1/x.txt: error: output out5/x.pdf would also be written by d2/x.txt; rename one of them" "collision names the other input"
expect_err_line "d2/x.txt: error: output out5/x.pdf would also be written by d1/x.txt; rename one of them" "both collide"
expect_no_file out5/x.pdf "no winner by thread timing"
expect_file out5/y.pdf "the others still render"
check "summary counts the collisions" grep -q '^rendered 1, skipped 0, failed 2' err

# The same directory twice, a folder and its subfolder, a file twice.
mk d3/a.txt
mk d3/sub/b.txt
run $T "$BIN" batch d3 d3/sub d3 -o out6
expect_status 0 "d3 d3/sub d3"
check "each file once" grep -q '^rendered 2, skipped 0, failed 0' err
run $T "$BIN" batch d3/a.txt d3/a.txt ./d3/a.txt -o out7
expect_status 0 "one file three times"
check "rendered once" grep -q '^rendered 1, skipped 0, failed 0' err
expect_err_line "d3/a.txt: warning: skipped: the same file as d3/a.txt, given twice" "duplicate warned"

# A file name that is not UTF-8: the report is still valid JSON.
mkdir -p raw
printf '%s\n' "$ISSUE" >"raw/$(printf 'x\377y').txt"
run $T "$BIN" batch raw -o out8 --report out8.json
expect_status 0 "a non-UTF-8 file name renders"
run python3 -c "
import json, sys
r = json.load(open('out8.json', encoding='utf-8'))
assert r['issues'][0]['input'] == 'raw/x\ufffdy.txt', r
"
expect_status 0 "report is strict UTF-8 JSON"

# --changed: a stamp beside each output; a changed layout (file or option)
# re-renders, an input dated in the future does not re-render forever.
mk c/a.txt
mk c/b.txt
printf 'base = jianbao\n' >my.layout
run $T "$BIN" batch c -o out9 --layout my.layout
run $T "$BIN" batch c -o out9 --layout my.layout --changed
check "--changed: all up to date" grep -q '^rendered 0, skipped 2, failed 0' err
printf 'base = zhuanbao\n' >my.layout
touch -d '+1 minute' my.layout
run $T "$BIN" batch c -o out9 --layout my.layout --changed
check "--changed: the layout file changed" grep -q '^rendered 2, skipped 0, failed 0' err
run $T "$BIN" batch c -o out9 --layout jianbao --changed
check "--changed: another --layout" grep -q '^rendered 2, skipped 0, failed 0' err
touch -d '+1 day' c/a.txt
run $T "$BIN" batch c -o out9 --layout jianbao --changed
check "--changed: future input rendered once" grep -q '^rendered 1, skipped 1, failed 0' err
run $T "$BIN" batch c -o out9 --layout jianbao --changed
check "--changed: then up to date" grep -q '^rendered 0, skipped 2, failed 0' err
rm out9/b.pdf
run $T "$BIN" batch c -o out9 --layout jianbao --changed
check "--changed: a missing output is made" grep -q '^rendered 1, skipped 1, failed 0' err

# The layout an issue names (版式) counts too.
mkdir -p e
printf '报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n版式：own.layout\n\n# 标题\n\n正文。\n' >e/a.txt
printf 'base = jianbao\n' >e/own.layout
run $T "$BIN" batch e -o out10
run $T "$BIN" batch e -o out10 --changed
check "--changed: 版式 layout unchanged" grep -q '^rendered 0, skipped 1, failed 0' err
printf 'base = gongwen\n' >e/own.layout
touch -d '+1 minute' e/own.layout
run $T "$BIN" batch e -o out10 --changed
check "--changed: the 版式 layout changed" grep -q '^rendered 1, skipped 0, failed 0' err

finish
