# Kindred: `make run` to try it with demo data, `make test` to run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev migrate demo serve worker lint format bench clean

## Set up, load demo data and serve Kindred at http://127.0.0.1:8000 (SQLite, no other services).
run: setup migrate demo serve

## Set up (including Debian's chromium for the browser tests) and run the whole test suite.
test: setup-dev
	$(BIN)/pytest -n 2 --dist loadgroup

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

setup-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	bash scripts/ensure-chromium

migrate:
	$(BIN)/python manage.py migrate --noinput

demo:
	$(BIN)/python manage.py load_demo

## Serve Kindred with the task worker beside it, so emails (printed to this terminal) and other queued work go out.
serve:
	$(BIN)/python manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Drain the background task queue (emails and other deferred work).
worker:
	$(BIN)/python manage.py db_worker

## Lint, formatting, layering contracts (import-linter), types (mypy) and the house rules.
lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python scripts/check_code_rules.py

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) data
