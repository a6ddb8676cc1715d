# taperprep: the web app on port 8000, as a non-root user, on Debian (WeasyPrint's safest base: no musl, pinned Pango).
FROM python:3.11.11-slim-bookworm

# WeasyPrint 70 needs Pango ≥ 1.44 (with its FreeType backend) and HarfBuzz's subsetter; fontconfig comes with Pango.
# No system fonts: the packet uses only the fonts bundled in templates/assets/fonts (tests prove it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0=1.50.12+ds-1 libpangoft2-1.0-0=1.50.12+ds-1 libharfbuzz-subset0=6.0.0+dfsg-3 \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/srv/taperprep \
    WORKERS=2

WORKDIR /srv/taperprep
COPY . .
# `pip install .` brings the pinned dependencies and the `taperprep` command. PYTHONPATH makes `app` load from this
# folder, next to templates/ and resource_packs/, which the package finds relative to its own source.
RUN pip install . \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin taperprep

# Renders need a writable /tmp (WeasyPrint copies @font-face fonts there); nothing of a story is written anywhere.
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["sh", "-c", "exec taperprep serve --host 0.0.0.0 --port 8000 --workers \"$WORKERS\""]
