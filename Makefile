# Lanzarote Back Office: `make run` serves the back office and its background worker,
# `make test` runs the suite, `make test-fast` its quick part (no browser, no fuzzing, no coverage).
# Both set everything up first (virtual environment, requirements, database) and are idempotent.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

# Django 6 needs Python 3.12+: take the first interpreter that really is 3.12 or newer,
# including pyenv's installed versions when their shims are not activated.
ifndef PYTHON
PYTHON := $(shell for p in python3 python3.14 python3.13 python3.12 \
	$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { command -v $$p || echo $$p; } && break; \
	done)
endif

.PHONY: run test test-fast setup lint format messages clean bench

$(VENV)/.installed: requirements.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Python 3.12 or newer is needed (Django 6). Install python3.12 or python3.13, or run: make PYTHON=/path/to/python3.12 ..." >&2; \
	  exit 1; fi
	@[ -x $(PY) ] || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# Development settings, written once and never committed: DEBUG on and a random SECRET_KEY.
# Without them the settings run as in production (DEBUG off, a real SECRET_KEY required).
.env: | $(VENV)/.installed
	@echo "Writing $@ for development (DEBUG=1, a random SECRET_KEY)"
	@printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

setup: $(VENV)/.installed .env
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The background worker (imports) runs beside the server and stops with it; `run_worker` is
# db_worker after failing the imports a killed worker left running.
run: setup
	@$(PY) manage.py run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The tests run in parallel, one pytest-xdist worker per core (PYTEST_WORKERS=0: no workers; each
# worker has its own test database, files and caches, see tests/conftest.py). The browser tests stay
# together on one worker (one Chromium), started first. Compiled modules go to var/pycache even where
# PYTHONDONTWRITEBYTECODE is set: each worker would otherwise compile the whole suite again.
PYTEST_WORKERS ?= auto
PYTEST := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/var/pycache \
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

# Everything: lint, migrations, types (mypy, on the files [tool.mypy] lists), every test (browser and
# fuzz included) with the coverage floor of pyproject.toml ([tool.coverage.report] fail_under).
test: $(VENV)/.installed .env
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(BIN)/mypy
	$(PYTEST) --cov --cov-report=term-missing:skip-covered

# The quick part, while developing: no browser, no fuzzing (its module is not even collected), no coverage.
test-fast: $(VENV)/.installed .env
	$(PYTEST) -m "not browser and not fuzz" --ignore=tests/api/test_schemathesis.py

lint: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.installed .env
	$(PY) manage.py makemessages -l fr --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .coverage
