#!/usr/bin/env bash
# Builds and runs the project's MongoDB wire-protocol test database: FerretDB v1.24.2 (SQLite
# backend) compiled from the Go module proxy (see scripts/ferretdb/go.mod, pinned with go.sum).
#   scripts/test-db.sh build               -> prints the binary path (builds it when missing/stale)
#   scripts/test-db.sh start [port] [dir]  -> runs it in the foreground (default 27017, .data/testdb)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.cache/bin/testdb"
cmd="${1:-build}"

build() {
  if ! command -v go >/dev/null 2>&1; then
    echo "test-db: Go is not installed; install Go >= 1.24 or set MONGODB_URI" >&2
    exit 1
  fi
  mkdir -p "$root/.cache/bin"
  # go build is incremental: a no-op rebuild takes about a second.
  (cd "$root/scripts/ferretdb" && GOFLAGS=-mod=mod go build -trimpath -o "$bin" .) >&2
}

case "$cmd" in
  build)
    build
    echo "$bin"
    ;;
  start)
    build
    port="${2:-27017}"
    dir="${3:-$root/.data/testdb}"
    exec "$bin" --listen "127.0.0.1:$port" --data-dir "$dir"
    ;;
  *)
    echo "usage: $0 build | start [port] [data-dir]" >&2
    exit 2
    ;;
esac
