#!/usr/bin/env bash
# The container path, end to end, on a machine like CI's (podman, no registry): installs podman, makes the
# base images, builds the service and test images, runs the test suite in the test image, then starts the
# service image detached against the GitHub simulator on the host, gets a token through it with curl, and
# stops it. Prints how long each stage took.
set -euo pipefail
cd "$(dirname "$0")/.."

stage() { echo "== $1 ($(($(date +%s) - started)) s since start)"; }
started=$(date +%s)

need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
command -v mmdebstrap >/dev/null 2>&1 || need+=(mmdebstrap)
if [ ${#need[@]} -gt 0 ]; then
	stage "installing ${need[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Rootful podman on this machine kind needs runc and file limits within the hard limit (CONTAINERS.md).
mkdir -p target
conf=$(pwd)/target/containers.conf
cat >"$conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF=$conf
export CONTAINER_ENGINE=podman
images=(BASE_IMAGE=localhost/tokman-jre25 BUILD_IMAGE=localhost/tokman-jdk25-maven PULL_FLAG=--pull=never
	"BUILD_FLAGS=--network=host")

stage "base images"
scripts/container-base-images.sh

stage "make build"
make build "${images[@]}"
stage "make build-test-image"
make build-test-image "${images[@]}"
stage "make check-in-container"
make check-in-container

stage "make run (detached) against the GitHub simulator"
port=${CONTAINER_SMOKE_PORT:-18100}
smoke=$(pwd)/target/container-smoke
rm -rf "$smoke" && mkdir -p "$smoke/secrets" "$smoke/config"
mvn -B -ntp -q -DskipTests test-compile
scripts/github-simulator $((port + 1)) 4242 "$smoke/secrets/private-key.pem" >"$smoke/simulator.log" 2>&1 &
simulator=$!
container=tokman-smoke-$$
cleanup() {
	podman stop -t 20 "$container" >/dev/null 2>&1 || true
	kill "$simulator" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 600); do [ -s "$smoke/secrets/private-key.pem" ] && break; sleep 0.1; done
# The settings in a TOKMAN_CONFIG file (make run loads CONFIG_DIR/application.yml): the image sets none as
# environment, so the file's BIND_ADDR is the one in effect.
cat >"$smoke/config/application.yml" <<YAML
GITHUB_APP_ID: 4242
GITHUB_API_URL: http://127.0.0.1:$((port + 1))
BIND_ADDR: 127.0.0.1:$port
YAML
# An API key, as docs/access-control.md says: the file in SECRETS_DIR, its path in the container passed
# through by make run.
key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "ci-worker:sha256:$(printf %s "$key" | sha256sum | cut -d' ' -f1)" >"$smoke/secrets/api-keys"
# The container runs as UID 1001, which must be able to read the key and the clients.
chmod 0644 "$smoke/secrets/private-key.pem" "$smoke/secrets/api-keys" "$smoke/config/application.yml"
# The log goes to a file that outlives the container (make run removes it on exit), so that its last lines,
# the shutdown, can be read after it stopped; following the log raced with the exit and could miss them.
rm -f "$smoke/service.log"
# podman's --read-only adds writable /run, /var/tmp and /dev/shm of its own; without them, the paths the Makefile (and
# deploy/kubernetes) make writable are the only ones, which proves that list complete.
TOKMAN_API_KEYS_FILE=/secrets/api-keys make run \
	READ_ONLY_FLAGS="--read-only --read-only-tmpfs=false --tmpfs /tmp:rw,size=64m,mode=1777" \
	RUN_FLAGS="-d --name $container --log-driver k8s-file --log-opt path=$smoke/service.log" SECRETS_DIR="$smoke/secrets" CONFIG_DIR="$smoke/config" \
	DATA_VOLUME="tokman-smoke-data-$$"
for _ in $(seq 120); do
	curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
	sleep 0.5
done
for path in /api/packit/ogr /actuator/prometheus; do
	status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")
	[ "$status" = 401 ] || { echo "$path without an API key answered $status, not 401" >&2; podman logs "$container"; exit 1; }
done
grep -q "Authentication: API keys for 1 clients" "$smoke/service.log" ||
	{ echo "make run did not pass TOKMAN_API_KEYS_FILE into the container" >&2; exit 1; }
echo "the TOKMAN_CONFIG file's BIND_ADDR is in effect; without an API key, tokens and metrics answer 401"
answer=$(curl -fsS -H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/packit/ogr")
echo "curl http://127.0.0.1:$port/api/packit/ogr -> $(sed 's/"access_token":"[^"]*"/"access_token":"(a token)"/' <<<"$answer")"
grep -q '"access_token":"ghs_' <<<"$answer" || { podman logs "$container"; exit 1; }
podman exec "$container" id -u | grep -qx 1001 || { echo "the service does not run as UID 1001" >&2; exit 1; }
podman healthcheck run "$container" 2>/dev/null || { echo "the image's HEALTHCHECK failed" >&2; exit 1; }
podman exec "$container" touch /app/probe 2>/dev/null && { echo "the root filesystem is writable" >&2; exit 1; }
# A here-string, not echo | grep -q: grep stops reading at the first match, and pipefail would count echo's SIGPIPE.
sbom=$(curl -fsS -H "Authorization: Bearer $key" "http://127.0.0.1:$port/actuator/sbom/application")
grep -q '"bomFormat" *: *"CycloneDX"' <<<"$sbom" || { echo "no SBOM at /actuator/sbom/application" >&2; exit 1; }
echo "runs as UID 1001 on a read-only root filesystem; HEALTHCHECK passes; serves its SBOM"
stage "stopping the service (SIGTERM, graceful)"
before=$(date +%s)
podman stop -t 20 "$container" >/dev/null
grep -q "Graceful shutdown complete" "$smoke/service.log" ||
	{ tail -20 "$smoke/service.log"; echo "no graceful shutdown on SIGTERM" >&2; exit 1; }
echo "stopped gracefully in $(($(date +%s) - before)) s"
podman volume rm -f "tokman-smoke-data-$$" >/dev/null 2>&1 || true
stage "container path passed"
