# tokman. `make demo` runs it against a local GitHub simulator; `make check` runs the tests.

MVN ?= mvn -B -ntp
# Where `make demo` listens, and where its GitHub simulator does.
DEMO_BIND_ADDR ?= 127.0.0.1:8000
DEMO_GITHUB_PORT ?= 8900

.PHONY: check demo jar clean

check:
	$(MVN) verify

jar:
	$(MVN) -DskipTests package

demo:
	BIND_ADDR=$(DEMO_BIND_ADDR) DEMO_GITHUB_PORT=$(DEMO_GITHUB_PORT) MVN="$(MVN)" scripts/demo.sh

clean:
	$(MVN) clean
