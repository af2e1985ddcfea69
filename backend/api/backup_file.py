"""Export the whole database as a backup file; import one (merge, replace, dry run)."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from typing_extensions import Buffer

from backend.api.deps import BackupsDep, SessionDep, TransactionRoute
from backend.guards import MAX_IMPORT_BYTES
from backend.schemas import ErrorBody
from backend.services import backup
from backend.services.backup import ImportMode, ImportSummary
from backend.services.backup_format import BackupFile

router = APIRouter(tags=["backup"], route_class=TransactionRoute)


async def read_body(request: Request) -> Buffer:
    """The raw body: the import validates it itself, to report the rule and path it breaks.

    The size guard has read it whole, within the limit, into one buffer that comes as one
    message (so it is held once). Kept for a transaction that is run again.
    """
    if not hasattr(request.state, "body"):
        request.state.body = await anext(request.stream())
    body: Buffer = request.state.body
    return body


RawBody = Annotated[Buffer, Depends(read_body)]

_BACKUP_SCHEMA = {"$ref": "#/components/schemas/BackupFile"}
_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": f"A backup file, at most {MAX_IMPORT_BYTES} bytes.",
        "content": {"application/json": {"schema": _BACKUP_SCHEMA}},
    }
}


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "model": BackupFile,
            "description": "The whole database as a backup file (a download).",
            "headers": {
                "Content-Disposition": {
                    "description": 'attachment; filename="miniatures-YYYY-MM-DD.json" (UTC date)',
                    "schema": {"type": "string"},
                }
            },
        }
    },
)
def export_backup(session: SessionDep) -> StreamingResponse:
    exported_at = datetime.now(UTC).replace(microsecond=0)
    # Built inside the request's transaction, so a database error is a clean error answer
    # rather than a truncated download; one copy of the document, in per-type pieces.
    chunks = list(backup.export_chunks(session=session, exported_at=exported_at))
    filename = backup.export_filename(exported_at)
    return StreamingResponse(
        iter(chunks),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Content-Length": str(sum(len(chunk) for chunk in chunks)),
        },
    )


@router.post(
    "/import",
    response_model=ImportSummary,
    openapi_extra=_IMPORT_BODY,
    responses={
        400: {
            "model": ErrorBody,
            "description": "ERR_IMPORT_INVALID {path, rule}, ERR_IMPORT_LIMIT {path, max}, "
            "or ERR_VALIDATION for a wrong mode or dry_run. Nothing was changed.",
        },
        413: {
            "model": ErrorBody,
            "description": "ERR_IMPORT_TOO_LARGE {max_bytes}: the body is over 20 MiB.",
        },
    },
)
def import_backup(
    body: RawBody,
    session: SessionDep,
    copies: BackupsDep,
    mode: Annotated[
        ImportMode, Query(description="merge: add to what is there; replace: empty it first")
    ] = ImportMode.MERGE,
    dry_run: Annotated[
        bool, Query(description="check everything, limits included, and change nothing")
    ] = False,
) -> ImportSummary:
    return backup.import_backup(
        session=session,
        body=body,
        mode=mode,
        dry_run=dry_run,
        copies=copies,
    )
