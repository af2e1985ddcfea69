"""Error responses for the OpenAPI description: every status a route can answer."""

from typing import Any

from fastapi import Response
from pydantic_core import to_json

from backend.schemas import ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


# Answers any route can give: the guards, a database that is down, anything unexpected.
COMMON_ERRORS = error_responses(400, 403, 413, 415, 500, 503)


def json_response(content: Any, status_code: int = 200) -> Response:
    """JSON written by pydantic's core, for answers the services have already shaped.

    FastAPI would validate the answer against the response model again and encode it with the
    standard library: for a thousand types that is most of the request's time. The declared
    `response_model` still describes the answer in the OpenAPI, and the tests check both agree.
    """
    return Response(to_json(content), status_code=status_code, media_type="application/json")
