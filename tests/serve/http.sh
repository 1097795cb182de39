#!/usr/bin/env bash
# http.sh BULLETIN TESTDIR - `bulletin serve` over HTTP with curl: the
# command line, the first line it prints, the address it listens on; every
# refusal (no token 403, a foreign Host 403, bad names 404 also
# percent-encoded, a body over the input limit 413, unknown paths 404, wrong
# methods 405) changing nothing; the API (docs/serve.md): the list, reading
# with an ETag, saving with If-Match (stale: 409, nothing written), rendering
# text with diagnostics, the saved file's SVG pages and PDF, byte-identical
# to `bulletin render`; renders superseded rather than piled up; SIGINT and
# SIGTERM stop it with exit 0.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
HERE=$(dirname "$0")
. "$HERE/serve_lib.sh"
need curl python3 pdfinfo
export TZ=UTC

# ---- the command line ----
run "$BIN" serve --help
expect_status 0 "serve --help"
expect_out_has "usage: bulletin serve [DIR] [--port N] [--host ADDRESS]" "serve --help gives the usage"
run "$BIN" --help
expect_out_has "serve [DIR] [--port N] [--host ADDRESS]" "--help lists serve"
run "$BIN" serve --port 70000
expect_status 2 "serve --port 70000"
run "$BIN" serve --bogus
expect_status 2 "serve --bogus"
run "$BIN" serve --host 0.0.0.0
expect_status 2 "serve --host 0.0.0.0 (every address)"
expect_err_has "name the one clients will use" "a wildcard address is refused with the reason"
run "$BIN" serve "$TMP/nope"
expect_status 3 "serve of a folder that does not exist"
expect_err_has "not a folder" "serve names the missing folder"

