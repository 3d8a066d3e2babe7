# Two commands matter: `make run` (set up, migrate, load demo data, serve on :8000)
# and `make test` (set up, run every test on SQLite and again on PostgreSQL).
# Both are idempotent: steps whose inputs have not changed are skipped.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test check setup assets browser office migrate demo serve bench backup clean lock mutate

setup: $(VENV)/.installed assets

# requirements.lock pins every package to the versions the tests last passed with
# (scripts/lock.py, `make lock`); pyproject.toml says what the project needs.
$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $@

lock:
	$(PY) scripts/lock.py

# Front-end libraries come from the npm registry and are served locally (no CDN).
assets: xinfang/static/vendor/.copied

xinfang/static/vendor/.copied: package.json package-lock.json xinfang/web/vendor.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) -m xinfang.web.vendor
	@touch $@

# Browser tests drive Debian's chromium (never a downloaded browser); the CJK font makes
# the screenshots legible.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
	  echo "Installing Debian chromium and fonts-noto-cjk for browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) >/dev/null; fi

# The electronic case file converts Word documents with Debian's LibreOffice (headless,
# no GUI) and the tests render its pages with poppler; the CJK font is embedded in the PDF.
office:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null || [ ! -d /usr/share/fonts/opentype/noto ]; then \
	  echo "Installing libreoffice-writer-nogui, poppler-utils and fonts-noto-cjk for the case file"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui poppler-utils fonts-noto-cjk) >/dev/null; fi

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

serve:
	VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

# The case file of an archived case is built with LibreOffice: installed here as for the tests.
run: office demo serve

test: setup browser office
	bash scripts/test.sh

# The code checks alone (make test runs them too): the layers contracts, security lint
# and known vulnerabilities in the installed dependencies.
check: setup
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(VENV)/bin/bandit -r xinfang -ll -q
	$(PY) scripts/audit_deps.py

# Mutation testing of the rule modules (docs/mutation.md): the score per module and the
# surviving mutants. Slow (minutes to an hour per module on two cores); not in `make test`
# or CI. One module: make mutate MODULES=cases.clock
MODULES ?=
mutate: setup
	$(PY) scripts/mutate.py $(MODULES)

# One archive of the database and the attached files under var/backups (docs/operations.md).
backup: setup
	$(PY) manage.py backup

bench: setup
	$(PY) bench/registration.py --db sqlite
	$(PY) bench/registration.py --db postgres
	$(PY) bench/casefile.py

clean:
	rm -rf $(VENV) node_modules xinfang/static/vendor var/static
