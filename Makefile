# The two commands a newcomer runs:
#   make demo   install malbas (runtime dependencies only) into .venv, load sample_reports/ into the embedded
#               PostgreSQL, print a comparison
#   make test   install malbas with its dev extras into .venv and run the test suite against a real PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip --quiet --disable-pip-version-check

.PHONY: install install-dev demo test lint typecheck install-check bench bench-city

# The runtime install: malbas and what it needs to run, as a user gets it (a plain, not an editable, install).
$(BIN)/malbas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install .
	touch $(BIN)/malbas

# The dev extras (pytest, ruff, mypy, PDF producers for the tests …), malbas installed editable so that the
# tests see the working tree.
$(VENV)/.dev: $(BIN)/malbas
	$(PIP) install -e '.[dev]'
	touch $(VENV)/.dev

install: $(BIN)/malbas

install-dev: $(VENV)/.dev

demo: install
	$(BIN)/malbas demo

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python tools/typecheck.py
	$(BIN)/pytest

typecheck: install-dev
	$(BIN)/python tools/typecheck.py

# Build the wheel, install it in a fresh venv and use it from outside the checkout (CI runs this too).
install-check: install-dev
	PYTHON=$(PYTHON) tools/install_check.sh

bench: install-dev
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_queries.py
	$(BIN)/python bench/bench_pdf.py

# A decade of the whole city (~1,200 reports made from the samples) loaded with `malbas load`, every figure beside
# its floor; BENCH_CITY_ARGS="--reports 300 --rounds 3" runs it smaller.
bench-city: install-dev
	$(BIN)/python bench/bench_city.py $(BENCH_CITY_ARGS)
