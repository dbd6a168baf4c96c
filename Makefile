# The two commands a newcomer needs: `make run` and `make test`.
# Everything else (virtualenv, pinned requirements, database, admin account,
# base world) is set up on the way, and reused on the next run.

PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements-installed

.PHONY: run stop test bench setup clean-runtime

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(PY) -m game.launcher run

stop: $(STAMP)
	$(PY) -m game.launcher stop

test: $(STAMP)
	$(PY) -m game.launcher test-deps
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m world.bench
	$(PY) -m tests.bench.apply
	$(PY) -m tests.bench.walk
	$(PY) -m game.bench_observe
	$(PY) -m game.netbench
