# tokman's image. Stages: build (the jar), test (runs the test suite: make check-in-container) and runtime
# (the service: make build, make run). BUILD_IMAGE and BASE_IMAGE may name local images, as CI does.
# Java 25 for the build (so that Spring's AOT processing sees virtual threads) and at run time (for the AOT cache);
# the jar itself is compiled for Java 17 and runs on any JVM from 17 on.
# By default the public images of the two stages right below; they are stages of their own, and not the ARGs'
# defaults, so that Dependabot (which reads FROM lines, not ARGs) keeps them up to date. A stage nothing uses, such
# as these two when CI names images of its own, is not built.
ARG BUILD_IMAGE=public-build-image
ARG BASE_IMAGE=public-base-image

FROM maven:3.9-eclipse-temurin-25 AS public-build-image
FROM eclipse-temurin:25-jre AS public-base-image

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# Dependencies first, in a layer of their own, so that a change of code does not download them again.
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
COPY application.yml.example jvm.options README.md ./
RUN mvn -B -ntp -q -DskipTests package && cp target/tokman-*.jar /tokman.jar

FROM build AS test
# Tests that hold the workflows, the Kubernetes manifests, the dashboard and this file to the service read them;
# the helper scripts' tests run them (where git and curl are installed).
COPY .github .github
COPY deploy deploy
COPY scripts scripts
COPY Dockerfile ./
CMD ["mvn", "-B", "-ntp", "verify"]

FROM ${BASE_IMAGE} AS runtime
RUN useradd --system --uid 1001 --user-group --home-dir /data --no-create-home tokman \
    && mkdir -p /app /data /secrets /config \
    && chown tokman:tokman /data
# scripts/tokman-java runs java with the flags in jvm.options, here as everywhere else.
COPY jvm.options scripts/tokman-java scripts/aot-cache.sh /app/
# The AOT cache: the jar extracted to /app/aot and what a start loads, links and runs, recorded by one training run
# with the same JVM and flags; the start then also uses the bean definitions Spring's AOT processing generated.
# Together they take start-up from about 6 s to under 2 s.
COPY --from=build /tokman.jar /tmp/tokman.jar
RUN JVM_OPTIONS=/app/jvm.options /app/aot-cache.sh /tmp/tokman.jar /app/aot && rm /tmp/tokman.jar /app/aot-cache.sh
# The image's defaults for settings (BIND_ADDR, SECRETS_DIR, DB_URI) are a settings file, ./application.yml in the
# working directory, not environment: environment would outrank a TOKMAN_CONFIG file that sets them.
COPY deploy/container/application.yml /app/application.yml
# Not settings: where the JVM's flags are, glibc's malloc arenas (two keep the resident memory small), file names
# in UTF-8 (Debian's minimal image has no locale), and where tokman writes the port it listens on, for the health
# check below.
ENV JVM_OPTIONS=/app/jvm.options \
    MALLOC_ARENA_MAX=2 \
    LANG=C.UTF-8 \
    PORTFILE=/tmp/tokman.port
USER tokman
WORKDIR /app
EXPOSE 8000
VOLUME ["/secrets", "/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD bash -c 'port=$(cat "$PORTFILE") && exec 3<>/dev/tcp/127.0.0.1/$port \
        && printf "GET /api/health HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
# tokman-java execs java, which becomes PID 1, so that SIGTERM reaches it and in-flight requests finish.
# /app/aot/start.args: the AOT cache, Spring's AOT mode, the class path and the main class.
ENTRYPOINT ["/app/tokman-java", "@/app/aot/start.args"]
