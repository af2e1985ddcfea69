"""The app factory: routes, the error envelope for every error, guards, and the SPA."""

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from backend import __version__, errors
from backend.api import api_router
from backend.db import database_failure, make_engine, make_session_factory, sqlstate
from backend.guards import GuardMiddleware
from backend.services.copies import BackupStore
from backend.services.daily_copies import Clock, DailyCopies
from backend.services.snapshot_cache import SnapshotCache
from backend.settings import Settings
from backend.validation import to_app_error

log = logging.getLogger("miniatures")

HTTP_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")

# A long answer (a 10,000-event history, a thousand types) allocates tens of thousands of
# short-lived objects; at the default threshold (700) the collector runs dozens of times per
# request and its older-generation passes made p95 several times p50.
GC_THRESHOLD = (10_000, 10, 10)


def tune_collector() -> None:
    """For a process that serves the app: the collector runs less often (GC_THRESHOLD).

    Called by the entry points, not by `create_app`: the setting is the whole process's.
    """
    gc.set_threshold(*GC_THRESHOLD)


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
    """The app of a server process: `uvicorn --factory backend.main:serve_app`."""
    tune_collector()
    logging.getLogger("uvicorn.access").addFilter(WithoutOwnHealthChecks())
    return create_app()


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    session_factory: sessionmaker[Session] | None = None,
    daily_copies: bool = True,
    clock: Clock | None = None,
    database_outage: Callable[[], str | None] | None = None,
) -> FastAPI:
    """The app; `daily_copies=False` leaves out the daily copy's thread (tests that share one
    connection between the app and themselves), `clock` replaces the wall clock it runs on.
    `database_outage` tells, while the database is down, why, when whoever runs it knows (the
    desktop's supervisor of its embedded PostgreSQL: e.g. "disk_full")."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store: BackupStore = app.state.backups
        store.remove_partials()
        schedule = DailyCopies(store, app.state.session_factory, clock) if daily_copies else None
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
    app.state.type_list_cache = SnapshotCache()
    app.state.backups = BackupStore(settings.backups_dir)

    app.include_router(api_router)
    _add_error_handlers(app)
    _serve_ui(app, settings.ui_dist)
    app.add_middleware(GuardMiddleware, allowed_hosts=settings.allowed_hosts)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _envelope(error: errors.AppError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.AppError)
    async def app_error(_: Request, error: errors.AppError) -> Response:
        return _envelope(error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> Response:
        return _envelope(to_app_error(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return _not_found(request)
        if error.status_code == 405:
            response = _envelope(errors.MethodNotAllowed())
            response.headers["Allow"] = _allowed_methods(request)
            return response
        if error.status_code < 500:  # a body FastAPI could not read (bad UTF-8, too deep)
            return _envelope(errors.ValidationFailed(fields=["body"]))
        return _envelope(errors.InternalError())

    @app.exception_handler(sa_exc.DBAPIError)
    @app.exception_handler(sa_exc.TimeoutError)
    @app.exception_handler(psycopg.Error)  # the driver's own statements (COPY)
    async def database_failed(request: Request, error: Exception) -> Response:
        answer = database_failure(error, request.app.state.database_outage())
        # The class and SQLSTATE only: a message can quote the user's data.
        log.log(
            logging.WARNING if answer.status == 503 else logging.ERROR,
            "database error on %s %s: %s (SQLSTATE %s)",
            request.method,
            request.url.path,
            type(getattr(error, "orig", error)).__name__,
            sqlstate(error),
        )
        return _envelope(answer)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        return _envelope(errors.InternalError())


def _no_outage_reason() -> str | None:
    return None


def _allowed_methods(request: Request) -> str:
    """Every method the path answers (each method of a path is a route of its own)."""
    routes = request.app.router.routes
    allowed = [
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


def _not_found(request: Request) -> Response:
    """Unknown /api paths get the envelope; any other GET is a client route of the SPA."""
    ui_dist: Path = request.app.state.settings.ui_dist
    path = request.url.path
    if path.startswith("/api") or request.method not in ("GET", "HEAD"):
        return _envelope(errors.NotFound())
    index = ui_dist / "index.html"
    if not index.is_file():
        return _envelope(errors.NotFound())
    candidate = (ui_dist / path.lstrip("/")).resolve()
    if candidate.is_file() and candidate.is_relative_to(ui_dist.resolve()):
        return FileResponse(candidate)
    return FileResponse(index, headers={"Cache-Control": "no-cache"})


def _serve_ui(app: FastAPI, ui_dist: Path) -> None:
    assets = ui_dist / "assets"
    if assets.is_dir():
        # Vite names assets by their content hash, so they never change under a name.
        app.mount("/assets", StaticFiles(directory=assets), name="assets")


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The API description, without FastAPI's 422 shape: every error here is a 400 envelope."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            operation.get("responses", {}).pop("422", None)
    components = schema.get("components", {}).get("schemas", {})
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    app.openapi_schema = schema
    return schema
