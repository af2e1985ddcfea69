"""How routes answer: every JSON answer through `json_response`, and the error responses each
route declares for the OpenAPI description (errors themselves: `backend.errors`)."""

from typing import Any

from fastapi import Response

from backend.json_bytes import json_bytes
from backend.schemas import ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


# Answers any route can give: the guards, a database that is down, anything unexpected.
COMMON_ERRORS = error_responses(400, 403, 413, 415, 500, 503)


def json_response(content: Any, status_code: int = 200) -> Response:
    """Every JSON answer: written by `json_bytes`, or bytes it wrote earlier (the cached list).

    FastAPI would validate the answer against the response model again and encode it with the
    standard library: for a thousand types that is most of the request's time. The declared
    `response_model` still describes the answer in the OpenAPI, and the tests check both agree.
    """
    body = content if isinstance(content, bytes) else json_bytes(content)
    return Response(body, status_code=status_code, media_type="application/json")
