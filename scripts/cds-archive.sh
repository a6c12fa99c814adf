#!/usr/bin/env bash
# Makes tokman start faster with class data sharing: extracts JAR into DIR (DIR/tokman-<version>.jar and DIR/lib)
# and records DIR/tokman.jsa, the classes a start loads, from one training start that exits once the application
# context is ready. Run the extracted jar with that archive, on the same JVM that made it:
#   scripts/tokman-java -XX:SharedArchiveFile=DIR/tokman.jsa -jar DIR/tokman-<version>.jar
# The Dockerfile and make bench use it. The training start runs through scripts/tokman-java, with the flags
# of jvm.options (or the file JVM_OPTIONS names), which the archive must agree with. It needs an App key: TRAINING_KEY names one,
# otherwise a throwaway one is made with openssl. It talks to no GitHub and leaves no database behind.
set -euo pipefail
jar=$1
dir=$2
rm -rf "$dir"
java -Djarmode=tools -jar "$jar" extract --destination "$dir" >/dev/null
training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
key=${TRAINING_KEY:-}
if [ -z "$key" ]; then
	key=$training/key.pem
	openssl genrsa -out "$key" 2048 2>/dev/null
fi
# An absolute path: the archive records the class path, and a start on another spelling of it cannot use it.
app=$(cd "$dir" && pwd)/$(cd "$dir" && ls -- *.jar)
GITHUB_APP_ID=1 GITHUB_APP_PRIVATE_KEY="$key" DB_URI="jdbc:sqlite:$training/training.db" \
	BIND_ADDR=127.0.0.1:0 LOG_LEVEL=warn \
	"$(dirname "$0")/tokman-java" -XX:ArchiveClassesAtExit="$dir/tokman.jsa" \
	-Dspring.context.exit=onRefresh -jar "$app" >"$training/training.log" 2>&1 \
	|| { cat "$training/training.log" >&2; exit 1; }
echo "$dir/tokman.jsa: $(du -m "$dir/tokman.jsa" | cut -f1) MB, for $app"
