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

.PHONY: run test lint format bench worker beat messages system-deps axe audit

$(STAMP): requirements.txt requirements-dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# System packages: Debian's chromium for the Playwright tests (Playwright cannot
# download browsers here), and the libraries and fonts WeasyPrint needs for the PDF
# reports, plus poppler-utils to read PDFs in tests. Installed with apt-get when
# missing and run as root; otherwise the tests that need them skip and say why.
SYSTEM_PACKAGES := chromium fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 \
	libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2 poppler-utils

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing system packages: $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "Missing system packages (cannot install them): $$missing"; fi

# axe-core, the accessibility rules the browser tests run on key pages
# (tests/e2e/test_accessibility.py), from the npm registry; without npm they skip.
AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js

axe:
	@if [ -f $(AXE) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION); \
	else echo "npm is missing: the accessibility tests will skip"; fi

# Known vulnerabilities of the pinned packages (pip-audit, PyPI's advisory data). One
# found fails the run; no access to the advisory data is reported, not fatal.
audit: $(STAMP)
	@mkdir -p .cache
	@$(VENV)/bin/pip-audit -r requirements.txt --progress-spinner off > .cache/pip-audit.txt 2>&1; \
	code=$$?; skipped=$$(grep -c "could not be audited" .cache/pip-audit.txt); \
	if grep -q "known vulnerabilit.* in [0-9]" .cache/pip-audit.txt; then cat .cache/pip-audit.txt; exit 1; \
	elif [ $$code -ne 0 ]; then echo "pip-audit could not run (network?):"; tail -3 .cache/pip-audit.txt; \
	elif [ $$skipped -gt 0 ]; then echo "pip-audit: no known vulnerability; $$skipped packages could not be checked (no access to the advisory data)"; \
	else echo "pip-audit: no known vulnerability in requirements.txt"; fi

# system-deps: WeasyPrint's libraries, without which the report's PDF is not made.
run: $(STAMP) system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) system-deps axe audit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# One-way imports between briefing/'s subpackages and the apps (pyproject.toml).
	$(VENV)/bin/lint-imports
	# In parallel (pytest-xdist): a database and a Redis database per worker (tests/conftest.py).
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=1 \
	  $(VENV)/bin/pytest -n auto --maxprocesses=4
	# The figures again on SQLite, the database of `make run`: the two do arithmetic
	# differently (integer division, collation).
	env -u DATABASE_URL -u REDIS_URL DEBUG=1 $(VENV)/bin/pytest -m arithmetic -p no:cacheprovider

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
