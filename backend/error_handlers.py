"""Every error the app can meet, answered in the contract's one envelope {code, params}
(`errors.error_response`): its own errors, FastAPI's validation errors, unknown paths and
methods, database failures and anything unexpected. No stack trace ever leaves the server."""

import logging

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from backend import errors
from backend.db_errors import database_failure, sqlstate
from backend.errors import error_response
from backend.spa import ui_file
from backend.validation import to_app_error

log = logging.getLogger(__name__)

HTTP_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.AppError)
    async def app_error(_: Request, error: errors.AppError) -> Response:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, error: RequestValidationError) -> Response:
        return error_response(to_app_error(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            # Unknown /api paths get the envelope; any other GET is a client route of the SPA.
            page = ui_file(request, request.app.state.settings.ui_dist)
            return page if page is not None else error_response(errors.NotFound())
        if error.status_code == 405:
            response = error_response(errors.MethodNotAllowed())
            response.headers["Allow"] = _allowed_methods(request)
            return response
        if error.status_code < 500:  # a body FastAPI could not read (bad UTF-8, too deep)
            return error_response(errors.ValidationFailed(fields=["body"]))
        return error_response(errors.InternalError())

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
        return error_response(answer)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        return error_response(errors.InternalError())


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
