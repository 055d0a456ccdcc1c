# The two commands of the README: `make run` and `make test`. Each sets up a fresh
# machine by itself (virtual environment, Python packages, system packages for the
# browser tests), so nothing needs installing by hand.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Test services: the real PostgreSQL and Redis on localhost.
TEST_DATABASE_URL ?= postgres://postgres@localhost:5432/giaoban
TEST_REDIS_URL ?= redis://localhost:6379/1

.PHONY: run test lint format bench worker beat messages browser-deps

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Debian's chromium for the Playwright tests (Playwright cannot download browsers here).
# Skipped without root or apt-get: the browser tests then skip with a printed reason.
browser-deps:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils >/dev/null; \
	else echo "chromium not installed and cannot install it: browser tests will skip"; fi

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) browser-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=1 \
	  $(VENV)/bin/pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate and compile the translation catalogues (commit both .po and .mo).
messages: $(STAMP)
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	@for f in bench/*.py; do [ -e "$$f" ] || continue; echo "== $$f"; \
	  DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) $$f || exit 1; done

# Celery worker and beat against REDIS_URL (see README, Production).
worker: $(STAMP)
	$(VENV)/bin/celery -A briefing worker --loglevel=INFO

beat: $(STAMP)
	$(VENV)/bin/celery -A briefing beat --loglevel=INFO
