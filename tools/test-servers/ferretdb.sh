#!/usr/bin/env bash
# FerretDB (Apache-2.0), a MongoDB wire-protocol server on SQLite, for the MongoDB contract suites
# and the whole-system MongoDB test. Built once from the Go module proxy and cached.
#   ferretdb.sh build              build (or reuse) the binary; prints its path
#   ferretdb.sh start <dir> <port> start on 127.0.0.1:<port>, data and pid in <dir>, telemetry off
#   ferretdb.sh stop <dir>         stop the server started in <dir>
set -euo pipefail
VERSION=v1.24.2
CACHE="${FERRETDB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wohnintegrationshilfe}"
BIN="$CACHE/ferretdb-$VERSION"

build() {
  if [ -x "$BIN" ]; then echo "$BIN"; return; fi
  command -v go >/dev/null || { echo "ferretdb.sh: needs Go (https://go.dev/dl/) to build FerretDB $VERSION" >&2; exit 1; }
  mkdir -p "$CACHE"
  local src work
  src=$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  work=$(mktemp -d)
  cp -r "$src/." "$work" && chmod -R u+w "$work"
  # The module proxy's copy lacks the version file that FerretDB's own build generates from git.
  echo "$VERSION" > "$work/build/version/version.txt"
  (cd "$work" && go build -o "$BIN.tmp" ./cmd/ferretdb) >&2
  mv "$BIN.tmp" "$BIN"
  rm -rf "$work"
  echo "$BIN"
}

start() {
  local dir="$1" port="$2" bin
  bin=$(build)
  mkdir -p "$dir/data"
  "$bin" --handler=sqlite --sqlite-url="file:$dir/data/" --listen-addr="127.0.0.1:$port" --debug-addr=127.0.0.1:0 \
    --telemetry=disable --log-level=error --state-dir="$dir" >"$dir/ferretdb.log" 2>&1 &
  echo $! >"$dir/pid"
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return; fi
    sleep 0.1
  done
  echo "ferretdb.sh: FerretDB did not start; its log:" >&2
  cat "$dir/ferretdb.log" >&2
  exit 1
}

stop() {
  local dir="$1"
  [ -f "$dir/pid" ] || return 0
  kill "$(cat "$dir/pid")" 2>/dev/null || true
  rm -f "$dir/pid"
}

case "${1:-}" in
  build) build ;;
  start) start "$2" "$3" ;;
  stop) stop "$2" ;;
  *) echo "usage: ferretdb.sh build | start <dir> <port> | stop <dir>" >&2; exit 2 ;;
esac
