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
COPY pyproject.toml setup.py MANIFEST.in README.md LICENSE alembic.ini ./
COPY backend/ backend/
COPY desktop/ desktop/
COPY migrations/ migrations/
# The wheel carries the built UI and the migrations (setup.py): the UI comes built.
COPY --from=ui /ui/dist ui/dist
RUN /opt/venv/bin/pip install --no-cache-dir .

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
# it, so a fresh named volume mounted there inherits that owner.
RUN groupadd --system --gid 10001 miniatures \
    && useradd --system --uid 10001 --gid miniatures --no-create-home \
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
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/api/v1/health' % os.environ.get('PORT', '8000'), timeout=4)"]
ENTRYPOINT ["/app/entrypoint.sh"]
