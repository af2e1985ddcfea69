"""Export the whole database as a backup file; import one (merge, replace, dry run)."""

import mmap
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.requests import ClientDisconnect
from typing_extensions import Buffer

from backend import errors
from backend.api.deps import CopiesDep, OwnBodyRoute, SessionDep, TransactionRoute
from backend.api.responses import json_response
from backend.limits import MAX_IMPORT_BYTES
from backend.schemas import ErrorBody, ImportMode, ImportSummary
from backend.services.backup.export import export_chunks, export_filename
from backend.services.backup.shape import BackupFile
from backend.services.import_flow import import_backup

router = APIRouter(tags=["backup"], route_class=TransactionRoute)
# The import reads its own body, within its own limit: the guard's generic limit leaves it be.
import_router = APIRouter(tags=["backup"], route_class=OwnBodyRoute)


async def read_import_body(request: Request) -> Buffer:
    """The raw body, whole, or ERR_IMPORT_TOO_LARGE however it is sent (the import validates
    it itself, to report the rule and path it breaks).

    A declared length over the limit is refused before anything is read; otherwise the body is
    written into an anonymous map of the limit's size, whose pages are taken only as they are
    written: held once, with no list of chunks to join and no copy to grow it, and dropped at
    once if it passes the limit. Kept for a transaction that is run again.
    """
    if hasattr(request.state, "import_body"):
        body: Buffer = request.state.import_body
        return body
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_IMPORT_BYTES:
        raise errors.ImportTooLarge(max_bytes=MAX_IMPORT_BYTES)
    buffer = mmap.mmap(-1, MAX_IMPORT_BYTES)
    size = 0
    try:
        async for chunk in request.stream():
            if size + len(chunk) > MAX_IMPORT_BYTES:
                buffer.close()
                raise errors.ImportTooLarge(max_bytes=MAX_IMPORT_BYTES)
            buffer[size : size + len(chunk)] = chunk
            size += len(chunk)
    except ClientDisconnect:
        buffer.close()
        raise errors.ValidationFailed(fields=["body"]) from None  # no one is left to answer
    request.state.import_body = memoryview(buffer)[:size]
    return request.state.import_body


ImportBody = Annotated[Buffer, Depends(read_import_body)]

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
    chunks = list(export_chunks(session=session, exported_at=exported_at))

    async def pieces() -> AsyncIterator[bytes]:
        # Handed over from the event loop: a plain iterator made the server fetch each of the
        # thousand pieces through a worker thread, a third of the export's time
        # (tests/benchmarks/RESULTS.md, "The export without a thread per piece").
        for chunk in chunks:
            yield chunk

    return StreamingResponse(
        pieces(),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{export_filename(exported_at)}"',
            "Content-Length": str(sum(len(chunk) for chunk in chunks)),
        },
    )


@import_router.post(
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
def import_file(
    body: ImportBody,
    session: SessionDep,
    copies: CopiesDep,
    mode: Annotated[
        ImportMode, Query(description="merge: add to what is there; replace: empty it first")
    ] = ImportMode.MERGE,
    dry_run: Annotated[
        bool, Query(description="check everything, limits included, and change nothing")
    ] = False,
) -> Response:
    summary = import_backup(session=session, body=body, mode=mode, dry_run=dry_run, copies=copies)
    return json_response(summary)


router.include_router(import_router)
