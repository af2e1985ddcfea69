"""Collection statistics."""

from fastapi import APIRouter

from backend.api.deps import SessionDep
from backend.schemas import Stats
from backend.services.stats import collection_stats

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=Stats)
def stats(session: SessionDep) -> Stats:
    return collection_stats(session=session)
