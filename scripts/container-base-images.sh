#!/usr/bin/env bash
# Makes the two base images the Dockerfile needs from Debian 13 (trixie), whose archive has Java 25, for a machine
# that reaches no image registry (README, "Building the image without a registry"): localhost/tokman-jre25
# (runtime) and localhost/tokman-jdk25-maven (build and tests). A machine with registry access uses the
# Dockerfile's public defaults (Temurin 25) instead.
# The build image trusts this machine's extra CA certificates so that Maven inside it reaches Maven Central
# through this machine's proxy; never do that in a published image.
set -euo pipefail
engine=${CONTAINER_ENGINE:-podman}
suite=${DEBIAN_SUITE:-trixie}
java_home=/usr/lib/jvm/java-25-openjdk-amd64

missing=()
for tool in "$engine" mmdebstrap; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "$0 needs ${missing[*]}: apt-get install -y --no-install-recommends podman runc mmdebstrap" >&2
	echo "(README, \"Building the image without a registry\", also says how to set podman up)" >&2
	exit 1
fi

make_image() {
	local name=$1 packages=$2 certs=$3
	if $engine image exists "$name" 2>/dev/null; then
		echo "$name exists"
		return
	fi
	local dir
	dir=$(mktemp -d)
	local hooks=(--essential-hook='mkdir -p "$1"/usr/share/man/man1')
	if [ "$certs" = yes ] && ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
		hooks+=(--customize-hook='mkdir -p "$1"/usr/local/share/ca-certificates && cp /usr/local/share/ca-certificates/*.crt "$1"/usr/local/share/ca-certificates/ && chroot "$1" update-ca-certificates')
	fi
	echo "making $name from Debian $suite: $packages"
	mmdebstrap --quiet --variant=minbase --include="$packages" "${hooks[@]}" "$suite" "$dir/rootfs.tar"
	$engine import --change "ENV JAVA_HOME=$java_home" "$dir/rootfs.tar" "$name" >/dev/null
	rm -rf "$dir"
}

make_image localhost/tokman-jre25 openjdk-25-jre-headless,ca-certificates no
# Maven also brings Debian's default Java (21); JAVA_HOME points the build at 25.
make_image localhost/tokman-jdk25-maven openjdk-25-jdk-headless,maven,ca-certificates yes
