# Two commands on a fresh machine: `make demo` and `make test`.
# The newest of Python 3.13, 3.12 and 3.11 that runs here (Debian 13's python3 is 3.13).
SUPPORTED_PYTHON := import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach candidate,python3.13 python3.12 python3.11 python3,\
  $(if $(shell $(candidate) -c '$(SUPPORTED_PYTHON)' >/dev/null 2>&1 && echo yes),$(candidate))))
endif
VENV := .venv
BIN := $(VENV)/bin
# uv computes the lock files; the version is pinned so that every `make lock` resolves alike.
UV_VERSION := 0.13.8
LOCK := --universal --python-version 3.11 --generate-hashes --quiet \
  --custom-compile-command "make lock"
KLE_FILE ?= ../shared/data/kle/KLE-Emneplan_Version2-0_2015-08-01.xml
# OS2KLE's keyword lists: the demo loads them when the file is there.
KEYWORDS_FILE ?= ../shared/data/os2kle/OS2KLE.txt
HOST ?= 127.0.0.1:8000
# The demo serves with DEBUG off, as production does: Danish error pages, no tracebacks.
DEMO_DEBUG ?= false

.PHONY: install dev demo serve test lint typecheck unit browser-deps clamd-deps pdf-deps messages screenshots docs clean lock lock-check

install: $(VENV)/.installed  ## Create .venv with indgang installed, its dependencies from the lock

$(VENV)/.created:  # an existing .venv keeps its interpreter
	@test -x $(BIN)/python || test -n "$(PYTHON)" || \
	  { echo "Python 3.11, 3.12 or 3.13 is needed (python3.13, python3.12, python3.11 or python3)" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	touch $@

$(VENV)/.installed: $(VENV)/.created pyproject.toml requirements/base.txt
	$(BIN)/pip install -q -r requirements/base.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install -q -r requirements/dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

dev: $(VENV)/.dev-installed

lock: $(VENV)/.created  ## Recompute requirements/*.txt from pyproject.toml (Python 3.11-3.13, hashes)
	$(BIN)/pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip compile pyproject.toml $(LOCK) -o requirements/base.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK) -o requirements/dev.txt
	$(BIN)/python requirements/lockstamp.py stamp

lock-check:  ## Fail when pyproject.toml's dependencies changed without `make lock`
	$(or $(wildcard $(BIN)/python),$(PYTHON)) requirements/lockstamp.py check

demo: install pdf-deps  ## Migrate the embedded database, load demo data, serve and run periodic tasks
	mkdir -p var
	$(BIN)/indgang migrate --noinput -v0
	$(BIN)/indgang load-demo --kle $(KLE_FILE) $(if $(wildcard $(KEYWORDS_FILE)),--keywords $(KEYWORDS_FILE))
	INDGANG_DEBUG=$(DEMO_DEBUG) $(BIN)/indgang serve $(HOST)

test: lock-check lint typecheck unit  ## Everything: lock, format, lint, types, migrations, tests (browser included)

lint: dev
	$(BIN)/ruff format --check src benchmarks requirements docs
	$(BIN)/ruff check src benchmarks requirements docs
	$(BIN)/lint-imports

typecheck: dev
	$(BIN)/mypy src benchmarks requirements docs

unit: dev browser-deps clamd-deps pdf-deps
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

pdf-deps:  ## Letters' PDFs are drawn by WeasyPrint, with Debian's Pango and a font
	@{ ldconfig -p | grep -q 'libpango-1.0.so' && ldconfig -p | grep -q 'libpangoft2-1.0.so' \
	  && test -d /usr/share/fonts/truetype/dejavu; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	  else echo "Installer Debians Pango og DejaVu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core" >&2; exit 1; fi; }

screenshots: dev browser-deps  ## Retake the README's screenshots (docs/img) from the demo's data
	$(BIN)/python docs/screenshots.py

messages: dev  ## Refresh the Danish catalogue after changing user-facing text
	cd src/indgang && ../../$(BIN)/indgang makemessages -l da --no-location --no-obsolete
	cd src/indgang && ../../$(BIN)/indgang compilemessages -v0

docs: dev  ## Regenerate docs/configuration.md and .env.example from the settings
	$(BIN)/indgang config-docs

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
