# The two commands: `make run` and `make test`. Both install what they need and are idempotent.
SHELL := /bin/bash
PY := .venv/bin/python
GANXUN := .venv/bin/ganxun
PG_URL ?= postgres://postgres@127.0.0.1:5432/ganxun
VENDOR := ganxun/static/vendor
HOST ?= 127.0.0.1:8000

.PHONY: run test test-sqlite test-postgres install assets browser system lint scoping-check demo clean typecheck lock messages

run: install assets system
	$(GANXUN) migrate --noinput
	$(GANXUN) demo --if-empty
	@echo "Starting the task worker and the web server on http://$(HOST)/ …"
	@$(GANXUN) worker --queue-name default >var/worker.log 2>&1 & echo $$! >var/worker.pid
	@trap 'kill $$(cat var/worker.pid) 2>/dev/null' EXIT; $(GANXUN) runserver $(HOST) --noreload

test: install assets browser lint
	$(MAKE) test-sqlite
	@if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || [ -n "$$DATABASE_URL" ]; then \
		$(MAKE) test-postgres; \
	else echo "PostgreSQL not reachable: skipped the PostgreSQL run"; fi

test-sqlite:
	env -u DATABASE_URL .venv/bin/pytest -m "not postgres" -n 2 --dist loadfile

test-postgres:
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} .venv/bin/pytest -m "not browser" -n 2 --dist loadfile

lint: scoping-check
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports  # the app graph stays acyclic (pyproject [tool.importlinter])
	$(MAKE) typecheck

# mypy with django-stubs over services, selectors, policies, the API and core ([tool.mypy])
typecheck: install
	.venv/bin/mypy

scoping-check:  # _base_manager/unscoped() only in core, cross-tree modules, or with "# scope: why"
	.venv/bin/python -m tests.scoping_check

install: .venv/.installed

# requirements.txt is the lock: the exact versions of pyproject's dependencies and its test and
# dev extras. The package itself goes in afterwards without resolving anything again.
.venv/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q "$$(grep -m1 '^pip==' requirements.txt)"
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	mkdir -p var
	touch $@

# Regenerates the lock from pyproject.toml, keeping the versions already pinned unless
# pyproject's ranges exclude them (`make lock UPGRADE=1` moves everything to the newest).
lock: install
	.venv/bin/pip-compile -q --extra test --extra dev --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
		--output-file requirements.txt pyproject.toml

assets: $(VENDOR)/.copied

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENDOR)/.copied: node_modules/.installed
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $@

# Debian's packages: chromium drives the browser tests (never a downloaded browser build);
# ffmpeg probes and converts the online courses' videos (`make run` needs it too).
browser: system
	@command -v chromium >/dev/null || { \
		echo "Installing Debian's chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

system:
	@command -v ffprobe >/dev/null || { \
		echo "Installing Debian's ffmpeg for the online courses' videos…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg; }

demo: install
	$(GANXUN) migrate --noinput
	$(GANXUN) demo

# the English catalogue: refresh from the code, then compile (translate new entries in between)
messages: install
	$(GANXUN) makemessages -l en --no-obsolete
	msgfmt -c -o ganxun/locale/en/LC_MESSAGES/django.mo ganxun/locale/en/LC_MESSAGES/django.po

clean:
	rm -rf var/ganxun.sqlite3* $(VENDOR)
