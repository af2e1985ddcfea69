"""Collection statistics."""

from fastapi import APIRouter, Response

from backend.api.deps import SessionDep, TransactionRoute
from backend.api.responses import json_response
from backend.schemas import Stats
from backend.services.stats import collection_stats

router = APIRouter(tags=["stats"], route_class=TransactionRoute)


@router.get("/stats", response_model=Stats)
def stats(session: SessionDep) -> Response:
    return json_response(collection_stats(session=session))
