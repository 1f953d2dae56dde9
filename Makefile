# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
KLE_FILE ?= ../shared/data/kle/KLE-Emneplan_Version2-0_2015-08-01.xml
HOST ?= 127.0.0.1:8000

.PHONY: install dev demo serve test lint typecheck unit browser-deps clamd-deps messages docs clean

install: $(VENV)/.installed  ## Create .venv with indgang installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

dev: $(VENV)/.dev-installed

demo: install  ## Migrate the embedded database, load demo data, serve and run periodic tasks
	mkdir -p var
	$(BIN)/indgang migrate --noinput -v0
	$(BIN)/indgang load-demo --kle $(KLE_FILE)
	@echo "Indgang kører på http://$(HOST)/  (stop med Ctrl-C)"
	$(BIN)/indgang serve $(HOST)

test: lint typecheck unit  ## Everything: format, lint, types, migrations, tests (browser included)

lint: dev
	$(BIN)/ruff format --check src benchmarks
	$(BIN)/ruff check src benchmarks

typecheck: dev
	$(BIN)/mypy src benchmarks

unit: dev browser-deps clamd-deps
	mkdir -p var  # the migration check reads the embedded database's history
	$(BIN)/indgang makemigrations --check --dry-run -v0
	$(BIN)/pytest

browser-deps:  ## The UI tests drive Debian's chromium
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Installer Debians chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

clamd-deps:  ## The virus-scan tests run ClamAV's daemon (with a signature database of their own)
	@command -v clamd >/dev/null || test -x /usr/sbin/clamd || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clamav-daemon >/dev/null; \
	  else echo "Installer Debians clamd: sudo apt-get install clamav-daemon" >&2; exit 1; fi; }

messages: dev  ## Refresh the Danish catalogue after changing user-facing text
	cd src/indgang && ../../$(BIN)/indgang makemessages -l da --no-location --no-obsolete
	cd src/indgang && ../../$(BIN)/indgang compilemessages -v0

docs: dev  ## Regenerate docs/configuration.md and .env.example from the settings
	$(BIN)/indgang config-docs

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
