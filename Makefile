# Everyday commands. A fresh machine needs only Python 3.11+ and make:
#   make run    set everything up on SQLite, load the seed content, serve http://127.0.0.1:8000
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Local runs use DEBUG unless told otherwise; production settings come from the environment.
export DEBUG ?= 1

.PHONY: run test test-fast test-postgres lint format check migrate seed serve-prod static frontend bench clean help

help:
	@echo "make run          set up on SQLite, load the seed content and serve at http://$(HOST):$(PORT)"
	@echo "make test         run the test suite (SQLite unless DATABASE_URL is set)"
	@echo "make test-fast    run the test suite without the end-to-end tests (browser, gunicorn)"
	@echo "make test-postgres run the test suite on the local PostgreSQL"
	@echo "make lint         ruff check and format check, and the apps' import contracts"
	@echo "make serve-prod   serve with the production settings and gunicorn, as the Docker image does"
	@echo "make frontend     rebuild static/vendor/govuk-frontend/ from frontend/package.json (needs npm)"
	@echo "make bench        time the public pages with 2,000 synthetic case studies (see bench/README.md)"

$(INSTALLED): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

migrate: $(INSTALLED)
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py load_seed_content
	$(BIN)/python manage.py load_councils

# A fixed password for the local demo accounts, printed when they are created.
DEMO_PASSWORD ?= demo-portal-2024

run: seed
	$(BIN)/python manage.py create_demo_accounts --password $(DEMO_PASSWORD)
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(INSTALLED)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Everything but the end-to-end tests (marked e2e: Chromium, gunicorn): for quick checks.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

test-postgres: $(INSTALLED)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/coproduction_portal} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(INSTALLED)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

static: $(INSTALLED)
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-collectstatic-only} SITE_URL=$${SITE_URL:-http://collectstatic-only} \
		$(BIN)/python manage.py collectstatic --no-input

# The same steps as the Dockerfile: collectstatic, migrate (the release step), then gunicorn
# with gunicorn.conf.py. Uses SQLite unless DATABASE_URL is set.
serve-prod: export SITE_URL ?= http://$(HOST):$(PORT)
serve-prod: static
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-local-serve-prod-only} $(BIN)/python manage.py migrate --no-input
	DEBUG=0 SECRET_KEY=$${SECRET_KEY:-local-serve-prod-only} ALLOWED_HOSTS=$${ALLOWED_HOSTS:-127.0.0.1,localhost} \
		GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py

# GOV.UK Frontend, at the exact version pinned in frontend/package.json, compiled with the
# portal's settings (system fonts, no crown) into static/vendor/govuk-frontend/ (committed).
frontend:
	cd frontend && npm ci --no-audit --no-fund && npm run build

bench: $(INSTALLED)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache db.sqlite3
