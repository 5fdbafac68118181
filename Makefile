# Quick start: `make demo` and `make test`. Both set everything up from nothing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED := ../shared
CORPUS := $(SHARED)/corpus

.PHONY: install ocr postgresql chromium validata test screenshots demo bench clean

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

# PostgreSQL's server, for the tests of the store on PostgreSQL (they start their own throwaway
# cluster); without root, those tests are skipped.
postgresql:
	@if ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				postgresql >/dev/null; \
		else \
			echo "PostgreSQL absent, sans droits root pour l'installer : les tests sur PostgreSQL seront sautés"; \
		fi; \
	fi

# Debian's chromium, driven by Playwright in the browser tests (Playwright's own browser download is
# never used); without root, those tests are skipped.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				chromium fonts-dejavu-core >/dev/null; \
		else \
			echo "chromium absent, sans droits root pour l'installer : les tests dans le navigateur seront sautés"; \
		fi; \
	fi

# validata-core, the validator of the French open-data schemas (validata.fr), checks the SCDL export
# in the tests. It lives in its own environment: it pins frictionless 4 (the project uses 5) and is
# AGPL-3.0, a tool the tests run, never imported nor shipped by recueil.
VALIDATA := .venv-validata
$(VALIDATA)/.installed:
	$(PYTHON) -m venv $(VALIDATA)
	$(VALIDATA)/bin/pip install --quiet 'validata-core==0.9.7'
	touch $@

validata: $(VALIDATA)/.installed

test: install ocr postgresql chromium validata
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Refresh docs/screenshots/: the browser tests save them there instead of in a temporary folder.
screenshots: install chromium
	RECUEIL_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/web/test_browser.py -k screenshots

# The demo starts afresh: its store and its publication register (in $(DEMO_PUBLICATIONS), never the
# real ./publications) are rebuilt each time.
DEMO_PUBLICATIONS := .demo/publications

demo: install
	rm -rf recueil.db recueil.db-wal recueil.db-shm $(DEMO_PUBLICATIONS)
	@if [ -d $(CORPUS) ]; then \
		$(BIN)/recueil ingest $(CORPUS) && $(BIN)/recueil search "logement d'abord"; \
	else \
		echo "../shared absent : démonstration sur l'exemple du projet (examples/)"; \
		$(BIN)/recueil ingest examples && $(BIN)/recueil search "bibliothèques"; \
	fi
	$(BIN)/recueil publish --dir $(DEMO_PUBLICATIONS)
	RECUEIL_PUBLICATIONS=$(DEMO_PUBLICATIONS) $(BIN)/recueil serve

bench: install ocr postgresql
	$(BIN)/pip install --quiet -e '.[bench]'
	@command -v pdftotext >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; } || true
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null; } || true
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/publish.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/seance.py
	$(BIN)/python bench/fidelity.py
	$(BIN)/python bench/listing.py

clean:
	rm -rf $(VENV) $(VALIDATA) recueil.db recueil.db-wal recueil.db-shm .demo
