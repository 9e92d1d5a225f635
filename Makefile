# Stackwise: the two set-up commands are `make start` and `make test` (see README.md).
# Each creates .venv on first use and reinstalls when pyproject.toml changes.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

DATA ?= ../shared/data

.PHONY: start test test-slow test-e2e eval load fuzz install install-dev

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-eval: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev,eval]"
	@touch $@ $(VENV)/.installed $(VENV)/.installed-dev

$(VENV)/.installed-load: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[load]"
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Install, check the bundled data, start the API and the Streamlit page on localhost.
start: $(VENV)/.installed
	STACKWISE_DEMO_USERS=$${STACKWISE_DEMO_USERS:-true} $(BIN)/stackwise serve

## Install what the tests need and run the default suite (lint and types included).
test: $(VENV)/.installed-dev $(VENV)/.installed-load
	$(BIN)/ruff check assistant index ui eval tests
	$(BIN)/mypy
	$(BIN)/pytest -q

## Browser tests: real API, model and Streamlit page in chromium (screenshots in artifacts/screenshots).
test-e2e: $(VENV)/.installed-dev $(VENV)/.installed-load
	.ci/browser.sh
	$(BIN)/pytest -q -m e2e tests/e2e tests/adapters/llm tests/eval/test_load.py

## Slow suites (real model over the full taxonomy, benchmarks): run on their own.
test-slow: $(VENV)/.installed-dev
	$(BIN)/pytest -q -m slow

## API robustness: schemathesis over every operation of the OpenAPI spec, in-process; fails on any 5xx.
fuzz: $(VENV)/.installed-dev
	$(BIN)/python -m eval.api_fuzz

## Every quality and speed figure the README quotes, on the real data in $(DATA) (tens of minutes).
eval: $(VENV)/.installed-eval
	$(BIN)/stackwise index build
	$(BIN)/stackwise eval skills --dataset $(DATA)/eval/decorte/house_test_annotations.csv
	$(BIN)/stackwise eval skills --dataset $(DATA)/eval/decorte/tech_validation_annotations.csv
	$(BIN)/stackwise eval skills --dataset $(DATA)/eval/decorte/house_validation_annotations.csv
	$(BIN)/stackwise eval titles --dataset $(DATA)/eval/jobbert_titles/titles.validation.csv
	$(BIN)/stackwise eval spans --dataset $(DATA)/eval/skillspan/test.json
	$(BIN)/stackwise eval spans --dataset $(DATA)/eval/green2022/testset.txt
	$(BIN)/python -m eval.bench_advice
	$(BIN)/python -m eval.bench_index

## Load run: 20 simulated learners for 2 minutes against the API on localhost (embedded mode, built indexes).
load: $(VENV)/.installed-load
	$(BIN)/python -m eval.load
