#!/usr/bin/env bash
# Makes tokman start fast: extracts JAR into DIR and records, from one training run, what a start loads and links
# and how its methods ran, for the JVM that runs the script (java on PATH, or $JAVA_HOME/bin/java):
#   - Java 25+: an AOT cache, DIR/tokman.aot (JEP 483/514/515), and the start in Spring's AOT mode (the bean
#     definitions the build generated), which needs a jar built on Java 21+ so that virtual threads are in them;
#   - Java 17-24: a class data sharing archive, DIR/tokman.jsa, and the regular start.
# DIR/start.args then holds the arguments of that start, for java's @-file syntax:
#   scripts/tokman-java @DIR/start.args
# The image, make run and make bench start tokman so. The training runs through scripts/tokman-java with the flags
# of jvm.options (or of the file JVM_OPTIONS names), which every start from the cache must share: a start with other
# flags or another JVM warns and goes on without it. The training starts tokman in full, asks it for its health,
# readiness, metrics and a token (GitHub is a closed port: the error path is trained too), then stops it with
# SIGTERM; the JVM writes the cache as it exits. It needs an App key (TRAINING_KEY, or a throwaway one from
# openssl), talks to no GitHub and leaves no database behind. EXTRA_CLASSPATH adds jars after tokman's (make bench
# adds its reference endpoint so): the cache is only valid for the class path it was recorded with.
set -euo pipefail
jar=$1
dir=$2
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
rm -rf "$dir"
mkdir -p "$dir"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null
# Absolute paths: the cache records the class path, and a start on another spelling of it cannot use it.
dir=$(cd "$dir" && pwd)
app=$dir/$(cd "$dir" && ls -- *.jar)
classpath=$app${EXTRA_CLASSPATH:+:$EXTRA_CLASSPATH}
version=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${version%%.*}" -ge 25 ]; then
	cache=$dir/tokman.aot
	# Without the cache's method adapters (a diagnostic switch, on by default with a cache): on Temurin 25.0.3
	# some do not link back ("Saved blob's name ... is different", "Failed to link AdapterHandlerEntry"), and the
	# JVM warns at every start about what it then makes anew, which costs no measurable time (docs/performance.md).
	adapters=(-XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching)
	record=("${adapters[@]}" -XX:AOTCacheOutput="$cache")
	use=("${adapters[@]}" -XX:AOTCache="$cache")
	mode=(-Dspring.aot.enabled=true)
else
	cache=$dir/tokman.jsa
	record=(-XX:ArchiveClassesAtExit="$cache")
	use=(-XX:SharedArchiveFile="$cache")
	mode=()
fi
printf '%s\n' "${use[@]}" "${mode[@]}" -cp "$classpath" io.tokman.TokmanApplication >"$dir/start.args"

training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
key=${TRAINING_KEY:-}
if [ -z "$key" ]; then
	key=$training/key.pem
	openssl genrsa -out "$key" 2048 2>/dev/null
fi
port=${TRAINING_PORT:-18099}
GITHUB_APP_ID=1 GITHUB_APP_PRIVATE_KEY="$key" GITHUB_API_URL=http://127.0.0.1:9 DB_URI="jdbc:sqlite:$training/training.db" \
	BIND_ADDR=127.0.0.1:$port LOG_LEVEL=warn TOKMAN_GITHUB_RETRIES=0 \
	"$(dirname "$0")/tokman-java" "${record[@]}" "${mode[@]}" -cp "$classpath" io.tokman.TokmanApplication \
	>"$training/training.log" 2>&1 &
pid=$!
# A request over bash's /dev/tcp: the images have no curl.
get() {
	exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$1" >&3
	head -n 1 <&3
	exec 3<&-
}
for _ in $(seq 600); do
	get /api/health 2>/dev/null | grep -q " 200 " && break
	kill -0 "$pid" 2>/dev/null || { cat "$training/training.log" >&2; exit 1; }
	sleep 0.1
done
for _ in $(seq 20); do
	for path in /api/health /actuator/health/readiness /actuator/prometheus /api/training/repository; do
		get "$path" >/dev/null
	done
done
kill -TERM "$pid"
wait "$pid" || true
[ -s "$cache" ] || { cat "$training/training.log" >&2; exit 1; }
echo "$cache: $(du -m "$cache" | cut -f1) MB, for $app on Java $version"
