from fastapi import APIRouter
from sqlalchemy import text

from backend import __version__
from backend.api.deps import SessionDep, TransactionRoute
from backend.schemas import Health

router = APIRouter(tags=["health"], route_class=TransactionRoute)


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Health:
    session.execute(text("SELECT 1"))
    return Health(version=__version__)
