"""Miniature types: list, create, read, rename, delete, and miniatures bought later."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, case, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import errors
from backend.models import HistoryEvent, MiniatureType, StageCount
from backend.names import name_key
from backend.schemas import Counts, TypeOut
from backend.stages import MAX_COUNT, STAGES, Stage

NAME_KEY_CONSTRAINT = "uq_miniature_types_name_key"
STAGE_NAMES = tuple(stage.value for stage in STAGES)


def _count_column(stage: Stage) -> ColumnElement[int]:
    total = func.sum(StageCount.count).filter(StageCount.stage == stage.value)
    return func.coalesce(total, 0).label(stage.value)


# One validation pass in pydantic's core for a whole list: a thousand types cost about a
# millisecond, where building each model in Python cost several.
_TYPE_LIST = TypeAdapter(list[TypeOut])


def _type_dict(row: Sequence[Any]) -> dict[str, Any]:
    counts = dict(zip(STAGE_NAMES, row[3:], strict=True))
    return {
        "id": row[0],
        "name": row[1],
        "counts": counts,
        "total": sum(counts.values()),
        "created_at": row[2],
    }


def load_types(
    session: Session, *, ids: list[int] | None = None, q: str | None = None
) -> list[TypeOut]:
    """The wire shape of the chosen types (all of them by default), sorted by name key."""
    # Every type with its five counts as columns: one row per type, one query for all.
    query = (
        select(
            MiniatureType.id,
            MiniatureType.name,
            MiniatureType.created_at,
            *(_count_column(stage) for stage in STAGES),
        )
        .join(StageCount, StageCount.type_id == MiniatureType.id)
        .group_by(MiniatureType.id)
        # Byte order of the Python-made key: the same on every PostgreSQL, whatever its locale.
        .order_by(MiniatureType.name_key.collate("C"), MiniatureType.name.collate("C"))
    )
    if ids is not None:
        query = query.where(MiniatureType.id.in_(ids))
    if q and "\x00" in q:
        return []  # no name holds a NUL (PostgreSQL text cannot), so nothing matches
    if q:
        # A literal substring: % and _ typed by the user match themselves.
        query = query.where(MiniatureType.name_key.contains(name_key(q), autoescape=True))
    return _TYPE_LIST.validate_python([_type_dict(row) for row in session.execute(query).all()])


def list_types(*, session: Session, q: str | None = None) -> list[TypeOut]:
    return load_types(session, q=q)


def get_type(*, session: Session, type_id: int) -> TypeOut:
    found = load_types(session, ids=[type_id])
    if not found:
        raise errors.TypeNotFound()
    return found[0]


@contextmanager
def _unique_name() -> Iterator[None]:
    """Another type holding the same key, even one created a moment ago by a racing request."""
    try:
        yield
    except IntegrityError as error:
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
        if constraint == NAME_KEY_CONSTRAINT:
            raise errors.NameTaken() from None
        raise


def create_type(
    *, session: Session, name: str, counts: Mapping[Stage, int] | None = None
) -> TypeOut:
    counts = counts or {}
    with _unique_name():
        row = session.execute(
            insert(MiniatureType)
            .values(name=name, name_key=name_key(name))
            .returning(MiniatureType.id, MiniatureType.created_at)
        ).one()
    # All five rows from the start, so a move only ever updates rows that exist.
    session.execute(
        insert(StageCount),
        [
            {"type_id": row.id, "stage": stage.value, "count": counts.get(stage, 0)}
            for stage in STAGES
        ],
    )
    additions = [
        {"type_id": row.id, "from_stage": None, "to_stage": stage.value, "qty": qty}
        for stage, qty in sorted(counts.items(), key=lambda item: STAGES.index(item[0]))
        if qty
    ]
    if additions:
        session.execute(insert(HistoryEvent), additions)
    wire_counts = {stage.value: counts.get(stage, 0) for stage in STAGES}
    return TypeOut(
        id=row.id,
        name=name,
        counts=Counts(**wire_counts),
        total=sum(wire_counts.values()),
        created_at=row.created_at,
    )


def rename_type(*, session: Session, type_id: int, name: str) -> TypeOut:
    with _unique_name():
        renamed = session.execute(
            update(MiniatureType)
            .where(MiniatureType.id == type_id)
            .values(name=name, name_key=name_key(name))
            .returning(MiniatureType.id)
            .execution_options(synchronize_session=False)
        ).first()
    if renamed is None:
        raise errors.TypeNotFound()
    return get_type(session=session, type_id=type_id)


def delete_type(*, session: Session, type_id: int) -> None:
    """Its counts and history go with it (ON DELETE CASCADE)."""
    deleted = session.execute(
        delete(MiniatureType)
        .where(MiniatureType.id == type_id)
        .returning(MiniatureType.id)
        .execution_options(synchronize_session=False)
    ).first()
    if deleted is None:
        raise errors.TypeNotFound()


def lock_counts(session: Session, type_id: int, stages: list[Stage]) -> dict[Stage, int]:
    """Locks the type's count rows for these stages, in stage order; empty for an unknown type.

    The type row is key-share locked first (in the sub-select) so that a concurrent delete
    waits for us, or we for it, instead of the two locking each other's rows in turn. Count
    rows are always locked in stage order, so concurrent moves never deadlock.
    """
    stage_order = {stage.value: STAGES.index(stage) for stage in STAGES}
    type_row = (
        select(MiniatureType.id)
        .where(MiniatureType.id == type_id)
        .with_for_update(read=True, key_share=True)
        .scalar_subquery()
    )
    rows = session.execute(
        select(StageCount.stage, StageCount.count)
        .where(StageCount.type_id == type_row, StageCount.stage.in_([s.value for s in stages]))
        .order_by(case(stage_order, value=StageCount.stage))
        .with_for_update(of=StageCount)
    )
    return {Stage(stage): count for stage, count in rows}


def add_miniatures(*, session: Session, type_id: int, stage: Stage, qty: int) -> TypeOut:
    """Miniatures bought later: logged as an event from null."""
    counts = lock_counts(session, type_id, [stage])
    if not counts:
        raise errors.TypeNotFound()
    if counts[stage] + qty > MAX_COUNT:
        raise errors.CountLimit(max=MAX_COUNT)
    session.execute(
        update(StageCount)
        .where(StageCount.type_id == type_id, StageCount.stage == stage.value)
        .values(count=StageCount.count + qty)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        insert(HistoryEvent).values(type_id=type_id, from_stage=None, to_stage=stage.value, qty=qty)
    )
    return get_type(session=session, type_id=type_id)
