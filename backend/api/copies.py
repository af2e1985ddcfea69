"""The app's own copies: list them, take one now, restore one (as a replace import)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from backend.api.deps import CopiesDep, SessionDep, TransactionRoute
from backend.api.responses import error_responses, json_response
from backend.schemas import BackupEntry, BackupList, CopyKind, ErrorBody, ImportMode, ImportSummary
from backend.services.import_flow import import_backup

router = APIRouter(prefix="/backups", tags=["backups"], route_class=TransactionRoute)


@router.get("", response_model=BackupList)
def list_copies(copies: CopiesDep) -> Response:
    return json_response(BackupList(backups=copies.listed()))


@router.post("", status_code=201, response_model=BackupEntry)
def take_copy(session: SessionDep, copies: CopiesDep) -> Response:
    return json_response(copies.write(session=session, kind=CopyKind.MANUAL), status_code=201)


# `:path` so that a name with slashes, encoded or not, still reaches the route and gets the
# contract's answer; the name is only compared with the listing's, never used as a path.
@router.post(
    "/{name:path}/restore",
    response_model=ImportSummary,
    responses={
        **error_responses(404),
        400: {
            "model": ErrorBody,
            "description": "ERR_IMPORT_INVALID or ERR_IMPORT_LIMIT if the copy no longer "
            "reads as a backup (edited by hand); nothing was changed.",
        },
    },
)
def restore_copy(
    name: Annotated[str, Path(description="A name that GET /backups lists")],
    session: SessionDep,
    copies: CopiesDep,
    dry_run: Annotated[
        bool, Query(description="check everything and answer the summary, changing nothing")
    ] = False,
) -> Response:
    summary = import_backup(
        session=session,
        body=copies.read(name),
        mode=ImportMode.REPLACE,
        dry_run=dry_run,
        copies=copies,
    )
    return json_response(summary)
