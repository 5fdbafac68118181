# Quick start: `make demo` and `make test`. Both set everything up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED := ../shared
CORPUS := $(SHARED)/corpus

.PHONY: install ocr test demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# tesseract reads scanned PDF pages in French; without root, the OCR test is skipped.
ocr:
	@if ! tesseract --list-langs 2>/dev/null | grep -qx fra; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				tesseract-ocr tesseract-ocr-fra >/dev/null; \
		else \
			echo "tesseract (français) absent, sans droits root pour l'installer : le test de l'OCR sera sauté"; \
		fi; \
	fi

test: install ocr
	$(BIN)/python -m pytest

demo: install
	rm -f recueil.db
	@if [ -d $(CORPUS) ]; then \
		$(BIN)/recueil ingest $(CORPUS) && $(BIN)/recueil search "logement d'abord"; \
	else \
		echo "../shared absent : démonstration sur l'exemple du projet (examples/)"; \
		$(BIN)/recueil ingest examples && $(BIN)/recueil search "bibliothèques"; \
	fi

bench: install ocr
	$(BIN)/pip install --quiet -e '.[bench]'
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; } || true
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) recueil.db
