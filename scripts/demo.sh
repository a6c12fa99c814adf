#!/usr/bin/env bash
# Runs tokman with a throwaway App key against the GitHub simulator (src/simulator), on the default SQLite
# database, and prints a curl line to try. Ctrl-C stops both. No GitHub App needed.
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=${MVN:-mvn -B -ntp}
BIND_ADDR=${BIND_ADDR:-127.0.0.1:8000}
DEMO_GITHUB_PORT=${DEMO_GITHUB_PORT:-8900}
APP_ID=12345
DEMO=target/demo

$MVN -q -DskipTests package
mkdir -p "$DEMO"
rm -f "$DEMO/private-key.pem"

if curl -fs "http://$BIND_ADDR/api/health" >/dev/null 2>&1; then
	echo "Something already answers on $BIND_ADDR; stop it or set DEMO_BIND_ADDR." >&2
	exit 1
fi

pids=()
stop() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap stop EXIT INT TERM

MVN="$MVN" scripts/github-simulator "$DEMO_GITHUB_PORT" "$APP_ID" "$DEMO/private-key.pem" &
pids+=($!)
# A first run also resolves the simulator's class path, which takes a few seconds.
for _ in $(seq 600); do
	[ -s "$DEMO/private-key.pem" ] && break
	kill -0 "${pids[0]}" 2>/dev/null || { echo "the GitHub simulator did not start" >&2; exit 1; }
	sleep 0.1
done
[ -s "$DEMO/private-key.pem" ] || { echo "the GitHub simulator did not start" >&2; exit 1; }

jar=$(ls target/tokman-*.jar | grep -v -- '-plain' | head -n 1)
# The default database, access_tokens.db, lands in the working directory: target/demo.
(cd "$DEMO" && BIND_ADDR="$BIND_ADDR" GITHUB_APP_ID="$APP_ID" GITHUB_APP_PRIVATE_KEY=private-key.pem \
	GITHUB_API_URL="http://127.0.0.1:$DEMO_GITHUB_PORT" exec ../../scripts/tokman-java -jar "../../$jar") &
pids+=($!)

for _ in $(seq 300); do
	curl -fs "http://$BIND_ADDR/api/health" >/dev/null 2>&1 && break
	kill -0 "${pids[1]}" 2>/dev/null || { echo "tokman did not start" >&2; exit 1; }
	sleep 0.2
done
curl -fs "http://$BIND_ADDR/api/health" >/dev/null || { echo "tokman did not start" >&2; exit 1; }

cat <<MSG

tokman is serving on http://$BIND_ADDR against a GitHub simulator on 127.0.0.1:$DEMO_GITHUB_PORT. Try:

  curl -s http://$BIND_ADDR/api/packit/ogr
  curl -s 'http://$BIND_ADDR/api/packit/ogr?permissions=contents:read&min_ttl=20m'
  curl -s 'http://$BIND_ADDR/api/packit?repositories=ogr,packit'    # an owner token for two repositories
  curl -s http://$BIND_ADDR/api/not-installed/demo      # the App is not installed there: 400

Ctrl-C stops it.
MSG
wait -n
