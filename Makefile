# Smart society cases — the two commands:
#   make        set everything up and build the series into build/
#   make test   run the whole test suite
# Other targets: dist, release, serve, check, stats, pdf, epub, html, bench, clean, lock.
#   make dist   the distribution to municipalities in build/dist/ (needs the test packages:
#               Java, Node.js and Chromium run EPUBCheck, Ace and axe-core on it)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PUBLISHER := $(BIN)/publisher
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: all build dist release serve check stats pdf epub html test bench clean lock system-build system-test

all: build

system-build:
	@tools/system-packages build

system-test:
	@tools/system-packages test

$(STAMP): pyproject.toml requirements.lock | system-build
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet --require-virtualenv -r requirements.lock
	$(BIN)/python -m pip install --quiet --require-virtualenv --no-deps -e .
	@touch $@

$(NODE_STAMP): package.json package-lock.json | system-test
	PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build: $(STAMP)
	$(PUBLISHER) build

dist: $(STAMP) $(NODE_STAMP)
	PUPPETEER_EXECUTABLE_PATH=$${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium} $(PUBLISHER) dist

release: $(STAMP)
	$(PUBLISHER) build --release

serve: $(STAMP)
	$(PUBLISHER) serve

check: $(STAMP)
	$(PUBLISHER) check

stats: $(STAMP)
	$(PUBLISHER) stats

pdf epub html: $(STAMP)
	$(PUBLISHER) build --format $@

test: $(STAMP) $(NODE_STAMP)
	PUPPETEER_EXECUTABLE_PATH=$${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium} $(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --require-virtualenv -r tools/bench-requirements.txt
	$(BIN)/python tools/bench.py $(BENCH)

lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf build
