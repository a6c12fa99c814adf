#!/usr/bin/env bash
# Starts `make demo` in the background (with LOG_FORMAT=json, to check structured logging too), gets a token
# through it with curl, checks the not-installed answer, and stops it. EXPECT_JAVA=17 also checks that tokman
# ran on that Java.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${DEMO_SMOKE_PORT:-18000}
log=target/demo-smoke.log
mkdir -p target
# Made first, so that the loop below never reads it before the background job has opened it.
: >"$log"
# In a session of its own, so that stopping it stops make, the script and both JVMs.
LOG_FORMAT=json setsid make demo DEMO_BIND_ADDR="127.0.0.1:$port" DEMO_GITHUB_PORT=$((port + 1)) >"$log" 2>&1 &
demo=$!
trap 'kill -TERM -- -$demo 2>/dev/null || true; wait $demo 2>/dev/null || true' EXIT

for _ in $(seq 600); do
	grep -q "Ctrl-C stops it" "$log" && break
	kill -0 $demo 2>/dev/null || { cat "$log"; echo "make demo exited early" >&2; exit 1; }
	sleep 0.5
done

if [ -n "${EXPECT_JAVA:-}" ]; then
	grep -q "Starting TokmanApplication .* using Java $EXPECT_JAVA\." "$log" ||
		{ grep "Starting TokmanApplication" "$log" >&2; echo "tokman did not run on Java $EXPECT_JAVA" >&2; exit 1; }
fi

repo="packit/smoke-$(date +%s)-$RANDOM"
answer=$(curl -fsS "http://127.0.0.1:$port/api/$repo")
echo "$answer" | grep -q '"access_token":"ghs_' || { echo "no token in: $answer" >&2; exit 1; }
again=$(curl -fsS "http://127.0.0.1:$port/api/$repo")
[ "$answer" = "$again" ] || { echo "second call minted a new token" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/not-installed/demo")
[ "$status" = 400 ] || { echo "not-installed answered $status" >&2; exit 1; }
grep -q "^{\"@timestamp\".*\"message\":\"Minted a token for $repo" "$log" ||
	{ echo "no JSON log line for the mint in $log" >&2; exit 1; }
grep -q "\"logger\":\"tokman.audit\".*\"repository\":\"$repo\",\"outcome\":\"minted\".*\"token_sha256\":\"[0-9a-f]\{16\}\"" "$log" ||
	{ echo "no JSON audit line for the mint in $log" >&2; exit 1; }
token=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$answer")
[ ${#token} -ge 40 ] || { echo "no token to look for in: $answer" >&2; exit 1; }
if grep -qF "${token:4:20}" "$log"; then echo "the token is in the log" >&2; exit 1; fi
echo "demo smoke test passed: $(sed 's/"access_token":"[^"]*"/"access_token":"(a token)"/' <<<"$answer")"
