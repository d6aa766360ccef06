# The whole set-up on a fresh machine: `make site`, then `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
N      ?= 10000

.PHONY: site test install install-test validate serve bench lint clean import-sample

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

validate: install
	$(BIN)/procure validate

## Validate records/ and build the public site into site/
site: install
	$(BIN)/procure validate
	$(BIN)/procure build

serve: install
	$(BIN)/procure serve

## Run the whole test suite (CI sets REQUIRE_BROWSER=1 and the other REQUIRE_* switches)
test: install-test
	$(BIN)/ruff check site_builder tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

## Benchmarks (not part of the tests): make bench N=10000 [BENCH_FLAGS="--stage build --runs 1"]
BENCH_FLAGS ?=
bench: install-test
	$(BIN)/python tests/benchmarks/bench.py --records $(N) $(BENCH_FLAGS)

## Start a register from published OCDS data: the 100-notice Contracts Finder sample → build/cf-register/site/
OCDS_SAMPLES_DIR ?= ../shared/ocds-samples
CF_SAMPLE ?= $(OCDS_SAMPLES_DIR)/uk_contracts-finder_release-package_2025-01-20to23_100-releases.json
CF_REGISTER ?= build/cf-register
import-sample: install
	rm -rf $(CF_REGISTER)
	mkdir -p $(CF_REGISTER)/docs/indicators
	cp -R examples/contracts-finder/. $(CF_REGISTER)/
	cp -R schemas $(CF_REGISTER)/schemas
	cp docs/indicators/methodology.md $(CF_REGISTER)/docs/indicators/
	$(BIN)/procure import-ocds --root $(CF_REGISTER) $(CF_SAMPLE)
	$(BIN)/procure validate --root $(CF_REGISTER)
	$(BIN)/procure build --root $(CF_REGISTER)

lint: install-test
	$(BIN)/ruff check site_builder tests
	$(BIN)/mypy

clean:
	rm -rf site .cache build
