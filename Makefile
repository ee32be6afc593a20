# Chợ Phiên: `make run` serves the site, `make test` runs the whole suite.
# Both set everything up first: virtual environment, pinned packages, translations, database.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM_PATH ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := wsgi

.PHONY: run test test-moments lint bench setup setup-dev translations db demo browser extract-messages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel -q compile -d app/translations

setup: $(VENV)/.runtime translations

setup-dev: $(VENV)/.dev translations

db: setup
	@mkdir -p instance
	$(BIN)/flask db upgrade

demo: db
	$(BIN)/flask seed-demo --first-run

run: demo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Browser tests drive Debian's Chromium. Install it when missing and we may (root with apt);
# otherwise the browser tests are skipped with a notice (and fail when CI=true).
browser:
	@if [ ! -x "$(CHROMIUM_PATH)" ] && [ "$(CHROMIUM_PATH)" = /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: setup-dev
	$(BIN)/ruff check .

# The suite runs on SQLite; when TEST_DATABASE_URL names a PostgreSQL server it runs there too.
test: setup-dev browser lint
	env -u TEST_DATABASE_URL $(BIN)/pytest -n 2 $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/pytest -n 2 $(PYTEST_ARGS); \
	fi

# The suite again with the clock moved to moments that break date code: 00:30 on 1 January in
# Huế (still 31 December in UTC), 29 February 2028, 23:50 on the last day of a 30-day month, and
# 06:30 on a Monday in Huế (still Sunday in UTC). Browser tests keep the real clock (Chromium has
# its own), so they are left out here.
TEST_MOMENTS ?= 2027-01-01T00:30+07:00 2028-02-29T10:00+07:00 2027-04-30T23:50+07:00 2027-03-01T06:30+07:00

test-moments: setup-dev
	@for moment in $(TEST_MOMENTS); do \
		echo "== the suite at $$moment (TEST_NOW)"; \
		env -u TEST_DATABASE_URL TEST_NOW=$$moment $(BIN)/pytest -n 2 -m "not e2e" $(PYTEST_ARGS) || exit 1; \
	done

bench: setup-dev
	$(BIN)/python -m tests.benchmarks

extract-messages: setup-dev
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel -q update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache
