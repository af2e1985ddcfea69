"""Error responses for the OpenAPI description: every status a route can answer."""

from typing import Any

from backend.schemas import ErrorBody


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody} for status in statuses}


# Answers any route can give: the guards, a database that is down, anything unexpected.
COMMON_ERRORS = error_responses(400, 403, 413, 415, 500, 503)
