# The two README commands are `make run` and `make test`; the rest is optional tooling.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/enbek.duckdb

LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
# pip-compile flags: hashes for every file of every pin; pip and setuptools pinned too; no index or
# find-links lines (the machine's pip configuration says where packages come from).
COMPILE := $(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: run test test-fast test-postgres lint lock bench build-data build-boundaries publish clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Dependencies come from the hashed lock files (the versions the tests ran with), the project itself without
# dependencies. The dev lock is a superset of the runtime lock with the same pins (see `lock`).
$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(DEV_LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

# The published public tables are written too, so the first page view need not compute them.
$(STORE): | $(VENV)/.installed
	$(BIN)/enbek build-demo
	$(BIN)/enbek publish

# The official app (default) needs the store and the demo users; the public app (ENBEK_MODE=public)
# never opens the store and reads only what `make publish` wrote.
run: $(VENV)/.installed
	@if [ "$${ENBEK_MODE:-official}" != public ]; then \
		$(MAKE) --no-print-directory $(STORE) && $(BIN)/enbek user demo; \
	fi
	$(BIN)/python -m dashboard.serve --server.address 127.0.0.1 --server.port 8501 --server.headless true --browser.gatherUsageStats false

# Test files are spread over the cores (pytest-xdist; one file stays on one worker, so a file's Streamlit server
# or store fixture is built once). At most 4 workers: each browser file runs its own app server and Chromium.
WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); [ $$n -gt 4 ] && n=4; echo $$n)
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile

# Everything but the `slow` and `browser` tests (no Chromium needed).
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile -m "not slow and not browser"

# The store, loader and osh suites once more against a throwaway PostgreSQL cluster (tests/pg_cluster.py; needs
# the server binaries: apt-get install -y postgresql postgresql-15-postgis-3), plus tests/pg.
PG_TESTS ?= tests/pg tests/unit/data/test_store_read_ints.py tests/unit/data/test_loader.py tests/unit/data/test_store_swap.py tests/unit/data/test_demo.py tests/unit/osh
test-postgres: $(VENV)/.installed-dev
	ENBEK_TEST_POSTGRES=1 $(BIN)/python -m pytest -q $(PG_TESTS) -k "postgres or pg"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Re-resolve both locks from pyproject.toml. The runtime lock starts from the dev lock, so pip-compile keeps
# its pins (and reuses its hashes): the two never disagree.
lock: $(VENV)/.installed-dev
	$(COMPILE) --extra dev -o $(DEV_LOCK) pyproject.toml
	cp $(DEV_LOCK) $(LOCK)
	$(COMPILE) -o $(LOCK) pyproject.toml

bench: $(VENV)/.installed-dev
	$(BIN)/python tests/bench/run_all.py

build-data: $(VENV)/.installed
	$(BIN)/enbek build-demo

build-boundaries: $(VENV)/.installed
	$(BIN)/enbek build-boundaries

publish: $(VENV)/.installed $(STORE)
	$(BIN)/enbek publish

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
