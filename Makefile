# briefing: `make` sets everything up and builds every briefing in source/
# into build/; `make test` sets up what the tests need and runs them.
# Set-up steps leave stamp files, so a second `make` does no set-up work,
# and each briefing is rebuilt only when its source, a template or the
# pipeline's code changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
OUT := build

SOURCES := $(wildcard source/*.md)
NAMES := $(basename $(notdir $(SOURCES)))
OUTPUTS := $(foreach n,$(NAMES),$(OUT)/$(n).pdf $(OUT)/$(n).docx $(OUT)/$(n).html)
TEMPLATES := $(shell find templates -type f)
CODE := $(shell find pipeline -name "*.py")

# Debian packages: WeasyPrint's libraries, cairo for CairoSVG (a DOCX's PNG
# in place of an SVG figure) and the fonts the templates name (Noto CJK for
# Chinese, Japanese and Korean text); the test tools read outputs
# independently of our code (LibreOffice's Math draws a DOCX's equations: only
# recommended by its Writer, which --no-install-recommends leaves out).
APT_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libcairo2 fontconfig \
	fonts-noto-core fonts-noto-mono fonts-noto-cjk fonts-noto-color-emoji fonts-dejavu-core
APT_TEST := poppler-utils qpdf libreoffice-writer-nogui libreoffice-math-nogui chromium nodejs

.PHONY: all setup test bench clean distclean

all: $(OUTPUTS)

# Bytecode for the package, as pip compiles an installed wheel's: the
# editable install does not, and where PYTHONDONTWRITEBYTECODE is set every
# run would compile the whole package again (a quarter of a DOCX build).
$(STAMPS)/bytecode: $(CODE) $(STAMPS)/venv
	$(BIN)/python -m compileall -q pipeline
	@touch $@

setup: $(STAMPS)/venv

# One run of the CLI writes all three formats of a briefing. It rebuilds
# only what changed in content (its manifest hashes sources and templates),
# so after a mere `touch` it writes nothing: touching the outputs then tells
# make they are current, and the next `make` does not ask again.
$(OUT)/%.pdf $(OUT)/%.docx $(OUT)/%.html &: source/%.md $(TEMPLATES) $(CODE) $(STAMPS)/venv $(STAMPS)/bytecode
	$(BIN)/briefing build $< --out $(OUT)
	@touch $(OUT)/$*.pdf $(OUT)/$*.docx $(OUT)/$*.html

$(STAMPS)/apt-runtime:
	@./tools/apt-ensure $(APT_RUNTIME)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/apt-test: Makefile
	@./tools/apt-ensure $(APT_TEST)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv: requirements.txt pyproject.toml $(STAMPS)/apt-runtime
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e . --config-settings editable_mode=compat
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv-test: requirements-test.txt $(STAMPS)/venv
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	@touch $@

# axe-core and playwright-core (pinned in package-lock.json) check the HTML
# page in the system Chromium; they go into node_modules/, never committed.
# Debian's nodejs comes without npm (NodeSource's has it built in).
$(STAMPS)/node-test: package.json package-lock.json $(STAMPS)/apt-test
	@command -v npm >/dev/null || ./tools/apt-ensure npm
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# mypy first: it proves every walk over the model total, so a node kind a
# backend forgot is named before any test runs.
# One pytest worker more than the machine has cores: a test often waits on
# a process of its own (LibreOffice, Chromium, a forked build, a time
# limit), and the extra worker keeps the cores busy meanwhile (on 2 cores,
# 3 workers took 162 s where 2 took 238 s, under the same load).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

test: $(STAMPS)/venv-test $(STAMPS)/apt-test $(STAMPS)/node-test
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(STAMPS)/venv-test $(STAMPS)/apt-test $(STAMPS)/bytecode
	$(BIN)/python tools/bench.py

clean:
	rm -rf $(OUT)

distclean: clean
	rm -rf $(VENV) $(STAMPS) *.egg-info node_modules
