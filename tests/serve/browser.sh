#!/usr/bin/env bash
# browser.sh BULLETIN TESTDIR NODEDIR [SCREENSHOT-DIR] - the editor in
# headless chromium (browser.mjs) against a server on a copy of the samples;
# the server then stops on SIGTERM with exit 0.
set -euo pipefail
BIN=$1
. "$2/lib.sh"
NODE=$3
SHOTS=${4:-}
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/serve_lib.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
need "$CHROMIUM"
[ -d "$NODE/node_modules/puppeteer-core" ] ||
  skip "puppeteer-core is not installed in $NODE (npm ci failed: see serve_browser_setup)"
D="$TMP/issues"
mkdir -p "$D"
cp samples/*.txt "$D/"
start_server "$BIN" "$D"
cp "$HERE/browser.mjs" "$HERE/launch.mjs" "$NODE/"
set +e
CHROMIUM=$CHROMIUM node "$NODE/browser.mjs" "$URL" "$D" $SHOTS
rc=$?
set -euo pipefail
check "the browser test passes (exit $rc)" test $rc -eq 0
stop_server TERM
expect_status 0 "the server stops on SIGTERM with exit 0"
finish
