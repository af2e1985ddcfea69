"""The app factory: settings, database, copies, routes, error handlers, guards and the UI."""

import logging
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from backend import __version__
from backend.access import Access, SessionRule, startup_problem, utc_now
from backend.api import api_router
from backend.api.deps import reads_own_body
from backend.api.description import use_reshaped_openapi
from backend.collector import tune_collector
from backend.db import make_engine, make_session_factory
from backend.error_handlers import add_error_handlers
from backend.guards import GuardMiddleware
from backend.network import NetworkControl, NoNetwork, url_hosts
from backend.services.copies import CopyStore
from backend.services.daily_copies import Clock, DailyCopies
from backend.services.snapshot_cache import SnapshotCache
from backend.settings import Settings
from backend.spa import serve_ui


class WithoutOwnHealthChecks(logging.Filter):
    """Leaves out of uvicorn's access log the health checks asked from inside the server's
    own host: the container's HEALTHCHECK asks every few seconds, and a line for each would
    bury the requests that matter. Health checks from elsewhere are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn logs each request as (client "host:port", method, path, version, status).
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3:
            client, path = str(args[0]), str(args[2])
            return not (client.startswith("127.0.0.1:") and path == "/api/v1/health")
        return True


def serve_app() -> FastAPI:
    """The app of a server process: `uvicorn --factory backend.main:serve_app`. It refuses to
    start, in one line and with exit code 2, where it would be open to the network without an
    access key (or with a key too short)."""
    settings = Settings()
    problem = startup_problem(settings)
    if problem is not None:
        print(f"Miniatures Progress Tracker will not start: {problem}.", file=sys.stderr)
        raise SystemExit(2)
    tune_collector()
    logging.getLogger("uvicorn.access").addFilter(WithoutOwnHealthChecks())
    return create_app(settings)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
    daily_copies: bool = True,
    clock: Clock | None = None,
    database_outage: Callable[[], str | None] | None = None,
    network: NetworkControl | None = None,
) -> FastAPI:
    """The app; `daily_copies=False` leaves out the daily copy's thread (tests that share one
    connection between the app and themselves), `clock` replaces the wall clock it runs on.
    `database_outage` tells, while the database is down, why, when whoever runs it knows (the
    desktop's supervisor of its embedded PostgreSQL: e.g. "disk_full"). `network` is the
    network listener of whoever serves the app (the desktop's), if it has one; `clock` also
    tells pairing codes, sessions and failed attempts the time."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        copies: CopyStore = app.state.copies
        copies.remove_partials()
        schedule = DailyCopies(copies, app.state.session_factory, clock) if daily_copies else None
        if schedule is not None:
            schedule.start()
        try:
            yield
        finally:
            if schedule is not None:
                schedule.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="Miniatures Progress Tracker",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        # /api/v1/types/ is not a path of the API: an error, not a redirect to another URL.
        redirect_slashes=False,
    )
    app.state.settings = settings
    if session_factory is None:
        engine = engine or make_engine(settings.sqlalchemy_url)
        session_factory = make_session_factory(engine)
    app.state.engine = engine
    app.state.session_factory = session_factory
    app.state.database_outage = database_outage or _no_outage_reason
    app.state.answers = SnapshotCache()
    app.state.copies = CopyStore(settings.backups_dir)
    control: NetworkControl = network or NoNetwork()
    now = clock.now if clock is not None else utc_now
    access = Access(Access.key_of(settings), now=now, network=control)
    app.state.access = access

    app.include_router(api_router)
    add_error_handlers(app)
    serve_ui(app, settings.ui_dist)
    app.add_middleware(
        GuardMiddleware,
        allowed_hosts=settings.allowed_hosts,
        reads_own_body=reads_own_body(app),
        session_rule=SessionRule(access, session_factory, app.state.database_outage),
        network_hosts=lambda: url_hosts(control.state().urls),
    )
    use_reshaped_openapi(app)
    return app


def _no_outage_reason() -> str | None:
    return None
