# Two commands for a new user: `make book` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: book notebooks test bench browser clean setup

# Create the virtual environment and install the pinned requirements and d2l_lite, only when
# requirements.txt or pyproject.toml changed since the last install.
$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

setup: $(STAMP)

# Execute every section once per framework (cached by content), merge, render to _build/html;
# the executed notebooks for download land in _build/notebooks/<framework>/.
book: $(STAMP)
	$(PY) tools/bookbuild.py build

notebooks: book

# Headless Chromium and its driver (Debian packages) for the browser test.
browser:
	bash tools/ensure_chromium.sh

test: $(STAMP) browser
	$(PY) -m pytest tests

bench: $(STAMP)
	$(PY) benchmarks/bench.py

clean:
	rm -rf _build test-artifacts
