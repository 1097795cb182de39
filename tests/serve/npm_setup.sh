#!/usr/bin/env bash
# npm_setup.sh SRCDIR NODEDIR - installs the browser tests' npm packages
# (puppeteer-core, exactly as package-lock.json pins them) into NODEDIR in
# the build folder, once per lockfile: `npm ci` is skipped while the
# installed lockfile is the same. puppeteer-core downloads no browser; the
# tests drive Debian's chromium.
set -euo pipefail
SRC=$1
NODE=$2
command -v npm >/dev/null || { echo "FAIL: npm is not installed (scripts/dev deps installs it)" >&2; exit 1; }
mkdir -p "$NODE"
if [ -d "$NODE/node_modules/puppeteer-core" ] && cmp -s "$SRC/package-lock.json" "$NODE/package-lock.json"; then
  echo "puppeteer-core is installed in $NODE"
  exit 0
fi
cp "$SRC/package.json" "$SRC/package-lock.json" "$NODE/"
cd "$NODE"
npm ci --no-audit --no-fund --loglevel=error
echo "installed puppeteer-core in $NODE"
