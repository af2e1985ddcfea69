"""Request-scoped dependencies: one session and one transaction per request."""

import logging
from collections.abc import Callable, Coroutine, Iterator
from contextlib import AsyncExitStack
from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response
from fastapi.routing import APIRoute
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session

from backend.db import ATTEMPTS, is_retryable
from backend.services.copies import BackupStore
from backend.services.snapshot_cache import SnapshotCache
from backend.settings import Settings

log = logging.getLogger("miniatures")

# PostgreSQL `integer` ids: anything outside this range is simply an unknown type.
MAX_ID = 2**31 - 1


def get_session(request: Request) -> Iterator[Session]:
    """The request's transaction: committed when the route returns, rolled back if it raises.

    Scoped to the route function, so the commit happens before the response is sent.
    """
    with request.app.state.session_factory() as session, session.begin():
        yield session


class TransactionRoute(APIRoute):
    """A route whose transaction runs again when it lost a race with another one (a deadlock
    or a serialization failure), up to ATTEMPTS times in all; the body is read only once.

    Each attempt gets its own function-scoped dependencies (FastAPI keeps them on the
    scope's `fastapi_function_astack`), so its session commits, or rolls back, before the
    next attempt begins.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_retries(request: Request) -> Response:
            attempt = 1
            while True:
                try:
                    async with AsyncExitStack() as function_scope:
                        request.scope["fastapi_function_astack"] = function_scope
                        return await handler(request)
                except Exception as error:
                    if attempt == ATTEMPTS or not is_retryable(error):
                        raise
                    log.info("transaction retried after a conflict (attempt %d)", attempt)
                    attempt += 1

        return with_retries


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_type_list_cache(request: Request) -> SnapshotCache:
    cache: SnapshotCache = request.app.state.type_list_cache
    return cache


def get_backups(request: Request) -> BackupStore:
    store: BackupStore = request.app.state.backups
    return store


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
TypeListCache = Annotated[SnapshotCache, Depends(get_type_list_cache)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
BackupsDep = Annotated[BackupStore, Depends(get_backups)]


def _plain_number(value: object) -> object:
    """Only the id as it is written in answers: "01", "+1", " 1" and "1.0" name no type."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit() and value[0] != "0"):
        raise PydanticCustomError("type_id", "a type id")
    return value


TypeId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="The type's id"), BeforeValidator(_plain_number)
]
