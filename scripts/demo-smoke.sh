#!/usr/bin/env bash
# Starts `make demo` in the background, gets a token through it with curl, checks the not-installed answer,
# and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${DEMO_SMOKE_PORT:-18000}
log=target/demo-smoke.log
mkdir -p target
make demo DEMO_BIND_ADDR="127.0.0.1:$port" DEMO_GITHUB_PORT=$((port + 1)) >"$log" 2>&1 &
demo=$!
trap 'kill $demo 2>/dev/null || true; wait $demo 2>/dev/null || true' EXIT

for _ in $(seq 600); do
	grep -q "Ctrl-C stops it" "$log" && break
	kill -0 $demo 2>/dev/null || { cat "$log"; echo "make demo exited early" >&2; exit 1; }
	sleep 0.5
done

answer=$(curl -fsS "http://127.0.0.1:$port/api/packit/ogr")
echo "$answer" | grep -q '"access_token":"ghs_' || { echo "no token in: $answer" >&2; exit 1; }
again=$(curl -fsS "http://127.0.0.1:$port/api/packit/ogr")
[ "$answer" = "$again" ] || { echo "second call minted a new token" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/not-installed/demo")
[ "$status" = 400 ] || { echo "not-installed answered $status" >&2; exit 1; }
echo "demo smoke test passed: $(echo "$answer" | cut -c1-80)..."
