# Stackwise: the two set-up commands are `make start` and `make test` (see README.md).
# Each creates .venv on first use and reinstalls when pyproject.toml changes.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: start test test-slow lint install install-dev

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Install, check the bundled data, start the API and the Streamlit page on localhost.
start: $(VENV)/.installed
	$(BIN)/stackwise serve

## Install what the tests need and run the default suite (lint and types included).
test: $(VENV)/.installed-dev
	$(BIN)/ruff check assistant index ui eval tests
	$(BIN)/mypy
	$(BIN)/pytest -q

## Slow suites (real model over the full taxonomy, benchmarks): run on their own.
test-slow: $(VENV)/.installed-dev
	$(BIN)/pytest -q -m slow
