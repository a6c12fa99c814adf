# tokman. `make demo` runs it against a local GitHub simulator; `make check` runs the tests.
# Container targets keep the original tokman's names and meaning; every name below can be overridden.

MVN ?= mvn -B -ntp
# Where `make demo` listens, and where its GitHub simulator does.
DEMO_BIND_ADDR ?= 127.0.0.1:8000
DEMO_GITHUB_PORT ?= 8900

CONTAINER_ENGINE ?= $(shell command -v podman 2>/dev/null || echo docker)
IMAGE_NAME ?= tokman
TEST_IMAGE_NAME ?= tokman-tests
# Unset: the Dockerfile's public images (eclipse-temurin:25-jre, maven:3.9-eclipse-temurin-25); CI passes locally
# made images (scripts/container-base-images.sh).
BASE_IMAGE ?=
BUILD_IMAGE ?=
# podman cannot --pull=always a localhost/ image: pass --pull=never or --pull=newer for those.
PULL_FLAG ?= --pull=missing
REBUILD_PULL_FLAG ?= --pull=always
BUILD_FLAGS ?=
# podman writes OCI images by default, which drop the Dockerfile's HEALTHCHECK.
BUILD_ARGS = $(if $(BASE_IMAGE),--build-arg BASE_IMAGE=$(BASE_IMAGE)) $(if $(BUILD_IMAGE),--build-arg BUILD_IMAGE=$(BUILD_IMAGE)) \
	$(if $(findstring podman,$(CONTAINER_ENGINE)),--format docker)

# make run: the key (private-key.pem) in SECRETS_DIR, an optional application.yml in CONFIG_DIR, the SQLite
# file in DATA_VOLUME (a named volume, or a host directory writable by UID 1001).
SECRETS_DIR ?= $(CURDIR)
CONFIG_DIR ?= $(CURDIR)
DATA_VOLUME ?= tokman-data
WORKERS ?=
LOG_LEVEL ?=
RUN_ENV ?=
# Settings make run passes into the container, by name, when the caller's environment or make's command line sets
# them (TOKMAN_API_KEYS_FILE=/secrets/api-keys make run): the README's configuration table and any TOKMAN_*
# property. Their values stay off the command line. SECRETS_DIR and TOKMAN_CONFIG are the Makefile's own: host
# paths, mounted at /secrets and /config.
PASSED_SETTINGS = GITHUB_APP_ID GITHUB_APP_PRIVATE_KEY GITHUB_API_URL GITHUB_WEBHOOK_SECRET_FILE TOKEN_RENEW_AT DB_URI DB_USER DB_PASSWORD \
	BIND_ADDR LOG_FORMAT SENTRY_DSN SENTRY_SECRET SENTRY_ENVIRONMENT DEPLOYMENT OTEL_EXPORTER_OTLP_ENDPOINT \
	MANAGEMENT_SERVER_PORT MANAGEMENT_SERVER_ADDRESS $(filter-out TOKMAN_CONFIG,$(filter TOKMAN_%,$(.VARIABLES)))
PASSED_ENV = $(foreach name,$(PASSED_SETTINGS),$(if $(filter environment% command%,$(origin $(name))),--env $(name)))
# The image's root filesystem stays read-only: tokman writes only /data (its database) and /tmp (the JVM's
# temporary files: the SQLite driver's native library, Tomcat's work directory).
READ_ONLY_FLAGS ?= --read-only --tmpfs /tmp:rw,size=64m,mode=1777
RUN_FLAGS ?= $(shell [ -t 0 ] && echo -it)

.PHONY: check test bench demo jar revoke clean build rebuild build-test-image rebuild-test-image check-in-container run

# Everything: the fast tests, then the slow ones (forked processes, replicas on PostgreSQL, a browser).
check:
	$(MVN) verify

# The fast tests only, for the edit-test loop.
test:
	$(MVN) test

# About 6 minutes: starts the jar against the GitHub simulator on loopback and prints one table (README).
bench:
	MVN="$(MVN)" scripts/bench.sh

jar:
	$(MVN) -DskipTests package

# Revokes tokens now, at GitHub and in every tokman (docs/lifecycle.md): one of REPOSITORY=owner/name, OWNER=name,
# CLIENT=name or TOKEN_SHA256=<hex prefix>, with an admin API key in TOKMAN_API_KEY or TOKMAN_API_KEY_FILE and
# tokman's address in TOKMAN_URL (http://127.0.0.1:8000 by default).
revoke:
	@scripts/tokman-revoke $(if $(REPOSITORY),repository $(REPOSITORY),$(if $(OWNER),owner $(OWNER),$(if \
		$(CLIENT),client $(CLIENT),$(if $(TOKEN_SHA256),token_sha256 $(TOKEN_SHA256)))))

demo:
	BIND_ADDR=$(DEMO_BIND_ADDR) DEMO_GITHUB_PORT=$(DEMO_GITHUB_PORT) MVN="$(MVN)" scripts/demo.sh

clean:
	$(MVN) clean

build:
	$(CONTAINER_ENGINE) build $(PULL_FLAG) $(BUILD_FLAGS) $(BUILD_ARGS) --target runtime -t $(IMAGE_NAME) .

rebuild:
	$(CONTAINER_ENGINE) build --no-cache $(REBUILD_PULL_FLAG) $(BUILD_FLAGS) $(BUILD_ARGS) --target runtime -t $(IMAGE_NAME) .

build-test-image:
	$(CONTAINER_ENGINE) build $(PULL_FLAG) $(BUILD_FLAGS) $(BUILD_ARGS) --target test -t $(TEST_IMAGE_NAME) .

rebuild-test-image:
	$(CONTAINER_ENGINE) build --no-cache $(REBUILD_PULL_FLAG) $(BUILD_FLAGS) $(BUILD_ARGS) --target test -t $(TEST_IMAGE_NAME) .

# The tests reach Maven Central for test-time plugins, hence the host network.
check-in-container:
	$(CONTAINER_ENGINE) run --rm --network host $(TEST_IMAGE_NAME)

run:
	$(CONTAINER_ENGINE) run --rm --network host $(READ_ONLY_FLAGS) \
		-v $(CONFIG_DIR):/config:z -v $(SECRETS_DIR):/secrets:z -v $(DATA_VOLUME):/data:z \
		$(if $(wildcard $(CONFIG_DIR)/application.yml),--env TOKMAN_CONFIG=/config/application.yml) \
		$(if $(WORKERS),--env WORKERS=$(WORKERS)) $(if $(LOG_LEVEL),--env LOG_LEVEL=$(LOG_LEVEL)) $(PASSED_ENV) $(RUN_ENV) \
		$(RUN_FLAGS) $(IMAGE_NAME)
