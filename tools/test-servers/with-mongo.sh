#!/usr/bin/env bash
# Runs a command with MONGO_URL pointing at a FerretDB of its own (started here, stopped after):
# `npm run test:mongo` and CI run `npm test` this way, so the MongoDB suites run instead of skipping.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# In memory where the machine has it: a test server needs no durability, and its fsyncs would slow every suite.
base="${TMPDIR:-/tmp}"; [ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
dir="$(mktemp -d "$base/wih-ferretdb-XXXXXX")"
port="${FERRETDB_PORT:-$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}"
cleanup() { "$here/ferretdb.sh" stop "$dir"; rm -rf "$dir"; }
trap cleanup EXIT
"$here/ferretdb.sh" start "$dir" "$port"
export MONGO_URL="mongodb://127.0.0.1:$port/" MONGO_SERVER=ferretdb
node "$root/tools/test-servers/server-version.js" "$MONGO_URL"
"$@"
