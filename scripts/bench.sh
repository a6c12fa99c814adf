#!/usr/bin/env bash
# make bench: builds the jar and its AOT cache on Java 25, then runs io.tokman.bench.Benchmark
# (src/bench), which starts tokman against the GitHub simulator on loopback, loads it with wrk and prints one
# table. About 6 minutes; stops everything it started. Loopback only: BENCH_PORT (18300) must be free.
# BENCH_SECONDS sets the length of each measured load run (5); BENCH_PHASES picks parts (start,burst,rollover,mixed,stored,java17;
# the cache-hit loads always run); BENCH_LOG_LEVEL sets tokman's LOG_LEVEL (the image's default, info, when unset).
# BENCH_POSTGRES_URL (a JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) adds the cold burst on
# PostgreSQL, as shipped; each run asks for repositories of its own there.
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

# The image's JVM, Java 25 (Temurin's, beside Debian's 17 on these machines), and for comparison Java 17.
java25=${JAVA25_HOME:-$(ls -d /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25-openjdk* 2>/dev/null | head -n 1 || true)}
java17=${JAVA17_HOME:-$(ls -d /usr/lib/jvm/java-17-openjdk* /usr/lib/jvm/temurin-17* 2>/dev/null | head -n 1 || true)}
[ -x "$java25/bin/java" ] || { echo "make bench needs a JDK 25 (set JAVA25_HOME)" >&2; exit 1; }
[ -x "$java17/bin/java" ] || { echo "make bench needs a Java 17 to compare with (set JAVA17_HOME)" >&2; exit 1; }
mkdir -p "$WORK"
# Built on 25, as the image builds it: Spring's AOT processing then sees virtual threads.
JAVA_HOME=$java25 $MVN -q -DskipTests package
JAVA_HOME=$java25 $MVN -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/classpath.txt"
jar=$(ls target/tokman-*.jar | head -n 1)
# The reference endpoint, in a jar of its own on tokman's class path (and in the caches'), registered through
# the jar's spring.factories.
reference=$(pwd)/$WORK/reference.jar
rm -rf "$WORK/reference" && mkdir -p "$WORK/reference/META-INF" "$WORK/reference/io/tokman/bench"
cp target/test-classes/io/tokman/bench/ReferenceEndpoint*.class "$WORK/reference/io/tokman/bench/"
echo "org.springframework.context.ApplicationContextInitializer=io.tokman.bench.ReferenceEndpoint" \
	>"$WORK/reference/META-INF/spring.factories"
"$java25/bin/jar" cf "$reference" -C "$WORK/reference" .
echo "making the AOT cache on Java 25 and the class data sharing archive on 17 (a training run each)"
JAVA_HOME=$java25 EXTRA_CLASSPATH=$reference scripts/aot-cache.sh "$jar" "$WORK/java25"
JAVA_HOME=$java17 EXTRA_CLASSPATH=$reference scripts/aot-cache.sh "$jar" "$WORK/java17"
rm -f "$WORK"/tokens.db* "$WORK"/tokman.log
echo "running; tokman's log is in $WORK/tokman.log"
"$java25/bin/java" -Dbench.port="${BENCH_PORT:-18300}" -Dbench.seconds="${BENCH_SECONDS:-5}" \
	-Dbench.phases="${BENCH_PHASES:-start,burst,rollover,mixed,stored,java17}" -Dbench.log.level="${BENCH_LOG_LEVEL:-}" \
	-Dbench.postgres="${BENCH_POSTGRES_URL:-}" \
	-cp "target/test-classes:$(cat "$WORK/classpath.txt")" io.tokman.bench.Benchmark \
	"$WORK" "$jar" scripts/tokman-java "$java25" "$WORK/java25/start.args" "$java17" "$WORK/java17/start.args"
