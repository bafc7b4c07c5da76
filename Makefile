# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed

.PHONY: run test eval install bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/newsarchive reindex corpus/
	$(BIN)/newsarchive serve --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Real-data evaluations with floors; reads ../shared (or $$NEWSARCHIVE_SHARED).
eval: $(STAMP)
	$(BIN)/python -m bench.eval

bench: $(STAMP)
	$(BIN)/python -m bench.search_bench

clean-venv:
	rm -rf $(VENV)
