"""Request-scoped dependencies: one session and one transaction per request."""

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Path, Query, Request, Response
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match
from starlette.types import Scope

from backend import errors
from backend.db_errors import ATTEMPTS, is_retryable
from backend.limits import MAX_GROUP_ID, MAX_TYPE_ID
from backend.services.copies import CopyStore
from backend.services.snapshot_cache import SnapshotCache
from backend.services.types import GroupFilter
from backend.settings import Settings

log = logging.getLogger(__name__)


def get_session(request: Request) -> Session:
    """The request's session, inside the transaction its TransactionRoute began."""
    session = getattr(request.state, "session", None)
    if not isinstance(session, Session):
        raise RuntimeError("a route that reaches the database must use TransactionRoute")
    return session


class TransactionRoute(APIRoute):
    """A route that runs in one transaction, and runs again when it lost a race with another
    one (a deadlock or a serialization failure), up to ATTEMPTS times in all.

    The route owns the transaction, not a dependency: each attempt has its own session, begun
    before the handler and committed (or rolled back) when it returns, before the response is
    sent. The body is read once (the request keeps it).
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_retries(request: Request) -> Response:
            sessions: sessionmaker[Session] = request.app.state.session_factory
            attempt = 1
            while True:
                session = sessions()
                request.state.session = session
                try:
                    response = await handler(request)
                    await run_in_threadpool(_end, session, commit=True)
                    return response
                except Exception as error:
                    await run_in_threadpool(_end, session, commit=False)  # before any retry
                    if attempt == ATTEMPTS or not is_retryable(error):
                        raise
                    log.info("transaction retried after a conflict (attempt %d)", attempt)
                    attempt += 1

        return with_retries


class OwnBodyRoute(TransactionRoute):
    """A route that reads its body itself, within a limit of its own (the import's): the
    guard's generic body limit leaves its body alone (`reads_own_body`)."""

    reads_own_body = True


def reads_own_body(app: FastAPI) -> Callable[[Scope], bool]:
    """Whether a request goes to one of the app's OwnBodyRoutes (for the guards)."""
    own = [
        route
        for route in iter_route_contexts(app.routes)
        if isinstance(route.original_route, OwnBodyRoute)
    ]
    return lambda scope: any(route.matches(scope)[0] is Match.FULL for route in own)


def _end(session: Session, *, commit: bool) -> None:
    """Commits the session's transaction, or not; closing it rolls back what is left and gives
    its connection back (a broken one too, without raising over the error being answered)."""
    with session:
        if commit:
            session.commit()


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_answers(request: Request) -> SnapshotCache:
    answers: SnapshotCache = request.app.state.answers
    return answers


def get_copies(request: Request) -> CopyStore:
    copies: CopyStore = request.app.state.copies
    return copies


SessionDep = Annotated[Session, Depends(get_session)]
AnswersDep = Annotated[SnapshotCache, Depends(get_answers)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CopiesDep = Annotated[CopyStore, Depends(get_copies)]


def _is_plain_number(text: str) -> bool:
    """Only an id as it is written in answers: "01", "+1", " 1" and "1.0" are none."""
    return text.isascii() and text.isdigit() and text[0] != "0"


def _plain_number(value: object) -> object:
    if isinstance(value, str) and not _is_plain_number(value):
        raise PydanticCustomError("plain_id", "an id")
    return value


TypeId = Annotated[
    int, Path(ge=1, le=MAX_TYPE_ID, description="The type's id"), BeforeValidator(_plain_number)
]
GroupId = Annotated[
    int, Path(ge=1, le=MAX_GROUP_ID, description="The group's id"), BeforeValidator(_plain_number)
]

# `?group=`: a group's id, or "none" for the types in no group.
NO_GROUP: Literal["none"] = "none"


def group_filter(
    group: Annotated[
        str | None,
        Query(
            description='A group\'s id: only its types; "none": only the types in no group',
            examples=["3", NO_GROUP],
        ),
    ] = None,
) -> GroupFilter:
    """The `group` query parameter: None when absent (or empty), else an id or "none"; any
    other text names no group (ERR_GROUP_NOT_FOUND), as a malformed path id names no type."""
    if not group:
        return None
    if group == NO_GROUP:
        return NO_GROUP
    if not _is_plain_number(group) or int(group) > MAX_GROUP_ID:
        raise errors.GroupNotFound()
    return int(group)


GroupFilterDep = Annotated[GroupFilter, Depends(group_filter)]
