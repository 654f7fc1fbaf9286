# The two README commands are `make run` and `make test`; the rest is optional tooling.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STORE ?= var/enbek.duckdb

.PHONY: run test lint bench build-data build-boundaries publish clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port 8501 --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

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
