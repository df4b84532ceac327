# Wuwei: `make run` serves the app on http://127.0.0.1:8000, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := src/wuwei/web/vendor_static/vendor
PG_SERVER ?= postgres://postgres@127.0.0.1:5432
PG_URL ?= $(PG_SERVER)/wuwei_ci
export WUWEI_LOG_LEVEL ?= WARNING
# PYTEST_WORKERS=auto: pytest-xdist, one worker per core, a file per worker (not the default
# yet: a test that empties the database can precede others on its worker). Default: serial,
# with the SQLite and PostgreSQL passes side by side (`pytest` below), one core each.
PYTEST_WORKERS ?= 0
PYTEST_XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

.PHONY: setup run test lint typecheck djangocheck pytest pytest-sqlite pytest-postgres browser \
        bench bench-peer fuzz messages vendor clean

setup: $(BIN)/.installed node_modules/.installed vendor messages

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

vendor: node_modules/.installed
	@mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons/fonts $(VENDOR)/echarts \
	          $(VENDOR)/htmx $(VENDOR)/sortablejs $(VENDOR)/swagger-ui
	@cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	@cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/
	@cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff $(VENDOR)/bootstrap-icons/fonts/
	@cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	@cp node_modules/sortablejs/Sortable.min.js $(VENDOR)/sortablejs/
	@cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/swagger-ui/

# Translations: .po files are the source; .mo files are built here (needs GNU gettext).
messages: $(BIN)/.installed
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; } || \
	  { echo "msgfmt (GNU gettext) is missing: install it to build translations"; exit 1; }
	@cd src/wuwei && ../../$(BIN)/django-admin compilemessages --settings=wuwei.settings -v 0

# The demo organisation (public passwords) only on the embedded SQLite default, never on a
# DATABASE_URL that may be production.
run: setup
	DEBUG=$${DEBUG:-1} $(BIN)/wuwei serve --host 127.0.0.1 --port 8000 $(if $(DATABASE_URL),,--demo)

browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; } || \
	  echo "Debian chromium could not be installed: browser tests will skip (fail under CI=true)."
	@# Chinese pages in screenshots: without a CJK font Chromium draws every 汉字 as a box.
	@fc-list :lang=zh 2>/dev/null | grep -q . || { [ "$$(id -u)" = 0 ] && { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }; } || \
	  echo "fonts-noto-cjk could not be installed: Chinese text in browser screenshots shows as boxes."

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	WUWEI_TESTING=1 $(BIN)/mypy src/wuwei

djangocheck: setup
	WUWEI_TESTING=1 $(BIN)/wuwei check --fail-level WARNING
	WUWEI_TESTING=1 $(BIN)/wuwei makemigrations --check --dry-run

pytest-sqlite: setup browser
	@echo "== pytest on SQLite =="
	WUWEI_TESTING=1 DATABASE_URL= $(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

pytest-postgres: setup browser
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  echo "== pytest on PostgreSQL ($(PG_URL), throwaway test database) =="; \
	  WUWEI_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_XDIST) $(PYTEST_ARGS); \
	else \
	  echo "== SKIPPED: pytest on PostgreSQL — nothing answers at 127.0.0.1:5432 =="; \
	fi

pytest: setup browser
	@$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgres

test: lint typecheck djangocheck pytest

# Deep schemathesis pass (not in `make test`): the coverage phase plus 100 examples per
# operation, as an administrator and as a rep, over the demo organisation (≥ 10k cases).
fuzz: setup
	WUWEI_TESTING=1 DATABASE_URL= WUWEI_FUZZ_EXAMPLES=$${WUWEI_FUZZ_EXAMPLES:-100} \
	  WUWEI_FUZZ_USERS=admin,rep_li WUWEI_FUZZ_DEMO=1 WUWEI_FUZZ_COVERAGE=1 \
	  $(BIN)/pytest tests/test_fuzz_api.py -q -s -p no:logging $(PYTEST_ARGS)

# `make bench BENCH_ARGS="server --scale 20000"`: the server benchmarks (bench/README.md),
# against `wuwei serve` on PostgreSQL only; any other BENCH_ARGS: the in-process benchmarks.
bench: setup
ifeq ($(firstword $(BENCH_ARGS)),server)
	$(BIN)/python -m bench $(BENCH_ARGS) --postgres $(PG_SERVER)
else
	$(BIN)/python -m bench $(BENCH_ARGS)
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_SERVER)/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  $(BIN)/python -m bench $(BENCH_ARGS) --postgres $(PG_SERVER); \
	else echo "== SKIPPED: benchmarks on PostgreSQL — nothing answers at 127.0.0.1:5432 =="; fi
endif

# The peer CRM for `bench server --peer var/peer` (its own venv, database and role).
bench-peer:
	bench/peer/install.sh
	. var/peer/env && cd var/peer && venv/bin/python ../../bench/peer/load.py --scale $(or $(PEER_SCALE),20000) --out config.json

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
