# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench seed migrate install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/alembic upgrade head

# The seed job exits 1 when some documents were rejected (the shipped corpus has one HTML
# error page saved as .pdf): the service still starts. Any other failure stops here.
seed: install
	$(BIN)/python -m seed || [ $$? -eq 1 ]

run: seed
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark against Datasette (docs/performance.md). It installs its own tools (wrk with
# apt-get, Datasette in data/bench/venv-datasette) and takes about 35 minutes at full scale;
# a quick run: make bench BENCH_ARGS="--findings 100000 --seconds 3 --rounds 2"
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m scripts.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data/*.sqlite3*
