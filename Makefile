# One entry point for every job. The first two are all a fresh machine needs:
#   make book   - create the environment if missing, validate the data, build the HTML book
#   make test   - the whole test suite (unit, data, notebooks, HTML, browser, PDF)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: book test validate pdf chapter lab bench lint sysdeps mapdata env clean

book: $(STAMP) mapdata
	$(BIN)/python -m kgkz.build html

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/python -m kgkz.data.validate

pdf: $(STAMP) sysdeps
	$(BIN)/python -m kgkz.build pdf

# Re-execute one chapter in a fresh kernel and rebuild its page: make chapter NAME=border
chapter: $(STAMP) mapdata
	$(BIN)/python -m kgkz.build chapter $(NAME)

lab: $(STAMP)
	cd book && ../$(BIN)/jupyter lab

bench: $(STAMP) sysdeps
	$(BIN)/python benchmarks/bench.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

env: $(STAMP)

# Debian packages for the PDF (TeX Live, fonts), the browser test (Chromium) and the map.
sysdeps:
	bash .ci/sysdeps.sh

# The country outlines the border chapter's map is drawn from (Debian's gmt-dcw).
mapdata:
	bash .ci/sysdeps.sh gmt-dcw

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

clean:
	rm -rf _build test-artifacts .pytest_cache
