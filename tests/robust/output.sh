#!/bin/sh
# output.sh BULLETIN TESTDIR - what an output path may be (issue 11.1): a
# new name or a regular file is replaced atomically (mode kept), a symlink
# is followed to its target, a device, FIFO or socket is refused (exit 2)
# and left as it was, and an output that is an input is refused (exit 2).
# Stale temporaries of a killed run are removed by the next write.
set -e
BIN=$1
. "$2/lib.sh"
T="timeout 120"
cp samples/zhuanbao-2023-08.txt "$TMP/a.txt"
cp "$TMP/a.txt" "$TMP/a.orig"
cd "$TMP"

# refused PATH KIND-TEST WHAT [OPTION]: the output is refused, exit 2, and
# what is there is still what it was.
refused() {
  run $T "$BIN" render a.txt ${4:---output} "$1"
  expect_status 2 "$3"
  expect_err_has "$1: error: cannot write: this is " "$3 message"
  check "$3 is still there, as it was" test "$2" "$1"
}

refused /dev/null -c "render -o /dev/null"
refused /dev/full -c "render -o /dev/full"
mkfifo fifo
refused fifo -p "render -o FIFO"
python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('sock')"
refused sock -S "render -o socket"
if mknod node c 1 3 2>/dev/null; then
  refused node -c "render -o a device node"
else
  echo "note: cannot mknod here; the device-node case is not checked" >&2
fi
ln -s /dev/null devlink.pdf
run $T "$BIN" render a.txt -o devlink.pdf
expect_status 2 "a symlink to /dev/null"
check "/dev/null still a device (through a link)" test -c /dev/null
check "the link stays" test -L devlink.pdf
# --dump-layout and --report go through the same writer.
run $T "$BIN" render a.txt -o x.pdf --dump-layout /dev/null
expect_status 2 "--dump-layout /dev/null"
check "/dev/null still a device" test -c /dev/null
mkdir -p in
cp a.txt in/
run $T "$BIN" batch in -o outdir --report /dev/null
check "--report /dev/null refused" grep -q "^/dev/null: error: cannot write: this is a character device" "$TMP/err"
check "/dev/null still a device after --report" test -c /dev/null

# A symlink is followed: the target gets the PDF, the link stays.
ln -s target.pdf link.pdf
run $T "$BIN" render a.txt -o link.pdf
expect_status 0 "render through a dangling symlink"
check "the link stays a link" test -L link.pdf
check "the target is a PDF" sh -c 'head -c 5 target.pdf | grep -q "%PDF-"'
echo old >target.pdf
run $T "$BIN" render a.txt -o link.pdf
check "re-render through a symlink replaces the target" sh -c 'head -c 5 target.pdf | grep -q "%PDF-"'
check "and the link stays a link" test -L link.pdf
mkdir -p sub
ln -s ../target.pdf sub/rel.pdf
run $T "$BIN" render a.txt -o sub/rel.pdf
expect_status 0 "a relative symlink in another folder"
check "relative link kept" test -L sub/rel.pdf
expect_no_file sub/target.pdf "relative link resolved against its own folder"

# An output that is an input: refused, exit 2, the input untouched.
run $T "$BIN" render a.txt -o a.txt
expect_status 2 "render a.txt -o a.txt"
expect_err_line "a.txt: error: refusing to write the output over the input a.txt (give another -o)" "output = input message"
check "input untouched (-o a.txt)" cmp -s a.txt a.orig
cp a.txt b.pdf
run $T "$BIN" render b.pdf
expect_status 2 "render x.pdf (a text file named .pdf) onto itself"
check "x.pdf untouched" cmp -s b.pdf a.orig
ln -s a.txt a.pdf
run $T "$BIN" render a.txt
expect_status 2 "default output a symlink to the input"
check "input untouched (symlink)" cmp -s a.txt a.orig
rm a.pdf
ln a.txt hard.pdf
run $T "$BIN" render a.txt -o hard.pdf
expect_status 2 "output a hard link to the input"
check "input untouched (hard link)" cmp -s a.txt a.orig
run $T "$BIN" render a.txt -o c.pdf --dump-layout a.txt
expect_status 2 "--dump-layout over the input"
check "input untouched (--dump-layout)" cmp -s a.txt a.orig
expect_no_file c.pdf "nothing written when one output is refused"
run $T "$BIN" render a.txt -o c.pdf --dump-layout c.pdf
expect_status 2 "--dump-layout the same file as -o"
printf 'base = jianbao\n' >my.layout
run $T "$BIN" render a.txt --layout my.layout -o my.layout
expect_status 2 "output over the --layout file"
check "layout untouched" grep -qx 'base = jianbao' my.layout
run $T "$BIN" batch in -o bout --report in/a.txt
expect_status 2 "batch --report over an input"
expect_err_line "in/a.txt: error: refusing to write the report over the input in/a.txt" "--report over an input message"
check "batch --report over an input is not written" cmp -s in/a.txt a.orig

# Re-rendering keeps the file's mode; a new file gets 0666 less the umask.
run $T "$BIN" render a.txt -o mode.pdf
chmod 640 mode.pdf
run $T "$BIN" render a.txt -o mode.pdf
check "mode 640 kept" test "$(stat -c %a mode.pdf)" = 640
rm -f new.pdf
(umask 027 && "$BIN" render a.txt -o new.pdf >/dev/null)
check "new file 0666 & ~027" test "$(stat -c %a new.pdf)" = 640

# A temporary a killed run left is removed by the next write there; one a
# live writer holds (locked) is not.
mkdir -p stale
echo partial >stale/out.pdf.tmp-Ab3xY9
echo partial >stale/other.json.tmp-q1w2e3
echo keep >stale/notes.tmp-toolong1
echo partial >stale/live.pdf.tmp-L1v3Wr
exec 9>>stale/live.pdf.tmp-L1v3Wr
flock -x 9
run $T "$BIN" render a.txt -o stale/out.pdf
exec 9>&-
expect_status 0 "render into a folder with stale temporaries"
expect_no_file stale/out.pdf.tmp-Ab3xY9 "stale temporary of the target removed"
expect_no_file stale/other.json.tmp-q1w2e3 "stale temporary of another output removed"
expect_file stale/notes.tmp-toolong1 "a file that is not a temporary stays"
expect_file stale/live.pdf.tmp-L1v3Wr "a locked (live) temporary stays"
mkdir -p bout
run $T "$BIN" batch in -o bout
rm bout/a.pdf # killed before the rename
echo partial >bout/a.pdf.tmp-zzzzzz
run $T "$BIN" batch in -o bout --changed
expect_no_file bout/a.pdf.tmp-zzzzzz "batch --changed removes a stale temporary even when it skips"

finish
