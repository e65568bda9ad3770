# ESS Métro: every task a developer or CI runs. `make run` and `make test` are the quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check install pango lint format messages demo serve cluster-test lock clean mutation rush vnu bench

$(STAMP): requirements/dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required.")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $(STAMP)

install: $(STAMP)

# WeasyPrint (PDFs) needs Pango from the system.
pango: $(STAMP)
	@$(BIN)/python -c "import weasyprint" 2>/dev/null || { \
	  echo ""; \
	  echo "WeasyPrint cannot find the Pango library, which it needs to make PDFs."; \
	  echo "On Debian or Ubuntu: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
	  echo "On macOS: brew install pango"; \
	  echo ""; exit 1; }

## Install, migrate the embedded SQLite database, load the demo data, serve on :8000.
run: pango
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## The production-like stack on this machine: DEBUG off, gunicorn, worker, scheduler (PORT=8000).
serve: pango
	tools/serve.sh

## Two app servers and a worker sharing PostgreSQL, Redis and SeaweedFS (docs/deploy.md).
cluster-test: pango
	$(BIN)/python tools/cluster_test.py

## The whole test suite (SQLite by default, PostgreSQL with DATABASE_URL=postgres://...).
test: pango
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports
	$(DEV_ENV) $(BIN)/python manage.py check
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

## The Nu Html Checker for tests/site/test_html_validity.py: the npm package vnu-jar pinned by
## tools/vnu/package-lock.json, into tools/vnu/node_modules (run with the machine's Java).
vnu: tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar

tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar: tools/vnu/package-lock.json
	npm ci --prefix tools/vnu --ignore-scripts --no-audit --no-fund
	touch $@

## The quality gate: formatting, lint, template lint, Django checks, migrations, tests (with
## the HTML checker and the browser tests: Java, npm and Chromium are needed here).
check: lint vnu
	CI=1 $(MAKE) test

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Refresh the French and English catalogues (needs GNU gettext), then compile them.
messages: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l fr -l en --no-obsolete --no-location --ignore=.venv --ignore=staticfiles
	$(DEV_ENV) $(BIN)/python manage.py compilemessages --ignore=.venv

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock

## The deadline rush on PostgreSQL, gunicorn and the task worker: N applicants (200) in the
## last second before closing; exits 1 when a target is missed (CI runs N=30).
rush: pango
	$(BIN)/python tools/rush.py --applicants $(or $(N),200)

## Mutation testing of the pure rules (not in `make check`): RULE=identifiers for one, SHOW=1 for diffs.
mutation: $(STAMP)
	$(BIN)/python tools/mutation.py $(RULE) $(if $(SHOW),--show)

## The benchmark at ten times a real year (PostgreSQL, gunicorn, wrk): SMOKE=1 for the CI version.
bench: pango
	$(BIN)/python tools/bench.py $(if $(SMOKE),--smoke)

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles .mutation
