# The two set-up commands: `make run` serves the archive, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 4
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres fuzz-api lint migrate import superuser curator load bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
	@touch $@ $(VENV)/.installed $(VENV)/.installed-test

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

# A bad file in seeds/ is reported and the rest still import; serving goes on.
import: migrate
	-$(BIN)/python manage.py import_articles

run: import
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn -c config/gunicorn.py config.wsgi:application --bind 127.0.0.1:$(PORT) \
		--workers $(WORKERS)

superuser: migrate
	$(BIN)/python manage.py createsuperuser

# A staff user in the Curators group: make curator NAME=mira
curator: migrate
	$(BIN)/python manage.py curator_add $(NAME)

# The suite on SQLite, whatever DATABASE_URL the shell has.
test: $(VENV)/.installed-test
	DATABASE_URL= $(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL: DATABASE_URL if set, else the local server.
test-postgres: $(VENV)/.installed-test
	DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/python -m pytest $(PYTEST_ARGS)

# Schemathesis (all phases and checks) against a live gunicorn: ST_DB=sqlite|postgres,
# ST_AUTH=anonymous|staff, ST_SEED=… to repeat a run.
fuzz-api: $(VENV)/.installed-test
	.ci/schemathesis

# wrk against gunicorn, alone and during an import (DURATION, CONNECTIONS, CORPUS to change).
load: $(VENV)/.installed-test
	.ci/load

# Import, API and exports at 1k/10k/100k/1M files on SQLite and PostgreSQL (PostgreSQL up to
# 100k), Datasette and a bare WSGI ceiling beside: writes docs/benchmarks/ (results.json,
# results.md, cost.png). Needs wrk; takes about 1.5 hours (BENCH_SIZES=1000 for a quick form).
BENCH_SIZES ?= 1000,10000,100000,1000000
BENCH_DATABASES ?= sqlite,postgres
bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
	$(BIN)/python -m benchmarks.run --sizes $(BENCH_SIZES) --databases $(BENCH_DATABASES) $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) staticfiles search-index db.sqlite3 db.sqlite3-wal db.sqlite3-shm db.sqlite3-cache
