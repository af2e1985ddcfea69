#!/bin/sh
# STAND-IN for the official postgres image's entrypoint, for the test suite's stand-in image:
# POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, a cluster created on the first start in
# $PGDATA, password authentication over the network, then PostgreSQL as the container's
# main process, run as the postgres user.
set -eu

: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"

if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA"
    chown -R postgres:postgres /var/lib/postgresql
    chmod 700 "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb --pgdata="$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
        --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    # The database is created by a server that listens on no network address yet.
    pg_ctl --pgdata="$PGDATA" --wait --options="-c listen_addresses=''" start
    if [ "$POSTGRES_DB" != postgres ]; then
        echo 'CREATE DATABASE :"db";' | psql --no-psqlrc --set=ON_ERROR_STOP=1 \
            --username="$POSTGRES_USER" --dbname=postgres --set=db="$POSTGRES_DB"
    fi
    pg_ctl --pgdata="$PGDATA" --wait --mode=fast stop
fi

exec "$@"