# ---- the folder served ----
D="$TMP/issues"
mkdir -p "$D/sub"
cp samples/*.txt "$D/"
A=jianbao-2024-03.txt
echo "not an issue" >"$D/notes.md"
cp samples/$A "$D/.hidden.txt"
cp samples/$A "$D/sub/inner.txt"
ln -s /etc/passwd "$D/link.txt"
cp layouts/jianbao.layout "$D/mine.layout"
# The same text in GB18030, as older office files are.
python3 -c "import sys; open(sys.argv[2], 'wb').write(open(sys.argv[1], encoding='utf-8').read().encode('gb18030'))" \
  "samples/$A" "$D/gb.txt"
snapshot() { (cd "$D" && find . -type f | sort | xargs sha256sum) >"$1"; }

start_server "$BIN" "$D"
check "the first line is http://127.0.0.1:PORT/?token=TOKEN" \
  sh -c "head -n 1 '$TMP/serve.out' | grep -Eqx 'http://127\.0\.0\.1:[0-9]+/\?token=[0-9a-f]{32}'"
# Listening on 127.0.0.1 only (state 0A = LISTEN, 0100007F = 127.0.0.1).
hexport=$(printf '%04X' "$PORT")
check "listens on 127.0.0.1:$PORT" grep -q " 0100007F:$hexport 00000000:0000 0A " /proc/net/tcp
check "listens on nothing else at port $PORT" \
  sh -c "! grep ':$hexport 00000000:0000 0A ' /proc/net/tcp | grep -qv ' 0100007F:'"
snapshot "$TMP/before"

# ---- refusals ----
req "$BASE/api/issues"
expect_code 403 "no token"
req -H "X-Bulletin-Token: 0123456789abcdef0123456789abcdef" "$BASE/api/issues"
expect_code 403 "a wrong token"
req -H "X-Bulletin-Token: ${TOKEN}0" "$BASE/api/issues"
expect_code 403 "the token with a character more"
req "$BASE/api/issues?token=$TOKEN"
expect_code 403 "the token in the query of an API request"
req "$BASE/"
expect_code 403 "the page without its token"
req "$BASE/app.js"
expect_code 403 "an asset without the token"
req "$BASE/?token=$TOKEN"
expect_code 200 "the page with its token"
expect_header "Set-Cookie: bulletin_token_$PORT=$TOKEN; Path=/; HttpOnly; SameSite=Strict" "the page sets the token's cookie"
expect_header "Content-Security-Policy: default-src 'none'; script-src 'self'" "the page forbids anything from outside"
expect_body_has '<script src="/app.js"' "the page is the editor"
req -b "bulletin_token_$PORT=$TOKEN" "$BASE/api/issues"
expect_code 200 "the cookie carries the token"
req -b "bulletin_token_1=$TOKEN" "$BASE/api/issues"
expect_code 403 "another port's cookie does not"
for host in "evil.example:$PORT" "127.0.0.1:1" "127.0.0.1" "localhost.evil.example:$PORT" "192.168.1.1:$PORT"; do
  treq -H "Host: $host" "$BASE/api/issues"
  expect_code 403 "Host: $host"
  req -H "Host: $host" "$BASE/?token=$TOKEN"
  expect_code 403 "the page with Host: $host"
done
for host in "localhost:$PORT" "[::1]:$PORT" "LOCALHOST:$PORT"; do
  treq -H "Host: $host" "$BASE/api/issues"
  expect_code 200 "Host: $host"
done
for name in "..%2F..%2Fetc%2Fpasswd" "%2E%2E%2Fissues%2F$A" "sub%2Finner.txt" "sub/inner.txt" \
            "a%5Cb.txt" "..txt" "notes.md" "missing.txt" ".hidden.txt" "link.txt" \
            "$A%00.md" "$A%2500" "%0A$A"; do
  treq "$BASE/api/issues/$name"
  expect_code 404 "GET /api/issues/$name"
  treq -X PUT -H 'If-Match: *' --data-binary "x" "$BASE/api/issues/$name"
  expect_code 404 "PUT /api/issues/$name"
done
treq "$BASE/api/issues/..%2Fx.txt/pages/1.svg"
expect_code 404 "the pages of a name with .."
treq "$BASE/api/issues/notes.pdf"
expect_code 404 "the PDF of a file that is no issue"
treq "$BASE/api/issues/link.pdf"
expect_code 404 "the PDF of a link"
treq "$BASE/api/render?name=..%2Fx.txt" --data-binary @"samples/$A"
expect_code 404 "a render named with .."
for p in /nope /api /api/ /api/issues/ /api/issue /app.js.map /index.htm; do
  treq "$BASE$p"
  expect_code 404 "unknown path $p"
done
treq -X DELETE "$BASE/api/issues/$A"
expect_code 405 "DELETE an issue"
expect_header "Allow: GET, HEAD, PUT" "405 names the methods allowed"
treq -X POST --data-binary x "$BASE/api/issues"
expect_code 405 "POST /api/issues"
treq "$BASE/api/render"
expect_code 405 "GET /api/render"
expect_header "Allow: POST" "render takes POST"
treq -X PUT --data-binary x "$BASE/api/issues/$A/pages/1.svg"
expect_code 405 "PUT a page"
# Bodies over the input limit (16 MiB), with a length and chunked.
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'a' >"$TMP/big"
treq --data-binary @"$TMP/big" "$BASE/api/render?name=$A"
expect_code 413 "a render body over the limit"
treq -X PUT -H 'If-Match: *' --data-binary @"$TMP/big" "$BASE/api/issues/$A"
expect_code 413 "a PUT body over the limit"
treq -H "Transfer-Encoding: chunked" --data-binary @"$TMP/big" "$BASE/api/render?name=$A"
expect_code 413 "a chunked body over the limit"
treq -X PUT -H 'If-Match: *' -H "Transfer-Encoding: chunked" --data-binary @"$TMP/big" "$BASE/api/issues/$A"
expect_code 413 "a chunked PUT body over the limit"
snapshot "$TMP/after"
check "no refusal changed a file" cmp -s "$TMP/before" "$TMP/after"

# ---- the API: listing ----
treq "$BASE/api/issues"
expect_code 200 "GET /api/issues"
expect_header "Content-Type: application/json" "the list is JSON"
check "the list is the .txt files of the folder, sorted" python3 -c '
import json, sys
got = [i["name"] for i in json.load(open(sys.argv[1]))["issues"]]
want = sorted(["gb.txt", "gongwen-2023-09.txt", "gongwen-shangxing-2023.txt", "gongwen-xiaxing-2023.txt",
               "jianbao-2024-03.txt", "zhuanbao-2023-08.txt"])
sys.exit(0 if got == want else "got %r" % got)' "$TMP/body"
treq "$BASE/api/layouts"
check "the layouts: shipped, and the folder's own" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if j == {"shipped": ["gongwen", "jianbao", "zhuanbao"], "local": ["mine.layout"]} else "got %r" % j)' "$TMP/body"

# ---- reading and saving ----
treq "$BASE/api/issues/$A"
expect_code 200 "GET an issue"
check "GET gives the file's text" cmp -s "$TMP/body" "$D/$A"
ETAG=$(tr -d '\r' <"$TMP/headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
check "GET gives an ETag" test -n "$ETAG"
treq "$BASE/api/issues/gb.txt"
check "a GB18030 file is given as UTF-8" cmp -s "$TMP/body" "samples/$A"
printf 'changed elsewhere\n' >"$TMP/new"
treq -X PUT --data-binary @"$TMP/new" "$BASE/api/issues/$A"
expect_code 428 "PUT without If-Match"
treq -X PUT -H 'If-Match: "0000000000000000-0"' --data-binary @"$TMP/new" "$BASE/api/issues/$A"
expect_code 409 "PUT with a stale ETag"
check "a refused PUT writes nothing" cmp -s "$D/$A" "samples/$A"
sed 's/日期：2024-02-29/日期：2024-03-01/' "samples/$A" >"$TMP/edited"
treq -X PUT -H "If-Match: $ETAG" --data-binary @"$TMP/edited" "$BASE/api/issues/$A"
expect_code 200 "PUT with the ETag it was read with"
check "PUT wrote the text" cmp -s "$D/$A" "$TMP/edited"
NEW=$(tr -d '\r' <"$TMP/headers" | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
expect_body_has "{\"etag\":\"$(echo "$NEW" | sed 's/"/\\"/g')\"}" "PUT answers the new ETag"
check "the ETag changed" test "$NEW" != "$ETAG"
check "no temporary file is left" sh -c "! ls -a '$D' | grep -q tmp"
treq -X PUT -H "If-Match: $ETAG" --data-binary @"$TMP/new" "$BASE/api/issues/$A"
expect_code 409 "PUT with the old ETag after a save"
check "the second save wrote nothing" cmp -s "$D/$A" "$TMP/edited"
treq "$BASE/api/issues/$A"
check "GET after PUT gives the new ETag" sh -c "tr -d '\r' <'$TMP/headers' | grep -qxF 'ETag: $NEW'"

# ---- rendering text ----
treq --data-binary @"$D/$A" "$BASE/api/render?name=$A"
expect_code 200 "render the text"
"$BIN" render "$D/$A" -o "$TMP/ref.svg" >/dev/null
"$BIN" render "$D/$A" -o "$TMP/ref.pdf" >/dev/null
check "render answers ok with the pages, as bulletin render makes them" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"] and j["diagnostics"] == [], j["diagnostics"]
assert j["npages"] == len(j["pages"]) == 2, j["npages"]
for k, svg in enumerate(j["pages"], 1):
    assert svg == open(sys.argv[2] + "-%d.svg" % k).read(), "page %d differs" % k' "$TMP/body" "$TMP/ref"
sed 's/日期：2024-03-01/日期：2024-02-30/' "$D/$A" >"$TMP/bad"
treq --data-binary @"$TMP/bad" "$BASE/api/render?name=$A"
expect_code 200 "render a text with an error"
check "the error comes with its line, column and message" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert not j["ok"] and j["pages"] == [], j
assert j["diagnostics"] == [{"file": "jianbao-2024-03.txt", "line": 5, "col": 4, "severity": "error",
    "message": "impossible date '"'"'2024-02-30'"'"': there is no 2024-02-30"}], j["diagnostics"]' "$TMP/body"
python3 -c "import sys; sys.stdout.buffer.write(open(sys.argv[1], encoding='utf-8').read().encode('gb18030'))" \
  "$D/$A" >"$TMP/gbtext"
treq --data-binary @"$TMP/gbtext" "$BASE/api/render?name=$A"
check "warnings are listed" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["ok"], j
w = [d for d in j["diagnostics"] if d["severity"] == "warning"]
assert len(w) == 1 and "GB18030" in w[0]["message"], j["diagnostics"]' "$TMP/body"
for l in gongwen mine.layout; do
  treq --data-binary @"$D/$A" "$BASE/api/render?name=$A&layout=$l"
  check "render with layout $l" grep -q '"ok":true' "$TMP/body"
done
for l in nope ../layouts/jianbao "%2Fetc%2Fpasswd" notes.md link.txt sub%2Fx.layout; do
  treq --data-binary @"$D/$A" "$BASE/api/render?name=$A&layout=$l"
  expect_code 400 "render with layout $l"
done
printf '' >"$TMP/empty"
treq --data-binary @"$TMP/empty" "$BASE/api/render"
check "an empty text is an error at 1:1" grep -q '"line":1,"col":1,"severity":"error","message":"empty input' "$TMP/body"

# ---- the saved file's pages and PDF ----
treq "$BASE/api/issues/$A/pages/1.svg"
expect_code 200 "page 1 as SVG"
expect_header "Content-Type: image/svg+xml" "a page is image/svg+xml"
check "page 1 is the file bulletin render writes" cmp -s "$TMP/body" "$TMP/ref-1.svg"
treq "$BASE/api/issues/$A/pages/2.svg"
check "page 2 too (from the cache)" cmp -s "$TMP/body" "$TMP/ref-2.svg"
for k in 0 3 01 x -1; do
  treq "$BASE/api/issues/$A/pages/$k.svg"
  expect_code 404 "page $k"
done
treq "$BASE/api/issues/jianbao-2024-03.pdf"
expect_code 200 "the PDF"
expect_header "Content-Type: application/pdf" "the PDF's type"
expect_header 'Content-Disposition: attachment; filename="jianbao-2024-03.pdf"' "the PDF downloads under its name"
check "the PDF is the one bulletin render writes" cmp -s "$TMP/body" "$TMP/ref.pdf"
treq "$BASE/api/issues/jianbao-2024-03.pdf?layout=nope"
expect_code 400 "the PDF with an unknown layout"
cp "$TMP/bad" "$D/broken.txt"
treq "$BASE/api/issues/broken.txt/pages/1.svg"
expect_code 422 "the pages of a file with an error"
expect_body_has '"line":5,"col":4,"severity":"error"' "... with the error"
treq "$BASE/api/issues/broken.pdf"
expect_code 422 "the PDF of a file with an error"

# ---- typing fast does not pile up work ----
# A long issue keeps the first render busy; seven more for the same issue
# arrive meanwhile: one waits, the others are superseded as soon as a newer
# one comes. Counted by the server (GET /api/status), not timed.
python3 - "samples/zhuanbao-2023-08.txt" "$TMP/long.txt" <<'PY'
import sys
src = open(sys.argv[1], encoding="utf-8").read()
head, body = src.split("\n# ", 1)
article = body.split("\n## ")[0]
open(sys.argv[2], "w", encoding="utf-8").write(head + "".join("\n# 第%d篇 %s" % (i, article) for i in range(600)))
PY
treq "$BASE/api/status"
done0=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["renders_done"])' "$TMP/body")
curl -s -o "$TMP/r0" -w '%{http_code}' -H "X-Bulletin-Token: $TOKEN" --data-binary @"$TMP/long.txt" \
  "$BASE/api/render?name=$A" >"$TMP/c0" &
first=$!
i=0
while [ $i -lt 600 ]; do
  treq "$BASE/api/status"
  grep -q '"renders_running":1' "$TMP/body" && break
  sleep 0.05
  i=$((i + 1))
done
check "the long render is running" grep -q '"renders_running":1' "$TMP/body"
pids=""
for k in 1 2 3 4 5 6 7; do
  curl -s -o "$TMP/r$k" -w '%{http_code}' -H "X-Bulletin-Token: $TOKEN" --data-binary @"$D/$A" \
    "$BASE/api/render?name=$A" >"$TMP/c$k" &
  pids="$pids $!"
done
# shellcheck disable=SC2086
wait $first $pids
treq "$BASE/api/status"
cat "$TMP/body"
check "8 renders asked, at most 3 done (the long one, one waiting, and one that came after it)" \
  python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
done = j["renders_done"] - int(sys.argv[2])
codes = [open(sys.argv[3] + "/c%d" % k).read() for k in range(8)]
sup = codes.count("409")
assert codes[0] == "200", codes
assert done + sup == 8 and sup >= 5 and all(c in ("200", "409") for c in codes), (done, codes)' \
  "$TMP/body" "$done0" "$TMP"
check "a superseded render says so" sh -c "grep -l superseded '$TMP'/r[1-7] | grep -q ."

# ---- stopping ----
stop_server TERM
expect_status 0 "SIGTERM stops the server with exit 0"
start_server "$BIN" "$D" --port 0
check "the server starts again" test -n "$PORT"
stop_server INT
expect_status 0 "SIGINT stops the server with exit 0"
start_server "$BIN" "$D" --host ::1
check "--host ::1: the first line names [::1]" sh -c "head -n 1 '$TMP/serve.out' | grep -Eq '^http://\[::1\]:[0-9]+/\?token='"
req -g -H "X-Bulletin-Token: $TOKEN" "http://[::1]:$PORT/api/issues"
expect_code 200 "served on [::1]"
stop_server TERM
finish
