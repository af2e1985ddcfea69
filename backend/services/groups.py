"""Groups (an army, a faction, a project): list with their types' totals, create, rename,
delete (their types stay, ungrouped).

Reached through SQLAlchemy Core statements on the tables' columns, as the types are. Every
change of a group first takes the lock every writer of the collection takes on
miniature_types (`_WAIT_FOR_IMPORT`), so that an import, which holds that table while it
creates groups, is never raced into a name taken halfway.
"""

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Integer, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from backend import errors
from backend.models import Group, MiniatureType
from backend.names import name_key
from backend.schemas import Counts, GroupOut
from backend.services.types import STAGE_NAMES, TYPE_COUNTS, constraint_errors

# Waits for an import (LOCK TABLE … EXCLUSIVE) and lets every other writer be.
_WAIT_FOR_IMPORT = text("LOCK TABLE miniature_types IN ROW EXCLUSIVE MODE")

_groups = Group.__table__.c
_types = MiniatureType.__table__.c

# Each group with its types' number and counts summed: one row per group, in name-key order.
_SUMS = (
    select(
        _groups.id,
        _groups.name,
        _groups.created_at,
        func.count(_types.id).label("types"),
        *(func.coalesce(func.sum(TYPE_COUNTS.c[s]), 0).cast(Integer) for s in STAGE_NAMES),
    )
    .select_from(Group)
    .outerjoin(MiniatureType, _types.group_id == _groups.id)
    .outerjoin(TYPE_COUNTS, TYPE_COUNTS.c.type_id == _types.id)
    .group_by(_groups.id)
    .order_by(_groups.name_key.collate("C"), _groups.name.collate("C"))
)


def _answers(rows: Iterable[Sequence[Any]]) -> list[GroupOut]:
    answers: list[GroupOut] = []
    for row in rows:
        counts = dict(zip(STAGE_NAMES, row[4:], strict=True))
        answers.append(
            {
                "id": row[0],
                "name": row[1],
                "created_at": row[2],
                "types": row[3],
                "counts": cast(Counts, counts),
                "total": sum(counts.values()),
            }
        )
    return answers


def list_groups(*, session: Session) -> list[GroupOut]:
    return _answers(session.execute(_SUMS).all())


def get_group(*, session: Session, group_id: int) -> GroupOut:
    found = _answers(session.execute(_SUMS.where(_groups.id == group_id)).all())
    if not found:
        raise errors.GroupNotFound()
    return found[0]


def create_group(*, session: Session, name: str) -> GroupOut:
    session.execute(_WAIT_FOR_IMPORT)
    with constraint_errors():
        group_id = session.execute(
            insert(Group).values(name=name, name_key=name_key(name)).returning(Group.id)
        ).scalar_one()
    return get_group(session=session, group_id=group_id)


def rename_group(*, session: Session, group_id: int, name: str) -> GroupOut:
    """A change of case or ё/е of its own name is allowed (its key stays its own)."""
    session.execute(_WAIT_FOR_IMPORT)
    with constraint_errors():
        renamed = session.execute(
            update(Group)
            .where(Group.id == group_id)
            .values(name=name, name_key=name_key(name))
            .returning(Group.id)
            .execution_options(synchronize_session=False)
        ).first()
    if renamed is None:
        raise errors.GroupNotFound()
    return get_group(session=session, group_id=group_id)


def delete_group(*, session: Session, group_id: int) -> None:
    """Its types stay, in no group (ON DELETE SET NULL)."""
    session.execute(_WAIT_FOR_IMPORT)
    deleted = session.execute(
        delete(Group)
        .where(Group.id == group_id)
        .returning(Group.id)
        .execution_options(synchronize_session=False)
    ).first()
    if deleted is None:
        raise errors.GroupNotFound()
