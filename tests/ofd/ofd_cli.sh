#!/usr/bin/env bash
# ofd_cli.sh BIN TESTDIR SHAREDDIR - OFD through the command line: picked by
# the extension or --format, the same bytes on every run (whatever the time
# zone or locale), dates from the issue or SOURCE_DATE_EPOCH, batch writing
# .ofd files, --dump-layout unchanged, an unwritable output refused with
# nothing left behind, and a broken package refused by ofd-check.
set -euo pipefail
BIN=$1
TESTDIR=$2
SHARED=$3
. "$TESTDIR/lib.sh"
export TZ=UTC
unset SOURCE_DATE_EPOCH
need unzip
IN=samples/jianbao-2024-03.txt

run "$BIN" render "$IN" -o "$TMP/a.ofd" --dump-layout "$TMP/a.json"
expect_status 0 "render -o a.ofd"
expect_out_has "wrote $TMP/a.ofd (2 pages)" "render says what it wrote"
check "the .ofd extension picks OFD (a ZIP)" sh -c "head -c 2 '$TMP/a.ofd' | grep -q PK"
run "$BIN" render "$IN" -o "$TMP/b.OFD"
expect_status 0 "render -o b.OFD"
check "the extension is not case-sensitive, the bytes are the same" cmp -s "$TMP/a.ofd" "$TMP/b.OFD"
run env TZ=Asia/Shanghai LC_ALL=C.UTF-8 "$BIN" render "$IN" -o "$TMP/c.ofd"
check "another time zone and locale: byte-identical" cmp -s "$TMP/a.ofd" "$TMP/c.ofd"
run "$BIN" render "$IN" --format ofd -o "$TMP/d.pdf" --dump-layout "$TMP/d.json"
expect_status 0 "--format ofd with a .pdf name"
check "--format ofd overrides the extension" cmp -s "$TMP/a.ofd" "$TMP/d.pdf"
run "$BIN" render "$IN" -o "$TMP/e.pdf" --dump-layout "$TMP/e.json"
check "--format pdf is still PDF" sh -c "head -c 5 '$TMP/e.pdf' | grep -q '%PDF-'"
check "--dump-layout is the same whatever the format" cmp -s "$TMP/a.json" "$TMP/e.json"
check "--dump-layout is the same with --format" cmp -s "$TMP/a.json" "$TMP/d.json"

# The package: fixed member order, every member stamped with the issue date.
unzip -Z -T "$TMP/a.ofd" | awk '/^-/ { print $7, $8 }' >"$TMP/members"
printf '%s\n' "20240229.000000 OFD.xml" "20240229.000000 Doc_0/Document.xml" \
  "20240229.000000 Doc_0/PublicRes.xml" "20240229.000000 Doc_0/Res/font_1.otf" \
  "20240229.000000 Doc_0/Res/font_2.ttf" "20240229.000000 Doc_0/Res/font_3.otf" \
  "20240229.000000 Doc_0/Res/font_4.otf" "20240229.000000 Doc_0/Pages/Page_0/Content.xml" \
  "20240229.000000 Doc_0/Pages/Page_1/Content.xml" >"$TMP/want"
check "members in order, stamped with the issue date" cmp -s "$TMP/members" "$TMP/want"
cmp -s "$TMP/members" "$TMP/want" || diff "$TMP/want" "$TMP/members" >&2 || true
unzip -p "$TMP/a.ofd" OFD.xml >"$TMP/ofd.xml"
check "DocInfo: the title" grep -qF "<ofd:Title>工作简报 2024年第3期</ofd:Title>" "$TMP/ofd.xml"
check "DocInfo: the author" grep -qF "<ofd:Author>某市总工会办公室</ofd:Author>" "$TMP/ofd.xml"
check "DocInfo: the issue date" grep -qF "<ofd:CreationDate>2024-02-29</ofd:CreationDate>" "$TMP/ofd.xml"

