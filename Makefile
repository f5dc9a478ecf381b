# Caseflow: `make run` serves the embedded demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi
PYTEST_ARGS ?=
JOBS ?= auto

.PHONY: run test lint format venv migrate seed clean node screenshots

$(STAMP): pyproject.toml constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'pip==26.3'
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: HTMX enhancements and axe-core checks are unavailable"; fi

node: node_modules/.installed

migrate: venv
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask caseflow seed-demo

run: seed node
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# SQLite pass (everything but PostgreSQL-only tests), then, when CASEFLOW_TEST_DATABASE_URL is
# set, the PostgreSQL pass (everything but the browser tests, which ran in the first pass).
test: venv node
	env -u CASEFLOW_TEST_DATABASE_URL $(BIN)/pytest -n $(JOBS) -m "not postgres" $(PYTEST_ARGS)
	@if [ -n "$$CASEFLOW_TEST_DATABASE_URL" ]; then \
	  echo "== PostgreSQL pass =="; \
	  $(BIN)/pytest -n $(JOBS) -m "not browser" $(PYTEST_ARGS); \
	elif [ "$$CASEFLOW_REQUIRE_SERVICES" = "1" ]; then \
	  echo "CASEFLOW_TEST_DATABASE_URL is required" >&2; exit 1; \
	fi

# Rewrite the README's screenshots from the browser tests.
screenshots: venv node
	CASEFLOW_UPDATE_SCREENSHOTS=1 env -u CASEFLOW_TEST_DATABASE_URL $(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache
