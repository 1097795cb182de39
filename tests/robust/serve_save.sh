#!/bin/sh
# serve_save.sh BULLETIN TESTDIR - the editor's saves and renders go through
# the same rules as the command line (issue 11.1, 11.2): a save keeps the
# file's mode and sweeps a killed run's temporaries; an issue whose 版式 is a
# path is refused without quoting the file.
set -e
BIN=$1
. "$2/lib.sh"
. "$2/serve/serve_lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed" >&2; exit 77; }
D=$TMP/issues
mkdir -p "$D"
cp samples/jianbao-2024-03.txt "$D/a.txt"
chmod 640 "$D/a.txt"
echo partial >"$D/b.txt.tmp-K1ll3d"
start_server "$BIN" "$D"
trap 'stop_server TERM; rm -rf "$TMP"' EXIT
treq() { req -H "X-Bulletin-Token: $TOKEN" "$@"; }

sed 's/^# /# 改 /' samples/jianbao-2024-03.txt >"$TMP/edited"
treq -X PUT -H 'If-Match: *' --data-binary @"$TMP/edited" "$BASE/api/issues/a.txt"
check "save accepted (HTTP $code)" test "$code" = 200
check "saved" cmp -s "$D/a.txt" "$TMP/edited"
check "save keeps the mode 640" test "$(stat -c %a "$D/a.txt")" = 640
expect_no_file "$D/b.txt.tmp-K1ll3d" "a killed run's temporary swept by the save"

printf '报头：测试小组\n期号：2023年第1期\n日期：2023年3月28日\n版式：/etc/passwd\n\n# 标题\n\n正文。\n' >"$TMP/evil"
treq --data-binary @"$TMP/evil" "$BASE/api/render?name=a.txt"
check "render answers (HTTP $code)" test "$code" = 200
check "a 版式 path is an error at its line" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert not j["ok"] and j["pages"] == [], j
d = j["diagnostics"][0]
assert (d["line"], d["col"], d["severity"]) == (4, 4, "error"), d
assert "give a layout name" in d["message"], d' "$TMP/body"
if grep -q "root:" "$TMP/body"; then bad "the refusal quotes /etc/passwd"; else ok; fi

finish
