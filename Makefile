# Two commands on a fresh machine: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# A local demo plays many conversations from one address (../shared/eval/run_dialogues.py sends
# ~90 requests in under a minute); the product default of 60/minute per client applies elsewhere.
RUN_RATE_LIMIT_PER_MINUTE ?= 1000

.PHONY: install run test test-fast lint format migrate seed bench clean browser

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

migrate: $(STAMP)
	$(BIN)/erni-agents migrate

seed: migrate
	$(BIN)/erni-agents seed-demo

run: seed ## start the assistant on the embedded defaults at http://$(HOST):$(PORT)
	RATE_LIMIT_PER_MINUTE=$${RATE_LIMIT_PER_MINUTE:-$(RUN_RATE_LIMIT_PER_MINUTE)} \
		$(BIN)/erni-agents serve --host $(HOST) --port $(PORT) --workers 1

lint: $(STAMP) ## ruff + mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src
	$(BIN)/mypy

# The browser tests drive Debian's chromium (no Playwright browser download). Installing a system
# package needs root (or password-less sudo); elsewhere the target says what to run instead.
CHROMIUM ?= /usr/bin/chromium
browser: ## install Debian's chromium for the browser tests when it is missing
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
		echo "browser tests need chromium at $(CHROMIUM); install it, or they are skipped"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO=sudo; else \
		echo "browser tests need chromium: sudo apt-get install -y chromium (else they are skipped)"; exit 0; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium

test: $(STAMP) lint browser ## the whole suite: unit + integration (SQLite, PostgreSQL, Redis, SMTP), then the browser tests
	$(BIN)/pytest -q -m "not e2e"
	# Playwright's sync API owns the event loop of its process: the browser tests get their own run.
	$(BIN)/pytest -q -m e2e

test-fast: $(STAMP)
	$(BIN)/pytest -q -x -m "not e2e"

bench: $(STAMP) ## per-turn latency, guardrails, page weight (bench/http_load.py runs separately: it takes minutes)
	$(BIN)/python bench/turns.py
	$(BIN)/python bench/guardrails.py
	$(BIN)/python bench/web_size.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
