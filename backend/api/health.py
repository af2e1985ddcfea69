"""Whether the app and its database answer."""

from fastapi import APIRouter, Response
from sqlalchemy import text

from backend import __version__
from backend.api.deps import SessionDep, TransactionRoute
from backend.api.responses import json_response
from backend.schemas import Health

router = APIRouter(tags=["health"], route_class=TransactionRoute)


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Response:
    session.execute(text("SELECT 1"))
    return json_response(Health(version=__version__))
