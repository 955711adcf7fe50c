# Feedserver: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi:app
# PostgreSQL run of the suite (required in CI, skipped locally when no server answers).
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: run setup test test-sqlite test-postgres lint format bench bench-quick clean assets assets-check

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime
	mkdir -p instance
	SOCKETIO_ASYNC_MODE=threading $(FLASK) db upgrade
	SOCKETIO_ASYNC_MODE=threading $(FLASK) seed-demo --if-empty

run: setup
	$(PY) wsgi.py

test: $(VENV)/.dev lint assets-check test-sqlite test-postgres

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

test-sqlite: $(VENV)/.dev
	$(PY) -m pytest

test-postgres: $(VENV)/.dev
	@if [ -n "$$CI" ] || $(PY) -c "import psycopg2; psycopg2.connect('$(PG_TEST_URL)').close()" 2>/dev/null; then \
		echo "== the suite again on PostgreSQL ($(PG_TEST_URL))"; \
		TEST_DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest; \
	else \
		echo "== PostgreSQL not reachable at $(PG_TEST_URL): skipping the PostgreSQL run (CI requires it)"; \
	fi

# Front-end bundle: npm packages from the lockfile, bundled by esbuild into frontend/static/dist/
# (committed, so the server runs without Node). assets-check fails if the commit is stale.
frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

assets: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

assets-check: frontend/node_modules/.package-lock.json
	@out=$$(mktemp -d) && cd frontend && node build.mjs --outdir=$$out \
		&& diff -r static/dist $$out >/dev/null; status=$$?; rm -rf $$out; \
		if [ $$status -ne 0 ]; then echo "frontend/static/dist is stale: run 'make assets' and commit it"; fi; \
		exit $$status

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .

# Benchmarks (docs/benchmarks.md): PostgreSQL and Redis on 127.0.0.1; bench-only packages
# (Django + django-activity-stream for the S4 peer, py-spy, aiohttp clients) from
# bench/requirements.txt, kept out of the app's requirements.
$(VENV)/.bench: $(VENV)/.runtime bench/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	touch $@

bench: $(VENV)/.bench
	$(PY) -m bench.run

bench-quick: $(VENV)/.bench
	$(PY) -m bench.run --quick

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
