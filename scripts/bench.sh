#!/usr/bin/env bash
# make bench: builds the jar and its AOT cache on Java 25, then runs io.tokman.bench.Benchmark
# (src/bench), which starts tokman against the GitHub simulator on loopback, loads it with wrk and prints one
# table. About 6 minutes; stops everything it started. Loopback only: BENCH_PORT (18300) must be free.
# BENCH_SECONDS sets the length of each measured load run (5); BENCH_PHASES picks parts (start,burst,rollover,mixed,stored,auth;
# the cache-hit loads always run).
set -euo pipefail
cd "$(dirname "$0")/.."

MVN=${MVN:-mvn -B -ntp}
WORK=target/bench

if ! command -v wrk >/dev/null; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing wrk from Debian's packages"
		apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	else
		echo "make bench needs wrk: sudo apt-get install wrk" >&2
		exit 1
	fi
fi

# The image's JVM: Java 25 (Temurin's, beside Debian's 17 on these machines), or JAVA25_HOME.
java25=${JAVA25_HOME:-$(ls -d /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25-openjdk* 2>/dev/null | head -n 1 || true)}
[ -x "$java25/bin/java" ] || { echo "make bench needs a JDK 25 (set JAVA25_HOME)" >&2; exit 1; }
# Built on 25, as the image builds it: Spring's AOT processing then sees virtual threads.
JAVA_HOME=$java25 $MVN -q -DskipTests package
JAVA_HOME=$java25 $MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt"
jar=$(ls target/tokman-*.jar | head -n 1)
echo "making the AOT cache (one training run)"
JAVA_HOME=$java25 scripts/aot-cache.sh "$jar" target/aot
rm -f "$WORK"/tokens.db* "$WORK"/tokman.log
echo "running; tokman's log is in $WORK/tokman.log"
java -Dbench.port="${BENCH_PORT:-18300}" -Dbench.seconds="${BENCH_SECONDS:-5}" \
	-Dbench.phases="${BENCH_PHASES:-start,burst,rollover,mixed,stored,auth}" \
	-cp "target/test-classes:$(cat "$WORK/classpath.txt")" io.tokman.bench.Benchmark \
	"$WORK" "$jar" "$java25" scripts/tokman-java target/aot/start.args
