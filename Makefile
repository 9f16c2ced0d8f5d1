# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# One uvicorn worker per core: on 2 cores, 2 workers answered 3.1x one worker's requests/s
# (`python -m scripts.bench.workers`, README).
WORKERS ?= $(shell nproc 2>/dev/null || echo 1)

CLIENT := clients/typescript

.PHONY: run test lint format bench bench-seed bench-parser bench-profile bench-workers bench-intelligence seed migrate install clean openapi client-deps fuzz load train eval compare

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

# The app writes its own JSON access log (with request ids): uvicorn's would repeat it.
# app.http.serving's protocol closes a connection whose headers take longer than
# HEADER_TIMEOUT_SECONDS (uvicorn itself has no such limit).
UVICORN_OPTIONS := --no-access-log --http app.http.serving:HeaderTimeoutProtocol
run: seed
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT) --workers $(WORKERS) $(UVICORN_OPTIONS)

# The npm packages of the TypeScript client example, which its tests use (npm ci needs the
# registry, so it runs here and never inside a test).
$(CLIENT)/node_modules/.package-lock.json: $(CLIENT)/package.json $(CLIENT)/package-lock.json
	npm ci --prefix $(CLIENT) --no-audit --no-fund
	touch $@

client-deps: $(CLIENT)/node_modules/.package-lock.json

test: install client-deps
	$(BIN)/python -m pytest

# The theme and polarity model: `train` rebuilds app/classifier/model.json from the labelled
# findings in training/labels (deterministic, about a minute); `eval` prints its accuracy on
# documents held out by nested, document-grouped cross-validation and writes
# training/evaluation.json (about 10 minutes); `compare` measures the candidates the model was
# chosen from and writes training/comparison.json (about 40 minutes).
train: install
	$(BIN)/python -m training.train

eval: install
	$(BIN)/python -m training.evaluate

compare: install
	$(BIN)/python -m training.compare

# The committed OpenAPI contract, from the app (tests/face/test_openapi_contract.py checks it).
openapi: install
	$(BIN)/python -m scripts.export_openapi

# The contract (schemathesis) and parser (hypothesis) fuzzers at length: FUZZ_EXAMPLES per
# operation and per property (`make test` runs 15-60 with a fixed seed), fresh random
# examples every run; both backends when TEST_DATABASE_URL is set.
FUZZ_EXAMPLES ?= 300
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -p no:cacheprovider \
		tests/api/test_contract.py tests/extraction/test_parser_fuzz.py

# 60 s at 64 concurrent connections over varied queries against a server started on
# LOAD_PORT with the seeded database; fails on any non-2xx response or error.
LOAD_PORT ?= 8200
LOAD_SECONDS ?= 60
LOAD_CONNECTIONS ?= 64
load: seed
	$(BIN)/python -m scripts.load_test --serve --port $(LOAD_PORT) \
		--seconds $(LOAD_SECONDS) --connections $(LOAD_CONNECTIONS)

# The app and the seed job are held to mypy --strict (training/ to the checks in pyproject.toml).
STRICT := app seed
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy --strict $(STRICT)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The benchmark against Datasette (docs/performance.md), then the load run above. It installs
# its own tools (wrk with apt-get, Datasette in data/bench/venv-datasette) and takes about
# 20-35 minutes at full scale; a quick run: make bench BENCH_ARGS="--findings 100000 --seconds 3 --rounds 2"
BENCH_ARGS ?=
bench: seed
	$(BIN)/python -m scripts.bench $(BENCH_ARGS)
	$(BIN)/python -m scripts.bench.profile $(PROFILE_ARGS)
	$(BIN)/python -m scripts.bench.intelligence --reuse-corpus $(INTELLIGENCE_ARGS)
	$(BIN)/python -m scripts.load_test --serve --port $(LOAD_PORT) \
		--seconds $(LOAD_SECONDS) --connections $(LOAD_CONNECTIONS)

# Only the seed job's part of the benchmark: its throughput, what classifying the findings adds
# to it, and the service's start-up (about a minute).
bench-seed: install
	$(BIN)/python -m scripts.bench --seed-only

# Only the parser's part: extraction at 1x and 10x its input (texts and PDFs of the shapes that
# were quadratic), and the peak memory of a 1 MB PDF inflating to 1 GiB: about two minutes.
bench-parser: install
	$(BIN)/python -m scripts.bench --parser

# In-process CPU per request by layer (ASGI and middleware, routing, parameters, statements,
# SQLite, rows, JSON, logging) on the bench's corpus: PROFILE_ARGS="--findings 100000" for the
# quick corpus, "--database data/ofsted.sqlite3" for the one `make run` builds.
PROFILE_ARGS ?=
bench-profile: install
	$(BIN)/python -m scripts.bench.profile $(PROFILE_ARGS)

# Findings intelligence alone: the embeddings' share of the seed job, their size, and the
# latency of similar findings and hybrid search at 1,000,000 findings on SQLite and
# PostgreSQL, one worker (docs/intelligence.md; about 30 minutes with a new corpus).
INTELLIGENCE_ARGS ?=
bench-intelligence: install
	$(BIN)/python -m scripts.bench.intelligence $(INTELLIGENCE_ARGS)

# Requests/s at 1, 2 and 4 workers on the database `make run` builds (about two minutes).
bench-workers: seed
	$(BIN)/python -m scripts.bench.workers

clean:
	rm -rf $(VENV) data/*.sqlite3* $(CLIENT)/node_modules $(CLIENT)/dist test-artifacts
