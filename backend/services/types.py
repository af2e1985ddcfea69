"""Miniature types: list, create, read, change (name, group, notes), delete.

How the services reach the database: SQLAlchemy Core statements (`select()`, `insert()`, …) on
the tables' columns for plain reads and writes, bound `text()` for statements that lock rows or
work in bulk (moves, undo, the import), and the driver's COPY only in the import. Whether a
type exists is told by the rows of the statement that reads or changes it (a RETURNING, the
lock of its counts), or else by `require_type`; a group named by a type, by its foreign key.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal, NamedTuple, cast

from sqlalchemy import (
    Integer,
    bindparam,
    column,
    delete,
    exists,
    insert,
    literal_column,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from backend import errors
from backend.models import Group, HistoryEvent, MiniatureType, StageCount
from backend.names import name_key
from backend.schemas import Counts, TypeListItem, TypeOut
from backend.stages import STAGES, Stage

NAME_KEY_CONSTRAINT = "uq_miniature_types_name_key"
GROUP_NAME_KEY_CONSTRAINT = "uq_groups_name_key"
GROUP_CONSTRAINT = "fk_miniature_types_group_id_groups"
STAGE_NAMES = tuple(stage.value for stage in STAGES)

# What a failed write's constraint means: another type (or group) holds the key, even one
# created a moment ago by a racing request; or the group named is gone (deleted by another
# window).
_CONSTRAINT_ERRORS: dict[str, type[errors.AppError]] = {
    NAME_KEY_CONSTRAINT: errors.NameTaken,
    GROUP_NAME_KEY_CONSTRAINT: errors.NameTaken,
    GROUP_CONSTRAINT: errors.GroupNotFound,
}


class TypeInfo(NamedTuple):
    """A type apart from its counts."""

    id: int
    name: str
    created_at: datetime
    group_id: int | None
    notes: str


def type_answer(info: TypeInfo, counts: dict[str, int]) -> TypeOut:
    """A type as a single-type answer gives it; `counts` (all five stages, its own dict)
    becomes part of it."""
    return {
        "id": info.id,
        "name": info.name,
        "group_id": info.group_id,
        "counts": cast(Counts, counts),
        "total": sum(counts.values()),
        "created_at": info.created_at,
        "notes": info.notes,
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
_ORDER = (_types.name_key.collate("C"), _types.name.collate("C"))
_COUNT_COLUMNS = tuple(TYPE_COUNTS.c[s] for s in STAGE_NAMES)
# The list says whether a type has notes, not what they are. (`<>` compares the lengths
# first: notes stored out of line are not read for it.)
_TYPES = (
    select(
        _types.id,
        _types.name,
        _types.created_at,
        _types.group_id,
        (_types.notes != literal_column("''")).label("has_notes"),
        *_COUNT_COLUMNS,
    )
    .join(TYPE_COUNTS, TYPE_COUNTS.c.type_id == _types.id)
    .order_by(*_ORDER)
)
_MATCHING = _types.name_key.like(bindparam("pattern"))
_IN_GROUP = _types.group_id == bindparam("group_id")
_NO_GROUP = _types.group_id.is_(None)
# Every filter the list takes: (a search, a group filter) -> its statement.
_LISTS = {
    (False, None): _TYPES,
    (True, None): _TYPES.where(_MATCHING),
    (False, "group"): _TYPES.where(_IN_GROUP),
    (True, "group"): _TYPES.where(_MATCHING, _IN_GROUP),
    (False, "none"): _TYPES.where(_NO_GROUP),
    (True, "none"): _TYPES.where(_MATCHING, _NO_GROUP),
}
_ONE_TYPE = (
    select(
        _types.id,
        _types.name,
        _types.created_at,
        _types.group_id,
        _types.notes,
        *_COUNT_COLUMNS,
    )
    .join(TYPE_COUNTS, TYPE_COUNTS.c.type_id == _types.id)
    .where(_types.id == bindparam("type_id"))
)

GroupFilter = int | Literal["none"] | None


def _like_literal(typed: str) -> str:
    """A LIKE pattern matching typed text as a substring: % and _ in it match themselves."""
    escaped = typed.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _list_items(rows: Iterable[Sequence[Any]]) -> list[TypeListItem]:
    return [
        {
            "id": row[0],
            "name": row[1],
            "group_id": row[3],
            "counts": cast(Counts, counts),
            "total": sum(counts.values()),
            "created_at": row[2],
            "has_notes": row[4],
        }
        for row in rows
        for counts in (dict(zip(STAGE_NAMES, row[5:], strict=True)),)
    ]


def list_types(
    *, session: Session, q: str | None = None, group: GroupFilter = None
) -> list[TypeListItem]:
    """The list's shape of the types (those whose name key holds q's, those of a group or of
    none), sorted by name key. A group that does not exist is ERR_GROUP_NOT_FOUND."""
    params: dict[str, Any] = {}
    if q:
        if "\x00" in q:
            return []  # no name holds a NUL (PostgreSQL text cannot), so nothing matches
        params["pattern"] = _like_literal(name_key(q))
    kind: str | None = None
    if group == "none":
        kind = "none"
    elif group is not None:
        require_group(session, group)
        kind, params["group_id"] = "group", group
    # .all(): the rows in one go, much cheaper than iterating the result row by row.
    return _list_items(session.execute(_LISTS[bool(q), kind], params).all())


def require_group(session: Session, group_id: int) -> None:
    """ERR_GROUP_NOT_FOUND unless the group exists."""
    if session.execute(select(Group.id).where(Group.id == group_id)).first() is None:
        raise errors.GroupNotFound()


def require_type(session: Session, type_id: int) -> None:
    """ERR_TYPE_NOT_FOUND unless the type exists."""
    if session.execute(select(_types.id).where(_types.id == type_id)).first() is None:
        raise errors.TypeNotFound()


def get_type(*, session: Session, type_id: int) -> TypeOut:
    row = session.execute(_ONE_TYPE, {"type_id": type_id}).first()
    if row is None:
        raise errors.TypeNotFound()
    return type_answer(TypeInfo(*row[:5]), dict(zip(STAGE_NAMES, row[5:], strict=True)))


@contextmanager
def constraint_errors() -> Iterator[None]:
    """A write refused by a constraint that names a contract error: that error."""
    try:
        yield
    except IntegrityError as error:
        constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
        known = _CONSTRAINT_ERRORS.get(constraint or "")
        if known is not None:
            raise known() from None
        raise


def create_type(
    *,
    session: Session,
    name: str,
    counts: Mapping[Stage, int] | None = None,
    group_id: int | None = None,
    notes: str = "",
) -> TypeOut:
    counts = counts or {}
    with constraint_errors():
        row = session.execute(
            insert(MiniatureType)
            .values(name=name, name_key=name_key(name), group_id=group_id, notes=notes)
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
        TypeInfo(row.id, name, row.created_at, group_id, notes),
        {stage.value: counts.get(stage, 0) for stage in STAGES},
    )


def change_type(*, session: Session, type_id: int, changes: Mapping[str, Any]) -> TypeOut:
    """Changes any of the type's name, group and notes in one statement: all of them, or (a
    name taken, a group gone, no such type) none. Writes no history event."""
    values = dict(changes)
    if "name" in values:
        values["name_key"] = name_key(values["name"])
    with constraint_errors():
        changed = session.execute(
            update(MiniatureType)
            .where(MiniatureType.id == type_id)
            .values(values)
            .returning(MiniatureType.id)
            .execution_options(synchronize_session=False)
        ).first()
    if changed is None:
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
    """Whether the database holds anything at all: a type or a group."""
    held = or_(exists().select_from(MiniatureType), exists().select_from(Group))
    return bool(session.scalar(select(held)))
