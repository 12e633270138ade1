# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-cluster test bench eval train install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever the package metadata changes.
$(STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/launchwire demo

# The same, distributed on this machine: a Redis of its own and worker processes (#18).
demo-cluster: $(STAMP) $(REDIS)
	$(BIN)/launchwire demo --local-cluster 2

# The browser tests drive Debian's Chromium through its ChromeDriver (no browser download);
# the distributed mode's tests start Debian's redis-server themselves on a free port (#18).
CHROMIUM := /usr/bin/chromium
REDIS := /usr/bin/redis-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL = $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends

$(CHROMIUM):
	$(APT_INSTALL) chromium chromium-driver || \
		($(SUDO) apt-get update && $(APT_INSTALL) chromium chromium-driver)

$(REDIS):
	$(APT_INSTALL) redis-server || ($(SUDO) apt-get update && $(APT_INSTALL) redis-server)

# axe-core, pinned in package-lock.json, for the browser tests' accessibility checks: fetched
# once here, never at test time.
AXE := node_modules/axe-core/axe.min.js

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(AXE)

# Two workers (pytest-xdist): most of the suite waits on real servers, browsers and worker
# processes, so two at once take about two thirds of the time on two cores.
test: $(STAMP) $(CHROMIUM) $(REDIS) $(AXE)
	$(BIN)/python -m pytest -q -n 2

bench: $(STAMP)
	$(BIN)/python -m benchmarks.crawl
	$(BIN)/python -m benchmarks.crawl_cluster
	$(BIN)/python -m benchmarks.process
	$(BIN)/python -m benchmarks.process_cluster
	$(BIN)/python -m benchmarks.entities
	$(BIN)/python -m benchmarks.cluster
	$(BIN)/python -m benchmarks.site --db build/site-200k.db
	$(BIN)/python -m benchmarks.feeds --db build/site-200k.db
	$(BIN)/python -m benchmarks.load --db build/site-10k.db --articles 10000
	$(BIN)/python -m benchmarks.replicas --db build/site-10k.db --articles 10000
	$(BIN)/python -m benchmarks.writer

eval: $(STAMP)
	$(BIN)/launchwire evaluate team
	$(BIN)/launchwire evaluate real --split test --layers --public
	$(BIN)/launchwire evaluate real --split test --layers --public --stock
	$(BIN)/launchwire evaluate real --split untrained
	$(BIN)/launchwire evaluate chinese --split dev
	$(BIN)/launchwire evaluate chinese --split test
	$(BIN)/launchwire evaluate commentary --split dev
	$(BIN)/launchwire evaluate commentary --split test
	$(BIN)/launchwire evaluate stories
	$(BIN)/launchwire evaluate text

# Rebuild the shipped entity recogniser (nlp/models/entities) from the dev side of the
# real-text sets and the public train splits in ../shared/corpora; seeds are fixed.
train: $(STAMP)
	$(BIN)/python -m launchwire.training corpus
	$(BIN)/python -m spacy train nlp/training/config.cfg --output build/training/model
	$(BIN)/python -m launchwire.training package build/training/model/model-best

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache test-artifacts node_modules
