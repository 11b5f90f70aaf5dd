# libinnov developer tasks. `make demo` and `make test` work on a fresh machine:
# each sets up what is missing (system packages, .venv, vendored assets) first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system venv assets model demo test check lint typecheck migrations pytest docs serve bench clean

setup: system venv assets model

system:
	bash scripts/setup-system.sh

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(PIP) install -q -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	$(PY) -c "import libinnov, django, sklearn, jieba" 
	touch $(STAMP)

venv: $(STAMP)

assets: venv
	bash scripts/fetch-assets.sh $(PY)

model: venv
	$(BIN)/libinnov model build --quiet

demo: setup
	$(BIN)/libinnov demo

check: lint typecheck migrations

migrations: venv
	LIBINNOV_DATA_DIR=$$(mktemp -d) $(PY) -m libinnov.web makemigrations --check --dry-run

lint: venv
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: venv
	$(BIN)/mypy

pytest: venv
	$(BIN)/pytest -n 2 --dist loadgroup

test: setup check pytest

docs: venv
	$(PY) scripts/gen_cli_docs.py

serve: setup
	$(BIN)/libinnov serve --sample

bench: setup
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache libinnov-demo test-artifacts