# SOURCE_DATE_EPOCH (2023-11-14 22:13:20 UTC) dates the document instead.
run env SOURCE_DATE_EPOCH=1700000000 "$BIN" render "$IN" -o "$TMP/s.ofd"
expect_status 0 "render with SOURCE_DATE_EPOCH"
check "SOURCE_DATE_EPOCH: DocInfo" sh -c \
  "unzip -p '$TMP/s.ofd' OFD.xml | grep -qF '<ofd:CreationDate>2023-11-14</ofd:CreationDate>'"
check "SOURCE_DATE_EPOCH: the members' stamps" sh -c \
  "unzip -Z -T '$TMP/s.ofd' OFD.xml | grep -qF '20231114.221320 OFD.xml'"

# batch --format ofd: .ofd files beside each other, the same bytes as render.
mkdir -p "$TMP/in/sub"
cp "$IN" "$TMP/in/one.txt"
cp samples/gongwen-2023-09.txt "$TMP/in/sub/two.txt"
run "$BIN" batch "$TMP/in" -o "$TMP/ofds" -j 2 --format ofd
expect_status 0 "batch --format ofd"
expect_file "$TMP/ofds/one.ofd" "batch writes one.ofd"
expect_file "$TMP/ofds/sub/two.ofd" "batch keeps the relative path (sub/two.ofd)"
check "batch writes no PDF" test ! -e "$TMP/ofds/one.pdf"
run "$BIN" render "$TMP/in/one.txt" -o "$TMP/one.ofd"
check "batch and render give the same bytes" cmp -s "$TMP/ofds/one.ofd" "$TMP/one.ofd"
run "$BIN" batch "$TMP/in" -o "$TMP/ofds" --format ofd --changed
expect_status 0 "batch --format ofd --changed"
expect_err_has "rendered 0, skipped 2, failed 0" "--changed compares with the .ofd files (nothing to do)"

# An output that cannot be written: exit 3, the path named, nothing left;
# a failed render leaves an existing OFD untouched.
run "$BIN" render "$IN" -o "$TMP/nodir/x.ofd"
expect_status 3 "an unwritable output"
expect_err_has "$TMP/nodir/x.ofd" "the unwritable path is named"
expect_no_file "$TMP/nodir" "nothing is created"
cp "$TMP/a.ofd" "$TMP/keep.ofd"
printf '报头：某市总工会办公室\n刊名：工作简报\n期号：2024年第3期\n日期：2024年13月40日\n' >"$TMP/bad.txt"
run "$BIN" render "$TMP/bad.txt" -o "$TMP/keep.ofd"
expect_status 1 "a bad issue"
check "an existing OFD survives a failed render" cmp -s "$TMP/a.ofd" "$TMP/keep.ofd"
check "no temporary file is left" sh -c "! ls -a '$TMP' | grep -q 'keep.ofd.'"

# ofd-check refuses broken packages: a truncated file, and one whose page
# lost a part (so the check is not vacuous).
if command -v xmllint >/dev/null && command -v node >/dev/null && command -v python3 >/dev/null; then
  head -c 3000 "$TMP/a.ofd" >"$TMP/cut.ofd"
  run "$SHARED/tools/ofd-check" "$TMP/cut.ofd"
  expect_status 1 "ofd-check refuses a truncated package"
  python3 - "$TMP/a.ofd" "$TMP/broken.ofd" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as a, zipfile.ZipFile(sys.argv[2], "w") as b:
    for i in a.infolist():
        data = a.read(i)
        if i.filename == "Doc_0/Pages/Page_1/Content.xml":
            continue
        if i.filename == "Doc_0/Pages/Page_0/Content.xml":
            data = data.replace(b"<ofd:TextCode ", b"<ofd:TextCod ", 1)
        b.writestr(i, data)
PY
  if [ -s "$TMP/broken.ofd" ]; then
    run "$SHARED/tools/ofd-check" "$TMP/broken.ofd"
    expect_status 1 "ofd-check refuses a package with a missing page and a bad element"
    expect_out_has "Doc_0/Pages/Page_1/Content.xml is named but not in the package" "the missing page is named"
    expect_out_has "does not validate against Page.xsd" "the bad element is found"
  fi
fi

finish
