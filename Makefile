# The course's commands. On a fresh Linux machine with Python 3.11 or newer:
#   make demo   set everything up, then grade a demo class and print its grades
#   make test   set everything up, then run the whole test suite (what CI runs)
# Options: PYTHON=python3.12 (the interpreter the venv is made with), VENV=.venv-3.12 (where),
#          SKIP_BROWSER=1 (do not install Chromium nor JupyterHub's proxy; the browser tests then skip).
PYTHON      ?= python3
VENV        ?= .venv
BIN         := $(VENV)/bin
MIN_PYTHON  := 3.11
LOCK        := requirements.lock
export OPENBLAS_NUM_THREADS ?= 1

# A PYTHON given on the command line or in the environment must match an existing venv.
ifneq ($(filter command line environment,$(origin PYTHON)),)
PYTHON_CHOSEN := explicit
endif

.PHONY: setup check-python data demo grade generate test test-fast clean browser hub bundles lock spread

setup: check-python $(VENV)/.installed

check-python:
	@$(PYTHON) scripts/check_python.py $(MIN_PYTHON) $(VENV) $(PYTHON_CHOSEN)

# Every package at the exact version of requirements.lock (transitive ones included).
$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade -c $(LOCK) pip setuptools
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	@touch $@

# Refresh requirements.lock: resolve pyproject.toml's ranges afresh in a throw-away venv.
# Run it when pyproject.toml's dependencies change, or to move to newer releases on purpose
# (then run `make test` and regenerate solutions/ if a figure moved). Run it with the OLDEST
# Python the course supports (for example Debian 12's python3, 3.11.2): a package's newest
# release may need a newer patch release (soupsieve 4.1.3 needs 3.11.5), and the lock must
# install everywhere. Then check the newest: make setup PYTHON=python3.13 VENV=.venv-3.13
lock: check-python
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip setuptools
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Exact versions of every package the course installs (make setup uses it as pip constraints)."; \
	  echo "# Made by 'make lock' with $$(.venv-lock/bin/python --version) on $$(uname -sm); do not edit by hand."; \
	  .venv-lock/bin/python -m pip freeze --all --exclude-editable | grep -Ev '^(nn-course-helpers|wheel)==' | LC_ALL=C sort -f; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf .venv-lock

data: setup
	$(BIN)/course data

demo: data
	$(BIN)/course demo

grade: data
	$(BIN)/course grade

generate: data
	$(BIN)/course generate

browser: setup
ifeq ($(SKIP_BROWSER),)
	bash scripts/install_browser.sh $(VENV)
else
	@echo "browser: SKIP_BROWSER is set; Chromium is not installed (the browser tests will skip)"
endif

# JupyterHub's proxy (configurable-http-proxy, npm, pinned by scripts/hub/package-lock.json) into
# .hub/, for tests/test_hub.py (a class on a real JupyterHub, driven in Chromium).
hub: setup
ifeq ($(SKIP_BROWSER),)
	bash scripts/install_hub.sh $(VENV)
else
	@echo "hub: SKIP_BROWSER is set; JupyterHub's proxy is not installed (the hub test will skip)"
endif

bundles: data
	$(BIN)/course bundle

test: data browser hub
	$(BIN)/python -m pytest

test-fast: data
	$(BIN)/python -m pytest -m "not slow"

# The spread of every published figure across OpenBLAS kernels (minutes; see tests/figures.py).
spread: data
	$(BIN)/python scripts/kernel_spread.py --full --tests

clean:
	rm -rf demo_class gradebook.db feedback reports grades.csv grades.png grades_exercises.png .pytest_cache
