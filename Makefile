# The whole set-up on a fresh machine: `make site`, then `make test`.
# Every install comes from the lock files in requirements/ (exact versions, checked by hash); see docs/maintenance.md.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
N      ?= 10000
PIP    := $(BIN)/python -m pip --disable-pip-version-check
UV_VERSION ?= 0.13.9

.PHONY: site test install install-test validate serve bench lint clean import-sample lock upgrade-lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# the locked packages (setuptools included), then the project itself against them: no build isolation, so no
# unlocked setuptools is fetched, and --no-deps, so nothing outside the lock comes in
$(VENV)/.installed: $(BIN)/python requirements/site.txt pyproject.toml
	$(PIP) install --quiet --require-hashes -r requirements/site.txt
	$(PIP) install --quiet --no-deps --no-build-isolation --config-settings editable_mode=compat -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PIP) install --quiet --require-hashes -r requirements/test.txt
	touch $@

## Re-resolve the lock files after a change to pyproject.toml, keeping every pin that still fits
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml requirements/build.in --universal --python-version 3.11 \
	--generate-hashes --no-emit-package pip --custom-compile-command "make lock" --quiet
lock: $(BIN)/python
	$(PIP) install --quiet "uv==$(UV_VERSION)"
	$(UV_COMPILE) $(LOCK_FLAGS) --extra test -o requirements/test.txt
	$(UV_COMPILE) -c requirements/test.txt -o requirements/site.txt

## Move every pin to the newest release the ranges in pyproject.toml allow (then run `make test`)
upgrade-lock:
	$(MAKE) lock LOCK_FLAGS=--upgrade

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
