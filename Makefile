# Tagflow's two everyday commands, `make demo` and `make test`, and `make bench` and `make fuzz`.
# Each installs or builds what it needs first (idempotent and cached): Debian packages through
# scripts/install-deps, the jar through ./tagflow, the local control plane through
# `./tagflow cluster build` (the first time takes minutes; it is cached under ~/.cache/tagflow).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
MVN := mvn -B -ntp

.PHONY: demo test bench bench-flux bench-web fuzz fuzz-api deps controlplane build format clean

demo: deps controlplane
	./tagflow demo

test: deps controlplane
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) verify

# BENCH_APPS sizes the controller bench: that many applications of 20 objects (`make bench
# BENCH_APPS=1000`; the default 100 keeps the run to minutes on 2 cores).
BENCH_APPS ?= 100
bench: deps controlplane
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) -q -DskipTests -pl tagflow-bench -am package
	BENCH_APPS=$(BENCH_APPS) BENCH_WEB_APPS=$(BENCH_WEB_APPS) scripts/bench

# BENCH_WEB_APPS sizes the API and board bench (default 1000, the issue's size: about 10 minutes
# on 2 busy cores, most of it the first sync). `make bench-web` runs only that one.
BENCH_WEB_APPS ?= 1000
bench-web: deps controlplane
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) -q -DskipTests -pl tagflow-bench -am package
	"$$(scripts/find-jdk)/bin/java" -Dbench.tagflow.jar=tagflow-server/target/tagflow.jar \
	  -cp 'tagflow-bench/target/tagflow-bench.jar:tagflow-bench/target/lib/*' \
	  dev.tagflow.bench.web.WebBench $(BENCH_WEB_APPS) 200 20 10

# Only the side-by-side with Flux (the last part of `make bench`): builds Flux's two controllers
# from their Go modules the first time (about 10-20 minutes on 2 cores; cached in ~/.cache/tagflow).
bench-flux: deps controlplane
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) -q -DskipTests -pl tagflow-bench -am package
	BENCH_APPS=$(BENCH_APPS) scripts/bench-flux

# Each fuzz test fuzzed for FUZZ_SECONDS (default 60) in a JVM of its own; FUZZ_TARGETS picks some
# by name (`make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS="Yaml Webhook"`). `make test` runs their inputs.
# Then fuzz-api: the API of a real server against its OpenAPI document (OpenApiConformanceTest)
# with API_FUZZ_REQUESTS requests (300 in `make test`) drawn from API_FUZZ_SEED (new each run;
# a failure names its seed: `make fuzz-api API_FUZZ_SEED=…` repeats it).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
API_FUZZ_REQUESTS ?= 5000
API_FUZZ_SEED ?= $(shell date +%s)
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz $(FUZZ_TARGETS)
	$(MAKE) fuzz-api API_FUZZ_SEED=$(API_FUZZ_SEED)

fuzz-api: deps
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) -pl tagflow-server -am test \
	  -Dtest=OpenApiConformanceTest -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dtagflow.apiFuzz.requests=$(API_FUZZ_REQUESTS) -Dtagflow.apiFuzz.seed=$(API_FUZZ_SEED)

deps:
	scripts/install-deps

# Builds the jar (./tagflow does when sources changed) and the control plane (once, cached).
controlplane: deps
	./tagflow cluster build

build: deps
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) -q -DskipTests package

format:
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) -q spotless:apply

clean:
	JAVA_HOME="$$(scripts/find-jdk)" $(MVN) -q clean
