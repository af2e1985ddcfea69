"""Miniature types: list, create, read, rename, delete.

How the services reach the database: SQLAlchemy Core statements (`select()`, `insert()`, …) on
the tables' columns for plain reads and writes, bound `text()` for statements that lock rows or
work in bulk (moves, undo, the import), and the driver's COPY only in the import. Whether a
type exists is told by the rows of the statement that reads or changes it (a RETURNING, the
lock of its counts), or else by `require_type`.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Integer, bindparam, column, delete, exists, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import errors
from backend.models import HistoryEvent, MiniatureType, StageCount
from backend.names import name_key
from backend.schemas import Counts, TypeOut
from backend.stages import STAGES, Stage

NAME_KEY_CONSTRAINT = "uq_miniature_types_name_key"
STAGE_NAMES = tuple(stage.value for stage in STAGES)


def type_answer(type_id: int, name: str, created_at: datetime, counts: dict[str, int]) -> TypeOut:
    """A type as the API answers it; `counts` (all five stages, its own dict) becomes part of it."""
    return {
        "id": type_id,
        "name": name,
        "counts": cast(Counts, counts),
        "total": sum(counts.values()),
        "created_at": created_at,
    }


# Statements on the tables' columns: plain Core, whose rows skip the ORM's loading.
_types = MiniatureType.__table__.c

# The five counts of each type as columns, one row per type: pivoted before any join. Written
# as SQL so that the stage names are part of the statement, not bound parameters: bound, they
# made PostgreSQL plan the prepared statement again on every run (tests/benchmarks/RESULTS.md).
# `.columns` names every stage of STAGES: one missing from the SQL fails every list at once.
TYPE_COUNTS = (
    text(
        """
        SELECT type_id,
               coalesce(sum(count) FILTER (WHERE stage = 'IN_BOX'), 0) AS "IN_BOX",
               coalesce(sum(count) FILTER (WHERE stage = 'BUILDING'), 0) AS "BUILDING",
               coalesce(sum(count) FILTER (WHERE stage = 'PRIMING'), 0) AS "PRIMING",
               coalesce(sum(count) FILTER (WHERE stage = 'PAINTING'), 0) AS "PAINTING",
               coalesce(sum(count) FILTER (WHERE stage = 'DONE'), 0) AS "DONE"
        FROM stage_counts GROUP BY type_id
        """
    )
    .columns(column("type_id", Integer), *(column(stage, Integer) for stage in STAGE_NAMES))
    .subquery("counts")
)

# In name-key order: byte order of the Python-made key, the same on every PostgreSQL. Built
# once with named parameters, so a request neither builds a statement nor its cache key.
_TYPES = (
    select(_types.id, _types.name, _types.created_at, *(TYPE_COUNTS.c[s] for s in STAGE_NAMES))
    .join(TYPE_COUNTS, TYPE_COUNTS.c.type_id == _types.id)
    .order_by(_types.name_key.collate("C"), _types.name.collate("C"))
)
_ONE_TYPE = _TYPES.where(_types.id == bindparam("type_id"))
_MATCHING_TYPES = _TYPES.where(_types.name_key.like(bindparam("pattern")))


def _like_literal(typed: str) -> str:
    """A LIKE pattern matching typed text as a substring: % and _ in it match themselves."""
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _answers(rows: Iterable[Sequence[Any]]) -> list[TypeOut]:
    return [
        type_answer(row[0], row[1], row[2], dict(zip(STAGE_NAMES, row[3:], strict=True)))
        for row in rows
    ]


def list_types(*, session: Session, q: str | None = None) -> list[TypeOut]:
    """The wire shape of the types (those whose name key holds q's), sorted by name key."""
    # .all(): the rows in one go, much cheaper than iterating the result row by row.
    if not q:
        return _answers(session.execute(_TYPES).all())
    if "\x00" in q:
        return []  # no name holds a NUL (PostgreSQL text cannot), so nothing matches
    pattern = _like_literal(name_key(q))
    return _answers(session.execute(_MATCHING_TYPES, {"pattern": pattern}).all())


def require_type(session: Session, type_id: int) -> None:
    """ERR_TYPE_NOT_FOUND unless the type exists."""
    if session.execute(select(_types.id).where(_types.id == type_id)).first() is None:
        raise errors.TypeNotFound()


def get_type(*, session: Session, type_id: int) -> TypeOut:
    found = _answers(session.execute(_ONE_TYPE, {"type_id": type_id}).all())
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


def has_data(session: Session) -> bool:
    """Whether the database holds any type at all."""
    return bool(session.scalar(select(exists().select_from(MiniatureType))))
