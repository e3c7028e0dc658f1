# The two commands a newcomer runs:
#   make demo   install into .venv, load sample_reports/ into the embedded PostgreSQL, print a comparison
#   make test   install into .venv and run the test suite against a real PostgreSQL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint bench

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
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/bench_parse.py
	$(BIN)/python bench/bench_load.py
	$(BIN)/python bench/bench_queries.py
