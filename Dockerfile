# taperprep: the web app as a non-root user on Debian bookworm (WeasyPrint's safest base: no musl, pinned Pango).
#
# BASE is either python:3.11-slim-bookworm (Python in /usr/local/bin) or a bookworm made locally with mmdebstrap
# (Debian's python3 in /usr/bin, plus python3-venv and ca-certificates; `make image-test` makes one). Both get the same
# virtual environment in /opt/taperprep, so every path after `python3 -m venv` is the same on either base.
# It runs with a read-only root filesystem: only /tmp (TMPDIR) must be writable, for the fonts WeasyPrint copies there.
ARG BASE=python:3.11-slim-bookworm

# Stage 1: the project and its pinned dependencies as wheels, from PyPI only (pip's default index, no other).
# Where outgoing TLS is re-signed, pass the host's CA bundle as the build secret `pip-cert`; it is mounted for this step
# only and never lands in a layer.
FROM ${BASE} AS wheels
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app app
RUN --mount=type=secret,id=pip-cert --mount=type=cache,target=/root/.cache/pip \
    if [ -f /run/secrets/pip-cert ]; then export PIP_CERT=/run/secrets/pip-cert; fi \
    && python3 -m venv /opt/build \
    && /opt/build/bin/pip wheel --quiet --disable-pip-version-check --wheel-dir /wheels .

# Stage 2: the running image, installed from those wheels with no network for pip.
FROM ${BASE}

# WeasyPrint 70 needs Pango ≥ 1.44 (with its FreeType backend) and HarfBuzz's subsetter; fontconfig comes with Pango.
# No system fonts: the packet uses only the fonts bundled in templates/assets/fonts (tests prove it).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
       libpango-1.0-0=1.50.12+ds-1 libpangoft2-1.0-0=1.50.12+ds-1 libharfbuzz-subset0=6.0.0+dfsg-3 \
    && rm -rf /var/lib/apt/lists/*

ENV PATH=/opt/taperprep/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/srv/taperprep \
    TMPDIR=/tmp \
    HOST=0.0.0.0 \
    PORT=8000 \
    WORKERS=2 \
    MAX_REQUESTS=1000

COPY --from=wheels /wheels /opt/wheels
# `taperprep` (the command) and the dependencies go into the venv; PYTHONPATH makes `app` load from /srv/taperprep,
# next to templates/ and resource_packs/, which the package finds relative to its own source. Byte code is compiled
# now, since nothing may be written at run time.
RUN python3 -m venv /opt/taperprep \
    && /opt/taperprep/bin/pip install --quiet --no-index --find-links /opt/wheels --disable-pip-version-check taperprep \
    && rm -rf /opt/wheels \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin taperprep

WORKDIR /srv/taperprep
COPY app app
COPY templates templates
COPY resource_packs resource_packs
RUN python3 -m compileall -q app

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/opt/taperprep/bin/python", "-c", "import os, sys, urllib.request; sys.exit(urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['PORT']}/healthz\", timeout=4).status != 200)"]
CMD ["sh", "-c", "exec taperprep serve --host \"$HOST\" --port \"$PORT\" --workers \"$WORKERS\" --max-requests \"$MAX_REQUESTS\""]
