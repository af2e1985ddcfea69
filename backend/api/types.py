"""Types, their moves and their history."""

from fastapi import APIRouter, Response, status

from backend import errors
from backend.api.deps import AnswersDep, GroupFilterDep, SessionDep, TransactionRoute, TypeId
from backend.api.responses import error_responses, json_response
from backend.json_bytes import json_bytes
from backend.schemas import (
    TYPE_CHANGES,
    AddMiniatures,
    ChangedType,
    History,
    MoveMiniatures,
    TypeChange,
    TypeCreate,
    TypeListItem,
    TypeOut,
    UndoEvents,
)
from backend.services import history, moves, types, undo

router = APIRouter(prefix="/types", tags=["types"], route_class=TransactionRoute)

# 400 covers the request's own errors (validation, names, stages, quantities, limits).
ONE_TYPE = error_responses(400, 404)


@router.get("", response_model=list[TypeListItem], responses=ONE_TYPE)
def list_types(
    session: SessionDep, answers: AnswersDep, group: GroupFilterDep, q: str | None = None
) -> Response:
    """Every type, or those whose name holds `q`, or those of `group` (an id, or "none"); an
    unknown group is 404 ERR_GROUP_NOT_FOUND."""
    if q or group is not None:
        # Built each time: only the whole list is kept.
        return json_response(types.list_types(session=session, q=q, group=group))
    # The whole list is what the app asks for most (on every focus of the window): reused
    # until something changes.
    return json_response(
        answers.get(session, "types", lambda: json_bytes(types.list_types(session=session)))
    )


@router.post("", response_model=TypeOut, status_code=status.HTTP_201_CREATED, responses=ONE_TYPE)
def create_type(body: TypeCreate, session: SessionDep) -> Response:
    created = types.create_type(
        session=session,
        name=body.name,
        counts=body.counts,
        group_id=body.group_id,
        notes=body.notes,
    )
    return json_response(created, status_code=status.HTTP_201_CREATED)


@router.get("/{type_id}", response_model=TypeOut, responses=ONE_TYPE)
def get_type(type_id: TypeId, session: SessionDep) -> Response:
    return json_response(types.get_type(session=session, type_id=type_id))


@router.patch("/{type_id}", response_model=TypeOut, responses=ONE_TYPE)
def change_type(type_id: TypeId, body: TypeChange, session: SessionDep) -> Response:
    """Any of name, group_id and notes, at least one; all of them change, or none."""
    given = body.model_fields_set & set(TYPE_CHANGES)
    if not given:
        raise errors.ValidationFailed(fields=list(TYPE_CHANGES))
    changes = {field: getattr(body, field) for field in given}
    return json_response(types.change_type(session=session, type_id=type_id, changes=changes))


@router.delete(
    "/{type_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=ONE_TYPE,
)
def delete_type(type_id: TypeId, session: SessionDep) -> Response:
    types.delete_type(session=session, type_id=type_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{type_id}/add", response_model=ChangedType, responses=ONE_TYPE)
def add_miniatures(type_id: TypeId, body: AddMiniatures, session: SessionDep) -> Response:
    added = moves.add_miniatures(session=session, type_id=type_id, stage=body.stage, qty=body.qty)
    return json_response(added)


@router.post("/{type_id}/move", response_model=ChangedType, responses=ONE_TYPE)
def move_miniatures(type_id: TypeId, body: MoveMiniatures, session: SessionDep) -> Response:
    moved = moves.move_miniatures(
        session=session,
        type_id=type_id,
        from_stage=body.from_stage,
        to_stage=body.to_stage,
        qty=body.qty,
    )
    return json_response(moved)


@router.post("/{type_id}/undo", response_model=TypeOut, responses=ONE_TYPE)
def undo_events(type_id: TypeId, body: UndoEvents, session: SessionDep) -> Response:
    """Reverses the given events of this type, all or none (see "Correcting a mistake")."""
    undone = undo.undo_events(session=session, type_id=type_id, event_ids=body.event_ids)
    return json_response(undone)


@router.get("/{type_id}/history", response_model=History, responses=ONE_TYPE)
def type_history(type_id: TypeId, session: SessionDep, answers: AnswersDep) -> Response:
    # The type on screen reads it again on every focus of the window: reused until something
    # changes.
    return json_response(
        answers.get(
            session,
            ("history", type_id),
            lambda: json_bytes(history.type_history(session=session, type_id=type_id)),
        )
    )
