# Every target bootstraps .venv on a fresh machine, so `make run` and `make test` are all you need.
.DEFAULT_GOAL := test
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
SYSTEM_PACKAGES := chromium poppler-utils libharfbuzz-subset0

.PHONY: run check test bench soak fuzz system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

# Browser and PDF tools come from Debian's packages; nothing is downloaded from anywhere else.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: $(STAMP)
	$(VENV)/bin/taperprep serve --host 127.0.0.1 --port 8000

# The gates CI runs before the tests: lint, format, types and the import arrows of the design (pyproject.toml).
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV)/bin/taperprep packs check

test: check system-deps
	$(PY) -m pytest

# Render-speed figures (README "Performance"); e.g. make bench BENCH_ARGS="--renders 300 --duration 30"
bench: $(STAMP)
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

# A bounded loopback soak (20 clients, 3 minutes by default): SOAK_CLIENTS=5 SOAK_SECONDS=30 make soak for a short one.
soak: $(STAMP)
	$(PY) benchmarks/soak.py --clients $(or $(SOAK_CLIENTS),20) --seconds $(or $(SOAK_SECONDS),180)

# The fuzz tests with many more examples than `make test` runs (FUZZ_EXAMPLES per operation / story strategy).
fuzz: $(STAMP)
	TAPERPREP_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),400) $(PY) -m pytest tests/test_fuzz.py -p no:cacheprovider

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
