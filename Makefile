# ITA Desk: two commands to get going.
#
#   make run     create .venv if needed, install, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test    apt-install missing system packages, ruff, then pytest on SQLite and on PostgreSQL
#   make bench   run every bench/*.py
#
# Everything is idempotent: pip runs again only when pyproject.toml is newer than the stamp file in
# .venv, and apt only when a package is missing. Extra arguments:
#   make test PYTEST_ARGS="-x -k foo"      make run SERVE_ARGS="--port 8001"

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
PYTEST_ARGS ?=
SERVE_ARGS ?=

export PYTHAINLP_OFFLINE := 1

.PHONY: help run test bench lint system venv venv-test vendor

help:
	@echo "make run        install (if needed), migrate, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test       system packages, ruff, pytest on SQLite and on a throwaway PostgreSQL"
	@echo "make bench      run bench/*.py"
	@echo "make lint       ruff check ."
	@echo "make venv       .venv with runtime dependencies;  make venv-test  ... with test dependencies"
	@echo "make system     apt-install the Debian packages the tests need (only missing ones)"
	@echo "make vendor     re-download the vendored Bootstrap/Icons/Sarabun files (needs npm)"

# --- virtualenv ---------------------------------------------------------------------------------
# Debian's python3 cannot create a venv without the python3-venv package (no ensurepip); install it
# only when the first attempt fails. --clear: a half-made or dangling .venv is rebuilt from scratch.
$(BIN)/python:
	@echo "== creating $(VENV) =="
	@$(PYTHON) -m venv --clear $(VENV) || { \
		rm -rf $(VENV); \
		echo "'$(PYTHON) -m venv' failed; installing python3-venv"; \
		bash scripts/ensure-system.sh python3-venv && $(PYTHON) -m venv $(VENV); }

# Runtime dependencies only. If the test extras are already installed and current, they include these.
$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	@if [ $(VENV)/.stamp-test -nt pyproject.toml ]; then :; else \
		echo "== pip install -e . =="; \
		$(PIP) install -q -e . ; fi
	@touch $@

$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	@echo "== pip install -e '.[test]' =="
	@$(PIP) install -q -e '.[test]'
	@touch $@ $(VENV)/.stamp-run

venv: $(VENV)/.stamp-run
venv-test: $(VENV)/.stamp-test

# --- the two commands ---------------------------------------------------------------------------
run: $(VENV)/.stamp-run
	$(BIN)/itadesk migrate --noinput
	$(BIN)/itadesk demo
	$(BIN)/itadesk serve $(SERVE_ARGS)

# Sequential on purpose (apt first, then pip, then tests), also under make -j.
test:
	@bash scripts/ensure-system.sh
	@$(MAKE) --no-print-directory venv-test
	@bash scripts/run-tests.sh $(PYTEST_ARGS)

system:
	@bash scripts/ensure-system.sh

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check .

# Every bench/*.py in turn; all run even if one fails, and the target fails if any did.
bench: $(VENV)/.stamp-test
	@shopt -s nullglob; files=(bench/*.py); rc=0; \
	if [ $${#files[@]} -eq 0 ]; then echo "no bench/*.py yet"; exit 0; fi; \
	for f in "$${files[@]}"; do echo "== $$f =="; $(BIN)/python "$$f" || rc=1; done; exit $$rc

vendor:
	bash scripts/vendor-assets.sh
