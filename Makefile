# The two commands a newcomer runs:
#   make demo   install into .venv, load sample_reports/ into the embedded PostgreSQL, print a comparison
#   make test   install into .venv and run the test suite against a real PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test typecheck install-check bench

$(BIN)/malbas: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/malbas

install: $(BIN)/malbas

demo: install
	$(BIN)/malbas demo

test: install
	$(BIN)/ruff check .
	$(BIN)/python tools/typecheck.py
	$(BIN)/pytest

typecheck: install
	$(BIN)/python tools/typecheck.py

# Build the wheel, install it in a fresh venv and use it from outside the checkout (CI runs this too).
install-check: install
	PYTHON=$(PYTHON) tools/install_check.sh

bench: install
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_queries.py
	$(BIN)/python bench/bench_pdf.py
