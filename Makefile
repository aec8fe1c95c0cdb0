# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BANK ?= questions/romania-ww2

.PHONY: install run test lint format bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/flask --app quizapp bank check $(BANK)
	$(BIN)/flask --app quizapp bank generate $(BANK) --lang en --count 7 --seed 1 --format text

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/flask --app quizapp bank check $(BANK)
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/generate.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
