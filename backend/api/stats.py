"""Collection statistics."""

from fastapi import APIRouter

from backend.api.deps import SessionDep, TransactionRoute
from backend.schemas import Stats
from backend.services.stats import collection_stats

router = APIRouter(tags=["stats"], route_class=TransactionRoute)


@router.get("/stats", response_model=Stats)
def stats(session: SessionDep) -> Stats:
    return collection_stats(session=session)
