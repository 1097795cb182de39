#!/usr/bin/env bash
# robust.sh BULLETIN TESTDIR - hostile input: every bad input gets a clear
# FILE:LINE:COL: error, exit status 1 (3 for I/O), never a crash or a hang,
# and no output file; an existing PDF survives any failure untouched.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
HEAD='报头：测试小组
期号：2023年第1期
日期：2023年3月28日
'

# bad NAME STATUS EXPECTED-STDERR-LINE: renders $TMP/NAME.txt, expects the
# status, the exact diagnostic line, and that no PDF appeared.
bad_input() {
  run timeout 120 "$BIN" render "$TMP/$1.txt" -o "$TMP/$1.pdf"
  expect_status "$2" "$1"
  expect_err_line "$3" "$1 message"
  expect_no_file "$TMP/$1.pdf" "$1 leaves no PDF"
  if ls "$TMP" | grep -q "\.tmp-"; then bad "$1 left a temporary file"; else ok; fi
}

: >"$TMP/empty.txt"
bad_input empty 1 "$TMP/empty.txt:1:1: error: empty input: the file has no text"

printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000' >"$TMP/binary.txt"
bad_input binary 1 "$TMP/binary.txt:1:8: error: NUL byte: is this a binary file?"

printf '%s\n# 标题\n\n正文\377。\n' "$HEAD" >"$TMP/badutf8.txt"
bad_input badutf8 1 "$TMP/badutf8.txt:7:3: error: invalid UTF-8 byte 0xFF"

printf '%s\n# 标题\n\n正文\346\212' "$HEAD" >"$TMP/truncated.txt"
bad_input truncated 1 "$TMP/truncated.txt:7:3: error: invalid UTF-8 byte 0xE6"

printf '\xe6\x8a\xa5' | iconv -f UTF-8 -t UTF-16LE >"$TMP/utf16.txt"
printf '%s' "$HEAD" | iconv -f UTF-8 -t UTF-16LE >>"$TMP/utf16.txt"
bad_input utf16 1 "$TMP/utf16.txt:1:1: error: looks like UTF-16 without a byte order mark; save the file as UTF-8"

# A line of megabytes, a 10 MB paragraph, 100,000 articles.
python3 - "$TMP" <<'PY'
import sys
t = sys.argv[1]
head = "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n# 标题\n\n"
open(f"{t}/longline.txt", "w").write(head + "字" * 400000 + "\n")
open(f"{t}/bigpara.txt", "w").write(head + ("中文段落" * 200 + "\n") * 4200)
open(f"{t}/articles.txt", "w").write(head.split("# ")[0] + "".join(f"# 文章{i}\n\n正文。\n\n" for i in range(100000)))
PY
bad_input longline 1 "$TMP/longline.txt:7:1: error: line is longer than the limit of 1048576 bytes"
bad_input bigpara 1 "$TMP/bigpara.txt:7:1: error: paragraph is longer than the limit of 1048576 bytes"
bad_input articles 1 "$TMP/articles.txt:40005:1: error: more than 10000 articles and items"

# An unknown 版式, and a layout file with an error.
printf '报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n版式：fancy\n\n# 标题\n\n正文。\n' >"$TMP/badlayout.txt"
run "$BIN" render "$TMP/badlayout.txt" -o "$TMP/badlayout.pdf"
expect_status 1 "unknown 版式"
check "unknown 版式 points at its line" grep -q "^$TMP/badlayout.txt:4:4: error: 版式 (layout) 'fancy': unknown layout 'fancy'" "$TMP/err"
expect_no_file "$TMP/badlayout.pdf" "unknown 版式 leaves no PDF"

printf 'base = zhuanbao\n[page]\nmargin-top = 37\n' >"$TMP/broken.layout"
printf '%s\n# 标题\n\n正文。\n' "$HEAD" >"$TMP/good.txt"
run "$BIN" render "$TMP/good.txt" --layout "$TMP/broken.layout" -o "$TMP/broken.pdf"
expect_status 1 "layout file error"
check "layout file error names file:line:col" grep -q "^$TMP/broken.layout:3:14: error: " "$TMP/err"
expect_no_file "$TMP/broken.pdf" "layout error leaves no PDF"

# A character no font has: a warning naming it and its line; the PDF is made.
printf '%s\n# 标题\n\n私用区字符\364\217\277\275在此。\n' "$HEAD" >"$TMP/nofont.txt"
run "$BIN" render "$TMP/nofont.txt" -o "$TMP/nofont.pdf"
expect_status 0 "character no font has"
expect_err_has "$TMP/nofont.txt:7:6: warning: character '" "missing glyph warning position"
expect_err_has "(U+10FFFD) is in no font of role 正文" "missing glyph warning names the code point"
expect_file "$TMP/nofont.pdf" "missing glyph still renders"

# A title longer than a page, and a footer longer than a page.
python3 - "$TMP" <<'PY'
import sys
t = sys.argv[1]
head = "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n\n"
open(f"{t}/longtitle.txt", "w").write(head + "# " + "很长的标题" * 300 + "\n\n正文。\n")
open(f"{t}/longfooter.txt", "w").write(head + "# 标题\n\n正文。\n\n抄送：" + "各省、自治区、直辖市总工会，" * 300 + "\n")
PY
run timeout 120 "$BIN" render "$TMP/longtitle.txt" -o "$TMP/longtitle.pdf"
expect_status 0 "a title longer than a page still renders"
bad_input longfooter 1 "$TMP/longfooter.txt:9:1: error: the 版记 (footer) needs 1200 mm, more than a page's text block (225 mm)"

# Output paths that cannot be written: I/O error, exit 3, nothing left.
run "$BIN" render "$TMP/good.txt" -o "$TMP/no/such/dir/out.pdf"
expect_status 3 "output in a missing directory"
expect_err_line "$TMP/no/such/dir/out.pdf: error: cannot write: No such file or directory" "missing directory message"
run "$BIN" render "$TMP/good.txt" -o "$TMP/good.txt/out.pdf"
expect_status 3 "output under a file"
expect_err_line "$TMP/good.txt/out.pdf: error: cannot write: Not a directory" "not a directory message"

# An existing PDF survives a failed render untouched.
echo "OLD PDF" >"$TMP/keep.pdf"
run "$BIN" render "$TMP/empty.txt" -o "$TMP/keep.pdf"
expect_status 1 "failed render over an existing PDF"
check "existing PDF untouched" grep -qx "OLD PDF" "$TMP/keep.pdf"

# A disk that fills up while writing (a 64 KiB tmpfs, where mounting is allowed).
mkdir -p "$TMP/full"
if mount -t tmpfs -o size=64k tmpfs "$TMP/full" 2>/dev/null; then
  echo "OLD PDF" >"$TMP/full/out.pdf"
  run "$BIN" render samples/zhuanbao-2023-08.txt -o "$TMP/full/out.pdf"
  expect_status 3 "disk full"
  expect_err_has "$TMP/full/out.pdf: error: cannot write: No space left on device" "disk full message"
  check "disk full keeps the old PDF" grep -qx "OLD PDF" "$TMP/full/out.pdf"
  check "disk full leaves no temporary" test "$(ls "$TMP/full")" = "out.pdf"
  umount "$TMP/full"
else
  echo "note: cannot mount a tmpfs here; the disk-full case is not checked" >&2
fi

finish
