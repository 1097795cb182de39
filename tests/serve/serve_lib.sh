# serve_lib.sh - starting and stopping `bulletin serve` in the serve tests
# (source it after tests/lib.sh).

# start_server BIN DIR [ARGS...]: starts the server on a free port and reads
# its first line; sets URL, TOKEN, PORT, BASE and SERVER_PID. Waits for the
# line a bounded number of times (the wait is not what is tested).
start_server() {
  local bin=$1 dir=$2
  shift 2
  : >"$TMP/serve.out"
  "$bin" serve "$dir" "$@" >"$TMP/serve.out" 2>"$TMP/serve.err" &
  SERVER_PID=$!
  local i=0
  while [ $i -lt 600 ] && ! grep -q . "$TMP/serve.out" 2>/dev/null; do
    kill -0 $SERVER_PID 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
  done
  URL=$(head -n 1 "$TMP/serve.out")
  TOKEN=${URL##*token=}
  PORT=$(echo "$URL" | sed -n 's|^http://[^/]*:\([0-9]*\)/.*|\1|p')
  BASE="http://127.0.0.1:$PORT"
  [ -n "$PORT" ]
}

# stop_server SIGNAL: stops it and sets $status to its exit status.
stop_server() {
  kill -"$1" $SERVER_PID 2>/dev/null || true
  set +e
  wait $SERVER_PID
  status=$?
  set -e
}

# req [CURL-ARGS...]: an HTTP request; sets $code, body in $TMP/body,
# headers in $TMP/headers.
req() {
  code=$(curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' "$@") || code=000
}

# treq [CURL-ARGS...]: the same with the token.
treq() {
  req -H "X-Bulletin-Token: $TOKEN" "$@"
}

expect_code() { # expect_code N WHAT
  if [ "$code" = "$1" ]; then ok; else bad "$2: HTTP $code, expected $1 ($(head -c 300 "$TMP/body"))"; fi
}
expect_body_has() {
  if grep -qF -- "$1" "$TMP/body"; then ok; else bad "$2: the body lacks: $1 ($(head -c 300 "$TMP/body"))"; fi
}
expect_header() { # expect_header 'Name: value' WHAT (case-insensitive name)
  if tr -d '\r' <"$TMP/headers" | grep -qiF -- "$1"; then ok; else bad "$2: no header $1"; fi
}
