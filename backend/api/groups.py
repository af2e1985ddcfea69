"""Groups: armies, factions, projects."""

from fastapi import APIRouter, Response, status

from backend.api.deps import GroupId, SessionDep, TransactionRoute
from backend.api.responses import error_responses, json_response
from backend.schemas import GroupList, GroupName, GroupOut
from backend.services import groups

router = APIRouter(prefix="/groups", tags=["groups"], route_class=TransactionRoute)

ONE_GROUP = error_responses(400, 404)


@router.get("", response_model=GroupList)
def list_groups(session: SessionDep) -> Response:
    """Sorted by the name key, as types are; each with its types' totals."""
    return json_response({"groups": groups.list_groups(session=session)})


@router.post(
    "",
    response_model=GroupOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(400),
)
def create_group(body: GroupName, session: SessionDep) -> Response:
    created = groups.create_group(session=session, name=body.name)
    return json_response(created, status_code=status.HTTP_201_CREATED)


@router.patch("/{group_id}", response_model=GroupOut, responses=ONE_GROUP)
def rename_group(group_id: GroupId, body: GroupName, session: SessionDep) -> Response:
    renamed = groups.rename_group(session=session, group_id=group_id, name=body.name)
    return json_response(renamed)


@router.delete(
    "/{group_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=ONE_GROUP,
)
def delete_group(group_id: GroupId, session: SessionDep) -> Response:
    """Its types stay, with no group."""
    groups.delete_group(session=session, group_id=group_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
