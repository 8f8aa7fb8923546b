# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The demo (accounts with a published password) goes only into the default SQLite database, and
# only while it holds nothing of its own: `excom demo --if-fresh` leaves any other data alone.
run: install
	$(BIN)/excom init-db
	@if [ -z "$$EXCOM_DATABASE_URL" ]; then $(BIN)/excom demo --if-fresh; \
	else echo "EXCOM_DATABASE_URL is set: no demo loaded (open /first-run with the key above, or see README)"; fi
	$(BIN)/excom serve

# Three pytest-xdist workers on a two-core machine: many tests wait on a server process, a
# browser or PostgreSQL, and a third worker fills those waits (7 min 15 s against 8 min 20 s
# with two, docs/performance.md). Tests sharing an expensive server stay on one worker
# (tests/conftest.py). `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= 3

# Python caches compiled modules (and pytest its rewritten test modules) in __pycache__; a machine
# that sets PYTHONDONTWRITEBYTECODE makes every worker, server and command of the run compile
# them all again (each xdist worker's collection: 12.5 s of CPU without the cache, 7 s with it).
test: install
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

bench: install
	$(BIN)/excom bench live-vote --voters 200

clean:
	rm -rf $(VENV) build dist *.egg-info
