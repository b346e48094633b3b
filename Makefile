# Lumbung: `make demo` runs a demo instance, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first interpreter that actually runs and is >= 3.11 (pyenv shims may exist but fail).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/lumbung
PYTEST_ARGS ?=
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: help setup demo serve test test-sqlite test-postgres e2e schema bench lint typecheck check messages clean

help:
	@echo "make demo           set up, load the demo and serve at http://127.0.0.1:$(PORT)"
	@echo "make test           the whole suite on SQLite, then on PostgreSQL if reachable"
	@echo "make test-postgres  the suite on PostgreSQL only ($(PG_URL))"
	@echo "make e2e            browser journeys (Playwright + Debian chromium)"
	@echo "make bench          benchmarks; writes var/bench/results.json"
	@echo "make check          ruff + mypy"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required (python3.11, 3.12 or 3.13)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "Python >= 3.11 is required; found $$($(PYTHON) --version)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || \
		{ echo "The venv module is missing: apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy -d lumbung/locale -D django >/dev/null

var:
	@mkdir -p var

demo: setup var
	$(BIN)/lumbung migrate --noinput
	$(BIN)/lumbung createcachetable
	$(BIN)/lumbung demo
	@echo "Serving at http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	$(BIN)/lumbung runserver 127.0.0.1:$(PORT)

serve: setup var
	$(BIN)/lumbung migrate --noinput
	$(BIN)/lumbung runserver 127.0.0.1:$(PORT)

test: setup
	@echo "== test suite on SQLite"
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)
	@if $(BIN)/python scripts/pg_ready.py "$${DATABASE_URL:-$(PG_URL)}"; then \
		echo "== test suite on PostgreSQL"; \
		DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS); \
	else echo "== PostgreSQL not reachable: suite ran on SQLite only"; fi

test-sqlite: setup
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

test-postgres: setup
	@$(BIN)/python scripts/pg_ready.py "$${DATABASE_URL:-$(PG_URL)}" || { echo "PostgreSQL is not reachable at $${DATABASE_URL:-$(PG_URL)}"; exit 1; }
	DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS)

e2e: setup
	@bash scripts/ensure_chromium.sh
	env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -m e2e e2e $(PYTEST_ARGS)

bench: setup var
	$(BIN)/python -m bench

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy lumbung config

check: setup lint typecheck

clean:
	rm -rf var/lumbung.sqlite3* var/static var/bench
