# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test checks install install-test browser-tools lint format clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamps let a second `make` skip pip when pyproject.toml and the lock have not changed.
$(VENV)/.installed-run: $(BIN)/python pyproject.toml requirements.lock
	@echo "→ Installation des dépendances (versions figées dans requirements.lock)…"
	$(BIN)/pip install --quiet -c requirements.lock -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-run
	@echo "→ Installation des outils de test…"
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	@touch $@

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: install
	@echo "→ Migrations…"
	$(BIN)/python manage.py migrate --noinput
	@echo "→ Données de démonstration…"
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py schedule_tasks
	$(BIN)/python manage.py ensure_demo_admin
	@echo "→ Site sur http://127.0.0.1:$(PORT)/ (Ctrl-C pour arrêter)"
	$(BIN)/python manage.py rundev 127.0.0.1:$(PORT)

# Debian's Chromium and axe-core from npm, for the browser tests.
browser-tools:
	@bash .ci/browser-tools

test: install-test browser-tools checks
	$(BIN)/pytest $(PYTEST_ARGS)

# What needs no database: lint, format, the import contract and the type check (both set in
# pyproject.toml), migrations that match the models.
checks: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

lint:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean-db:
	rm -f db.sqlite3
