#!/bin/sh
# Container start: wait for PostgreSQL, apply the migrations, then serve the app.
set -eu

: "${DATABASE_URL:?DATABASE_URL is not set (copy .env.example to .env)}"
PORT="${PORT:-8000}"
# How long to wait for the database before giving up (seconds).
DB_WAIT_SECONDS="${DB_WAIT_SECONDS:-60}"
export DB_WAIT_SECONDS

# The database may still be starting (or restarting): retry until the deadline, then fail
# with one clear line. The password never reaches the log.
python - <<'PY'
import os
import re
import sys
import time

import psycopg
from psycopg.conninfo import conninfo_to_dict

try:
    bound = float(os.environ["DB_WAIT_SECONDS"])
except ValueError:
    sys.exit("entrypoint: DB_WAIT_SECONDS must be a number of seconds")
# libpq does not know SQLAlchemy's "+driver" suffix.
url = re.sub(r"^postgres(?:ql)?(?:\+\w+)?://", "postgresql://", os.environ["DATABASE_URL"])
try:
    params = conninfo_to_dict(url)
except psycopg.ProgrammingError:
    sys.exit("entrypoint: DATABASE_URL is not a PostgreSQL URL (postgresql://user:password@host/db)")
where = f"{params.get('host', 'localhost')}:{params.get('port', 5432)}/{params.get('dbname', '')}"
password = str(params.get("password") or "")
print(f"entrypoint: waiting up to {bound:g}s for PostgreSQL at {where}", flush=True)
deadline = time.monotonic() + bound
while True:
    # libpq treats a connect_timeout below 2 as 2 seconds.
    timeout = max(2, min(5, int(deadline - time.monotonic())))
    try:
        with psycopg.connect(url, connect_timeout=timeout):
            break
    except psycopg.Error as error:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
            if password:
                reason = reason.replace(password, "***")
            sys.exit(
                f"entrypoint: PostgreSQL at {where} not reachable after {bound:g}s: {reason}\n"
                "entrypoint: check DATABASE_URL and that the database is running"
            )
        time.sleep(min(1.0, remaining))
print("entrypoint: PostgreSQL is up", flush=True)
PY

echo "entrypoint: applying database migrations"
alembic upgrade head

echo "entrypoint: serving on port ${PORT}"
# All interfaces inside the container, so Docker can forward to it; docker-compose.yml
# publishes the port on the host's 127.0.0.1 only. exec: uvicorn becomes PID 1 and gets
# SIGTERM from `docker compose stop` directly, for a clean shutdown.
exec uvicorn --factory backend.main:serve_app --host 0.0.0.0 --port "$PORT"
