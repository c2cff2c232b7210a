# quizapp: `make run` serves the app, `make test` runs every test. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 4
THREADS ?= 1
WORKER_CLASS ?= gevent
KEEP_ALIVE ?= 30

.PHONY: run dev test test-fast test-postgres lint bench bench-classroom clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "quizapp needs Python 3.11 or newer; set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# gevent workers: a slow or idle connection (a phone on a weak network, or between two pages) holds a greenlet
# of its worker, not the worker; idle connections are kept KEEP_ALIVE seconds (bench/README.md, "Session 5").
run: $(VENV)/.installed  ## serve on http://$(HOST):$(PORT) with gunicorn (idle phones keep their connection 30 s)
	$(BIN)/flask --app quizapp init-db
	$(BIN)/gunicorn --worker-class $(WORKER_CLASS) --workers $(WORKERS) --threads $(THREADS) --bind $(HOST):$(PORT) \
	  --keep-alive $(KEEP_ALIVE) --no-control-socket --access-logfile - 'quizapp:create_app()'

dev: $(VENV)/.installed  ## Flask's reloading development server
	$(BIN)/flask --app quizapp init-db
	$(BIN)/flask --app quizapp run --debug --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test  ## every test, browser tests included
	$(BIN)/python -m pytest -q

test-fast: $(VENV)/.installed-test  ## the unit and service tests only (under a minute; no browser, no server)
	$(BIN)/python -m pytest -q tests/unit tests/services

# The whole suite on PostgreSQL: TEST_DATABASE_URL=postgresql+psycopg://user@127.0.0.1:5432/postgres make test-postgres
test-postgres: $(VENV)/.installed-test
	@test -n "$(TEST_DATABASE_URL)" || { echo "set TEST_DATABASE_URL=postgresql+psycopg://user@host:5432/postgres"; exit 1; }
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check quizapp tests bench
	$(BIN)/ruff format --check quizapp tests bench

bench: $(VENV)/.installed-test  ## load benchmark (not part of make test)
	$(BIN)/python bench/load.py --students 200
	$(BIN)/python bench/pages.py

bench-classroom: $(VENV)/.installed-test  ## two class sessions of 300 students (BENCH_ARGS="--think 5 ..." to vary)
	$(BIN)/python bench/classroom.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance/quizapp.sqlite3*
