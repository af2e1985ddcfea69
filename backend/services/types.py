"""Miniature types: list, create, read, rename, delete, and miniatures bought later."""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import errors
from backend.db import driver_rows
from backend.models import HistoryEvent, MiniatureType, StageCount
from backend.names import name_key
from backend.schemas import ChangedType, Counts, TypeOut
from backend.stages import MAX_COUNT, STAGES, Stage

NAME_KEY_CONSTRAINT = "uq_miniature_types_name_key"
STAGE_NAMES = tuple(stage.value for stage in STAGES)
STAGE_ORDER_SQL = f"array_position(ARRAY[{', '.join(repr(n) for n in STAGE_NAMES)}], s.stage::text)"


def type_answer(
    type_id: int, name: str, created_at: datetime, counts: Mapping[str, int]
) -> TypeOut:
    return {
        "id": type_id,
        "name": name,
        "counts": cast(Counts, dict(counts)),
        "total": sum(counts.values()),
        "created_at": created_at,
    }


@dataclass
class LockedType:
    """A type whose count rows this transaction holds: no one else can change them."""

    id: int
    name: str
    created_at: datetime
    counts: dict[str, int]


def _type_from_row(row: Sequence[Any]) -> TypeOut:
    # Built inline: this runs once per type of the list, a thousand times per request.
    counts = row[3:]
    return {
        "id": row[0],
        "name": row[1],
        "counts": cast(Counts, dict(zip(STAGE_NAMES, counts, strict=True))),
        "total": sum(counts),
        "created_at": row[2],
    }


# The five counts pivoted per type before the join: one row per type, in name-key order
# (byte order of the Python-made key: the same on every PostgreSQL, whatever its locale).
_TYPES_SQL = """
    SELECT t.id, t.name, t.created_at, {counts}
    FROM miniature_types AS t JOIN (
        SELECT type_id, {pivot} FROM stage_counts GROUP BY type_id
    ) AS c ON c.type_id = t.id
    {where}
    ORDER BY t.name_key COLLATE "C", t.name COLLATE "C"
"""
_COUNTS = ", ".join(f"c.{stage}" for stage in STAGE_NAMES)
_PIVOT = ", ".join(
    f"coalesce(sum(count) FILTER (WHERE stage = '{stage}'), 0) AS {stage}" for stage in STAGE_NAMES
)


def _like_literal(text: str) -> str:
    """A LIKE pattern matching text as a substring: % and _ typed by the user match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def load_types(
    session: Session, *, type_id: int | None = None, q: str | None = None
) -> list[TypeOut]:
    """The wire shape of the chosen types (all of them by default), sorted by name key."""
    if q and "\x00" in q:
        return []  # no name holds a NUL (PostgreSQL text cannot), so nothing matches
    conditions: list[str] = []
    params: dict[str, object] = {}
    if type_id is not None:
        conditions.append("t.id = %(type_id)s")
        params["type_id"] = type_id
    if q:
        conditions.append("t.name_key LIKE %(pattern)s")
        params["pattern"] = _like_literal(name_key(q))
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = _TYPES_SQL.format(counts=_COUNTS, pivot=_PIVOT, where=where)
    return [_type_from_row(row) for row in driver_rows(session, sql, params)]


def list_types(*, session: Session, q: str | None = None) -> list[TypeOut]:
    return load_types(session, q=q)


def get_type(*, session: Session, type_id: int) -> TypeOut:
    found = load_types(session, type_id=type_id)
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
    return type_answer(
        row.id, name, row.created_at, {stage.value: counts.get(stage, 0) for stage in STAGES}
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


def lock_type(session: Session, type_id: int) -> LockedType:
    """The type as it stands, with its five count rows locked for update; TypeNotFound if none.

    The type row is key-share locked too, so that a concurrent delete waits for us, or we for
    it, instead of the two locking each other's rows in turn. Count rows are locked in stage
    order (rows are locked as the sorted result is read), so concurrent moves never deadlock.
    """
    rows = session.execute(_LOCK_TYPE, {"type_id": type_id}).all()
    if not rows:
        raise errors.TypeNotFound()
    counts = {stage: count for _, _, stage, count in rows}
    return LockedType(type_id, rows[0].name, rows[0].created_at, counts)


_LOCK_TYPE = text(
    f"""
    SELECT t.name, t.created_at, s.stage, s.count
    FROM miniature_types AS t JOIN stage_counts AS s ON s.type_id = t.id
    WHERE t.id = :type_id
    ORDER BY {STAGE_ORDER_SQL}
    FOR KEY SHARE OF t FOR UPDATE OF s
    """
)

# Both count rows and the event in one statement: the checks were made on the locked rows.
_APPLY_CHANGE = text(
    """
    WITH changed AS (
        UPDATE stage_counts
        SET count = count + CASE WHEN stage = :to_stage THEN :qty ELSE -:qty END
        WHERE type_id = :type_id AND (stage = :to_stage OR stage = :from_stage)
    )
    INSERT INTO history_events (type_id, from_stage, to_stage, qty)
    VALUES (:type_id, :from_stage, :to_stage, :qty)
    RETURNING id
    """
)


def apply_change(
    session: Session, locked: LockedType, from_stage: Stage | None, to_stage: Stage, qty: int
) -> ChangedType:
    """Moves (or, from None, adds) qty on rows lock_type has locked; answers the new type and
    the id of the event written."""
    event_id = session.execute(
        _APPLY_CHANGE,
        {
            "type_id": locked.id,
            "from_stage": from_stage.value if from_stage else None,
            "to_stage": to_stage.value,
            "qty": qty,
        },
    ).scalar_one()
    counts = dict(locked.counts)
    counts[to_stage.value] += qty
    if from_stage is not None:
        counts[from_stage.value] -= qty
    answer = type_answer(locked.id, locked.name, locked.created_at, counts)
    return {**answer, "event_id": event_id}


def add_miniatures(*, session: Session, type_id: int, stage: Stage, qty: int) -> ChangedType:
    """Miniatures bought later: logged as an event from null."""
    locked = lock_type(session, type_id)
    if locked.counts[stage.value] + qty > MAX_COUNT:
        raise errors.CountLimit(max=MAX_COUNT)
    return apply_change(session, locked, None, stage, qty)
