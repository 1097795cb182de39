#!/bin/sh
# errors.sh BULLETIN TESTDIR - errors a person can act on (issue 11.6): a
# font pattern nothing matches names the layout line and role; empty option
# values are usage errors; a layout too narrow is refused in the layout;
# check fails wherever render fails (it renders in memory); an out-of-range
# SOURCE_DATE_EPOCH is refused.
set -e
BIN=$1
. "$2/lib.sh"
T="timeout 120"
cd "$TMP"
HEAD='报头：测试小组
期号：2023年第1期
日期：2023年3月28日'
printf '%s\n\n# 标题\n\n正文。\n' "$HEAD" >a.txt

printf 'base = zhuanbao\n[fonts]\n正文 = "NoSuchFont", "NoSuchFont Either"\n' >nofont.layout
run $T "$BIN" render a.txt --layout nofont.layout -o x.pdf
expect_status 1 "a font pattern nothing matches"
expect_err_line 'nofont.layout:3:1: error: [fonts] 正文: no installed font matches any of the patterns "NoSuchFont", "NoSuchFont Either"' "names the layout line and the role"

for opt in --layout -o --dump-layout --format; do
  run $T "$BIN" render a.txt "$opt" ''
  expect_status 2 "render $opt ''"
  expect_err_line "bulletin render: option '$opt' needs a value, not an empty string" "render $opt '' message"
done
for opt in -o --layout --report; do
  run $T "$BIN" batch a.txt -o out "$opt" ''
  expect_status 2 "batch $opt ''"
  expect_err_line "bulletin batch: option '$opt' needs a value, not an empty string" "batch $opt '' message"
done

printf 'base = zhuanbao\n[page]\nchars = 1\n' >narrow.layout
run $T "$BIN" render a.txt --layout narrow.layout -o x.pdf
expect_status 1 "chars = 1"
expect_err_line "narrow.layout:3:9: error: '1' is out of range: a body line holds between 10 and 200 characters" "chars = 1 refused in the layout"

# check renders in memory: it fails where render fails, and writes nothing.
python3 - <<'PY'
head = "报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n"
open("footer.txt", "w").write(head + "\n# 标题\n\n正文。\n\n抄送：" + "各省、自治区、直辖市总工会，" * 300 + "\n")
open("wide.txt", "w").write(head + "\n# 标题\n\n" + "\U000F0000" * 300 + "\n")
open("close.txt", "w").write(head + "\n# 标题\n\n正文" + "）" * 90 + "\n")
open("layout.txt", "w").write(head + "版式：/etc/passwd\n\n# 标题\n\n正文。\n")
PY
for f in footer close layout; do
  run $T "$BIN" render $f.txt -o $f.pdf
  rstatus=$status
  head -1 err >render.err
  run $T "$BIN" check $f.txt
  expect_status "$rstatus" "check $f.txt exits as render does"
  check "check $f.txt: the same error as render" sh -c "head -1 '$TMP/err' | cmp -s - render.err"
  if grep -q ': ok$' out; then bad "check $f.txt says ok"; else ok; fi
done
# 300 characters no font has, with no break between them: set with emergency
# breaks and blank boxes, warned about; check says ok, with render's warnings.
run $T "$BIN" render wide.txt -o wide.pdf
expect_status 0 "render wide.txt (emergency breaks)"
grep warning err >render.warn
run $T "$BIN" check wide.txt
expect_status 0 "check wide.txt exits as render does"
expect_out_has "wide.txt: ok" "check wide.txt says ok"
check "check wide.txt: render's warnings (emergency break, missing glyph)" sh -c \
  "grep warning '$TMP/err' | cmp -s - render.warn && grep -q 'emergency break' render.warn && grep -q 'in no font' render.warn"
run $T "$BIN" check a.txt
expect_status 0 "check a good issue"
expect_out_has "a.txt: ok" "check says ok"
expect_no_file a.pdf "check writes nothing"

# SOURCE_DATE_EPOCH: whole seconds up to the end of year 9999.
for v in 9223372036854775807 99999999999999999999 253402300800 -1 1e9 12abc; do
  SOURCE_DATE_EPOCH=$v run $T "$BIN" render a.txt -o sde.pdf
  expect_status 2 "SOURCE_DATE_EPOCH=$v"
  expect_err_has "error: SOURCE_DATE_EPOCH='$v' is not a number of seconds from 0 to 253402300799" "SOURCE_DATE_EPOCH=$v message"
  expect_no_file sde.pdf "SOURCE_DATE_EPOCH=$v writes nothing"
done
SOURCE_DATE_EPOCH=253402300799 run $T "$BIN" render a.txt -o sde.pdf
expect_status 0 "SOURCE_DATE_EPOCH at the end of 9999"
check "its date in the PDF" grep -aq "CreationDate (D:99991231235959" sde.pdf

finish
