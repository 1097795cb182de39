#!/bin/sh
# inputs.sh BULLETIN TESTDIR - an issue is untrusted (issue 11.2): its 版式
# names a shipped layout or a NAME.layout in its own folder, nothing else;
# no other file's content is ever echoed; inputs and layouts open without
# blocking and must be regular files (a FIFO fails at once). check rejects
# what render rejects. --layout PATH on the command line stays free.
set -e
BIN=$1
. "$2/lib.sh"
T="timeout 60"
HEAD='报头：测试小组
期号：2023年第1期
日期：2023年3月28日'
mkdir -p "$TMP/d" "$TMP/elsewhere"
cd "$TMP"
export BL_SECRET_MARK=s3cr3t-value-for-the-test

# issue NAME 版式-VALUE: d/NAME.txt naming that layout.
issue() { printf '%s\n版式：%s\n\n# 标题\n\n正文。\n' "$HEAD" "$2" >"d/$1.txt"; }

# refused NAME 版式 MESSAGE: render and check fail (exit 1) at the 版式
# line with MESSAGE, echo nothing of another file, and make no PDF.
refused() {
  issue "$1" "$2"
  for cmd in render check; do
    if [ $cmd = render ]; then run $T "$BIN" render "d/$1.txt" -o "d/$1.pdf"
    else run $T "$BIN" check "d/$1.txt"; fi
    expect_status 1 "$cmd 版式：$2"
    expect_err_has "d/$1.txt:4:4: error: 版式 (layout) '$2': $3" "$cmd 版式：$2 message"
    if grep -q "root:\|s3cr3t" "$TMP/err"; then bad "$cmd 版式：$2 echoes another file"; else ok; fi
  done
  expect_no_file "d/$1.pdf" "版式：$2 makes no PDF"
}

NOPATH="give a layout name (zhuanbao, jianbao, gongwen) or a NAME.layout file in the input's folder, not a path"
refused passwd /etc/passwd "$NOPATH"
refused environ /proc/self/environ "$NOPATH"
refused up ../elsewhere/x.layout "$NOPATH"
refused hidden .layout "$NOPATH"
refused dotdot .. "$NOPATH"
ln -s /etc/passwd d/passwd.layout
refused link passwd.layout "cannot open: a symbolic link is not followed here"
mkfifo d/fifo.layout
refused fifo fifo.layout "cannot read: this is a FIFO, not a regular file"
refused missing nosuch.layout "cannot open: No such file or directory"
refused unknown fancy "unknown layout 'fancy' (shipped: "

# A NAME.layout beside the input is read from the input's folder, whatever
# the working directory; its own errors name it.
printf 'base = jianbao\n' >d/mine.layout
printf 'base = jianbao\n[page]\nmargin-top = 37\n' >d/broken.layout
printf 'this is not the one\n' >mine.layout
issue mine mine.layout
run $T "$BIN" render d/mine.txt -o d/mine.pdf
expect_status 0 "版式 NAME.layout in the input's folder"
run $T "$BIN" check d/mine.txt
expect_status 0 "check 版式 NAME.layout"
(cd elsewhere && $T "$BIN" render ../d/mine.txt -o mine.pdf >/dev/null 2>&1)
check "resolved against the input's folder from another cwd" test -s elsewhere/mine.pdf
issue broken broken.layout
run $T "$BIN" check d/broken.txt
expect_status 1 "check: an error in the issue's layout file"
check "the layout's own error names it" grep -q "^d/broken.layout:3:14: error: " "$TMP/err"

# Inputs that are not regular files fail at once, never hang.
mkfifo in.txt
run $T "$BIN" render in.txt -o in.pdf
expect_status 3 "render a FIFO input"
expect_err_line "in.txt: error: cannot read: this is a FIFO, not a regular file" "FIFO input message"
run $T "$BIN" check in.txt
expect_status 3 "check a FIFO input"
run $T "$BIN" render /dev/zero -o zero.pdf
expect_err_line "/dev/zero: error: cannot read: this is a character device, not a regular file" "device input refused"
mkdir -p b
issue fifoissue fifo.layout
cp d/fifoissue.txt b/
ln -s ../d/fifo.layout b/fifo.layout 2>/dev/null || true
cp d/mine.txt d/mine.layout b/
run $T "$BIN" batch b -o bout -j 2
expect_status 1 "batch with a FIFO 版式 finishes"
check "batch: the other issue rendered" test -s bout/mine.pdf

# --layout PATH is the user's: any path, the same non-blocking open.
run $T "$BIN" render d/mine.txt --layout d/fifo.layout -o x.pdf
expect_status 3 "--layout FIFO fails at once"
expect_err_line "d/fifo.layout: error: cannot read: this is a FIFO, not a regular file" "--layout FIFO message"
run $T "$BIN" render d/mine.txt --layout elsewhere/../d/broken.layout -o x.pdf
check "--layout takes any path" grep -q "^elsewhere/../d/broken.layout:3:14: error: " "$TMP/err"

finish
