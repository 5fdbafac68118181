# Quick start: `make demo` and `make test`. Both set everything up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED := ../shared
CORPUS := $(SHARED)/corpus

.PHONY: install test demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

test: install
	$(BIN)/python -m pytest

demo: install
	rm -f recueil.db
	@if [ -d $(CORPUS) ]; then \
		$(BIN)/recueil ingest $(CORPUS) && $(BIN)/recueil search "logement d'abord"; \
	else \
		echo "../shared absent : démonstration sur l'exemple du projet (examples/)"; \
		$(BIN)/recueil ingest examples && $(BIN)/recueil search "bibliothèques"; \
	fi

bench: install
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) recueil.db
