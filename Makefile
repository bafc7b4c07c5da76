# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# `make run` keeps its index inside the checkout, so two checkouts never share one.
RUN_INDEX ?= $(CURDIR)/.newsarchive/index

.PHONY: run test eval install bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# `make run` needs only the package, not the test extras.
$(RUN_STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	touch $(RUN_STAMP)

install: $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/newsarchive reindex corpus/ --index $(RUN_INDEX)
	$(BIN)/newsarchive serve --host 127.0.0.1 --port $(PORT) --index $(RUN_INDEX)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Real-data evaluations with floors; reads ../shared (or $$NEWSARCHIVE_SHARED).
eval: $(STAMP)
	$(BIN)/python -m bench.eval

bench: $(STAMP)
	$(BIN)/python -m bench.search_bench

clean-venv:
	rm -rf $(VENV)
