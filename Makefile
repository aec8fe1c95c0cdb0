# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
# Test processes (pytest-xdist): one per core; each has its own PostgreSQL database.
TEST_WORKERS ?= 2
BANK ?= questions/romania-ww2
FLASK := $(BIN)/flask --app quizapp
MO_FILES := $(patsubst %.po,%.mo,$(wildcard quizapp/translations/*/LC_MESSAGES/messages.po))

.PHONY: install browser run dev setup test lint format bench screenshots clean

install: $(VENV)/.installed $(MO_FILES)

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The Spanish interface: compile the message catalogue when its .po changes.
$(MO_FILES): %.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ --statistics

# Debian's Chromium for the browser test (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium'"; exit 1; \
	  fi; }

# Upgrade the database, load every bank under questions/, create a first teacher if none.
setup: install
	$(FLASK) setup

# gunicorn.conf.py: gthread workers, so that live games' open event streams (one per player)
# never take the threads pages need (see docs/deploy.md).
run: setup
	$(BIN)/gunicorn --config gunicorn.conf.py --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --no-control-socket 'quizapp:create_app()'

dev: setup
	$(FLASK) run --debug --port $(PORT)

test: install browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(FLASK) bank check $(BANK)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/generate.py

# Full-page PNGs of every page type (visitor, learner, teacher; English and Spanish; 1280 and
# 375 px wide) into screenshots/, from a temporary database, with the browser tests' Chromium.
screenshots: install browser
	$(BIN)/python docs/screenshots.py --out screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
