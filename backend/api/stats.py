"""Collection statistics."""

from fastapi import APIRouter, Response

from backend.api.deps import GroupFilterDep, SessionDep, TransactionRoute
from backend.api.responses import error_responses, json_response
from backend.schemas import Stats
from backend.services.stats import collection_stats

router = APIRouter(tags=["stats"], route_class=TransactionRoute)


@router.get("/stats", response_model=Stats, responses=error_responses(404))
def stats(session: SessionDep, group: GroupFilterDep) -> Response:
    """The whole collection's, or with `group` one group's types' (or the types in none)."""
    return json_response(collection_stats(session=session, group=group))
