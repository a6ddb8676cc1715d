# Every target bootstraps .venv on a fresh machine, so `make run` and `make test` are all you need.
.DEFAULT_GOAL := test
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
SYSTEM_PACKAGES := chromium poppler-utils libharfbuzz-subset0

# `make test` runs `make image-test` when this machine can (root and apt-get): IMAGE_TEST=skip leaves it out.
IMAGE_TEST ?= auto
# The Kubernetes version the manifests in deploy/kubernetes are validated for (README "Deploy").
KUBERNETES_VERSION := 1.35.0
SCAN_VENV := .venv-scan
SCAN_STAMP := $(SCAN_VENV)/.installed-wapiti3-3.2.3

.PHONY: run check test i18n bench soak fuzz system-deps clean image-test image-test-if-possible k8s-validate scan

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
	$(MAKE) --no-print-directory k8s-validate

test: check system-deps
	$(PY) -m pytest
	$(MAKE) --no-print-directory image-test-if-possible

# The manifests against the schemas kubernetes-validate ships (offline), rejecting unknown fields.
k8s-validate: $(STAMP)
	$(VENV)/bin/kubernetes-validate --strict --kubernetes-version $(KUBERNETES_VERSION) deploy/kubernetes/*.yaml

# Build the image on a Debian base made here, serve a PDF from it read-only as non-root, remove what it made (≈3-5 min).
image-test: $(STAMP)
	timeout 1200 deploy/image-test.sh

image-test-if-possible:
	@if [ "$(IMAGE_TEST)" = skip ]; then echo "image-test skipped: IMAGE_TEST=skip"; \
	elif [ "$$(id -u)" != 0 ]; then echo "image-test skipped: buildah, podman and mmdebstrap need root here (uid $$(id -u))"; \
	elif ! command -v apt-get >/dev/null; then echo "image-test skipped: no apt-get to install buildah, podman and mmdebstrap"; \
	else $(MAKE) --no-print-directory image-test; fi

# wapiti3 against a local `taperprep serve` on 127.0.0.1; fails on any vulnerability or anomaly (its own venv: its
# pins clash with the app's).
$(SCAN_STAMP):
	test -x $(SCAN_VENV)/bin/python || python3 -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet wapiti3==3.2.3
	touch $@

scan: $(STAMP) $(SCAN_STAMP)
	$(PY) deploy/scan.py --wapiti $(SCAN_VENV)/bin/wapiti

# The gettext catalogs (app/library/locale/<lang>/LC_MESSAGES/<domain>.po), one per audience: extract each domain's
# words from its sources and merge them into every language's catalog (new messages empty, changed ones fuzzy), then
# translate the empty and fuzzy entries. The app reads the .po files directly (app/library/translations.py).
I18N_LANGUAGES := es
I18N_DOMAINS := web documents content
I18N_web := app/web app/main.py templates/web
I18N_documents := app/packet app/render templates/partials templates/document.html.j2 templates/part.html.j2
I18N_content := app/library resource_packs
i18n: $(STAMP)
	@for domain in $(I18N_DOMAINS); do \
	  pot=$$(mktemp --suffix=.pot); \
	  case $$domain in web) src="$(I18N_web)";; documents) src="$(I18N_documents)";; content) src="$(I18N_content)";; esac; \
	  $(VENV)/bin/pybabel -q extract -F babel.cfg --project=taperprep --copyright-holder='the taperprep contributors' --msgid-bugs-address='' --add-location=file --sort-by-file --no-wrap -o $$pot $$src || exit 1; \
	  for lang in $(I18N_LANGUAGES); do \
	    po=app/library/locale/$$lang/LC_MESSAGES/$$domain.po; \
	    if [ -f $$po ]; then $(VENV)/bin/pybabel -q update --ignore-obsolete --no-wrap -i $$pot -o $$po -l $$lang; \
	    else $(VENV)/bin/pybabel -q init --no-wrap -i $$pot -o $$po -l $$lang; fi || exit 1; \
	  done; rm -f $$pot; \
	done

# Render-speed figures (README "Performance"); e.g. make bench BENCH_ARGS="--renders 300 --duration 30"
bench: $(STAMP)
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

# A bounded loopback soak (20 clients, 5 minutes by default; fails on any server error or RSS > 1.25× after warm-up): SOAK_CLIENTS=5 SOAK_SECONDS=30 make soak for a short one.
soak: $(STAMP)
	$(PY) benchmarks/soak.py --clients $(or $(SOAK_CLIENTS),20) --seconds $(or $(SOAK_SECONDS),300)

# The fuzz and plan property tests with many more examples than `make test` runs (FUZZ_EXAMPLES, PLAN_EXAMPLES).
fuzz: $(STAMP)
	TAPERPREP_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),400) TAPERPREP_PLAN_EXAMPLES=$(or $(PLAN_EXAMPLES),5000) \
	  $(PY) -m pytest tests/test_fuzz.py tests/packet/test_plan_properties.py -p no:cacheprovider

clean:
	rm -rf $(VENV) $(SCAN_VENV) .pytest_cache .hypothesis
