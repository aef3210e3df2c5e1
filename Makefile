# The course's commands. On a fresh machine with Python 3.11:
#   make demo   set everything up, then grade a demo class and print its grades
#   make test   set everything up, then run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: setup data demo grade generate test test-fast clean browser bundles

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

data: setup
	$(BIN)/course data

demo: data
	$(BIN)/course demo

grade: data
	$(BIN)/course grade

generate: data
	$(BIN)/course generate

browser: setup
	bash scripts/install_browser.sh $(VENV)

bundles: data
	$(BIN)/course bundle

test: data browser
	$(BIN)/python -m pytest

test-fast: data
	$(BIN)/python -m pytest -m "not slow"

clean:
	rm -rf demo_class gradebook.db feedback grades.csv grades.png .pytest_cache
