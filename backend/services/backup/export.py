"""Export: the whole database as one backup file.

One SQL statement (so one snapshot, whatever the isolation level) returns a row per type with
its history already rendered as JSON text by PostgreSQL, and on its first row the groups, which
the file writes before the types: so every group a type names is in the file. Python only
stitches rows. Reached through plain Core statements on the tables' columns, whose rows skip
the ORM's loading.
"""

import itertools
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, case, cast, func, literal, select, true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from backend.models import Group, HistoryEvent, MiniatureType
from backend.services.backup.shape import FORMAT, VERSION
from backend.services.types import STAGE_NAMES, TYPE_COUNTS
from backend.stages import STAGES
from backend.times import file_date, utc_text


def export_filename(moment: datetime) -> str:
    return f"miniatures-{file_date(moment)}.json"


def _utc_iso(column: ColumnElement[datetime]) -> ColumnElement[str]:
    """ISO 8601 in UTC with Z, written by PostgreSQL: the text of the UTC timestamp in the ISO
    date style every connection asks for (`backend/db.py`), with the fraction only when there
    is one; its space becomes a T. A third cheaper than the same text by `to_json`."""
    return func.replace(cast(func.timezone("UTC", column), Text), " ", "T") + "Z"


_types = MiniatureType.__table__
_groups = Group.__table__
_events = HistoryEvent.__table__
_undone = _events.alias("undone")
_e = _events.c

# Stages are CHECK-constrained constants, so they need no JSON escaping. An undo event names
# the event it undoes; an undo of an addition goes nowhere (to_stage null). Joined by `||`:
# `format()` cost a quarter to a third more for the 110,000 events
# (tests/benchmarks/RESULTS.md). A NULL makes the whole `||` text NULL, and string_agg would
# then leave the event out: the nullable columns (the stages, `undoes`) are coalesced, and
# every other column is NOT NULL.
_EVENT_JSON = (
    literal('{"id": ')
    + cast(_e.id, Text)
    + ', "from_stage": '
    + func.coalesce('"' + _e.from_stage + '"', "null")
    + ', "to_stage": '
    + func.coalesce('"' + _e.to_stage + '"', "null")
    + ', "qty": '
    + cast(_e.qty, Text)
    + ', "at": "'
    + _utc_iso(_e.created_at)
    + '"'
    + func.coalesce(literal(', "undoes": ') + cast(_e.undoes, Text), "")
    + "}"
)
_EVENT_SEPARATOR = ",\n        "
# In time order, and an undo event always after the event it undoes (ids grow), even when an
# imported event was dated later than its undo. The undone event is looked up by its key, one
# row per undo event: a join would let the planner scan every event once per type whenever
# the statistics lag behind the data (right after an import: 4.5 s instead of 0.3 s). Only
# undo events look (CASE): a lookup for every event was 11 ms of PostgreSQL's 150 ms.
_UNDONE_AT = select(_undone.c.created_at).where(_undone.c.id == _e.undoes).scalar_subquery()
_EVENT_ORDER = (
    case((_e.undoes.is_(None), _e.created_at), else_=func.greatest(_e.created_at, _UNDONE_AT)),
    _e.id,
)
# The types are sorted by name before their histories are rendered: PostgreSQL then keeps that
# order through the lateral join instead of sorting rows that carry the whole export (12 MB for
# the benchmark's data set, spilled to disk: 20 ms of 150). Their place in that order is
# counted in the same sort (a window over the same keys), so that the first row can carry the
# groups; notes and group names are looked up by key after the sort, kept out of the rows it
# moves.
_TYPE_ORDER = (_types.c.name_key.collate("C"), _types.c.name.collate("C"), _types.c.id)
_TYPES_IN_ORDER = (
    select(
        _types.c.id,
        _types.c.name,
        _types.c.name_key,
        _types.c.group_id,
        _utc_iso(_types.c.created_at).label("created_at"),
        *(TYPE_COUNTS.c[stage] for stage in STAGE_NAMES),
        func.row_number().over(order_by=_TYPE_ORDER).label("place"),
    )
    .join(TYPE_COUNTS, TYPE_COUNTS.c.type_id == _types.c.id)
    .order_by(*_TYPE_ORDER)
    .subquery("types")
)
_HISTORY = (
    select(
        func.string_agg(
            _EVENT_JSON, aggregate_order_by(literal(_EVENT_SEPARATOR), *_EVENT_ORDER)
        ).label("history")
    )
    .where(_e.type_id == _TYPES_IN_ORDER.c.id)
    .lateral("history")
)
_GROUP_SEPARATOR = ",\n    "
# Every group as JSON text, in name-key order: one string, by PostgreSQL.
_GROUPS_JSON = select(
    func.string_agg(
        func.format(
            '{"name": %s, "created_at": "%s"}',
            cast(func.to_json(_groups.c.name), Text),
            _utc_iso(_groups.c.created_at),
        ),
        aggregate_order_by(
            literal(_GROUP_SEPARATOR),
            _groups.c.name_key.collate("C"),
            _groups.c.name.collate("C"),
            _groups.c.id,
        ),
    )
).scalar_subquery()
_notes = _types.alias("notes")
_group = _groups.alias("type_group")
_EXPORT_QUERY = (
    select(
        _TYPES_IN_ORDER.c.name,
        _TYPES_IN_ORDER.c.created_at,
        *(_TYPES_IN_ORDER.c[stage] for stage in STAGE_NAMES),
        _HISTORY.c.history,
        select(_notes.c.notes)
        .where(_notes.c.id == _TYPES_IN_ORDER.c.id)
        .scalar_subquery()
        .label("notes"),
        select(_group.c.name)
        .where(_group.c.id == _TYPES_IN_ORDER.c.group_id)
        .scalar_subquery()
        .label("group"),
        # Evaluated once, for the first row only.
        case((_TYPES_IN_ORDER.c.place == 1, _GROUPS_JSON)).label("groups"),
    )
    .join(_HISTORY, true())
    .order_by(
        _TYPES_IN_ORDER.c.name_key.collate("C"),
        _TYPES_IN_ORDER.c.name.collate("C"),
        _TYPES_IN_ORDER.c.id,
    )
)
# With no type at all, no row carries the groups: read alone, no type can name one it misses.
_GROUPS_ALONE = select(_GROUPS_JSON)


def _type_json(row: Any) -> str:
    counts = ", ".join(f'"{stage}": {row[2 + index]}' for index, stage in enumerate(STAGES))
    history = f"[\n        {row.history}\n      ]" if row.history else "[]"
    return (
        "    {\n"
        f'      "name": {json.dumps(row.name, ensure_ascii=False)},\n'
        f'      "group": {json.dumps(row.group, ensure_ascii=False)},\n'
        f'      "notes": {json.dumps(row.notes, ensure_ascii=False)},\n'
        f'      "created_at": "{row.created_at}",\n'
        f'      "counts": {{{counts}}},\n'
        f'      "history": {history}\n'
        "    }"
    )


def export_chunks(
    *,
    session: Session,
    exported_at: datetime,
    copy_info: Callable[[int, int], dict[str, Any]] | None = None,
) -> Iterator[bytes]:
    """The backup document in pieces: its head with the groups, then one per type, in name
    order; events in time order.

    `copy_info(types, miniatures)`, when given, is written last as the `"copy"` key: what an
    automatic copy records about itself (import ignores it).
    """
    # A server-side cursor: rows arrive in batches, not as one list of the whole database.
    rows = session.execute(_EXPORT_QUERY.execution_options(yield_per=200))
    first = next(iter(rows), None)
    groups = first.groups if first is not None else session.execute(_GROUPS_ALONE).scalar()
    group_list = f"[\n    {groups}\n  ]" if groups else "[]"
    yield (
        "{\n"
        f'  "format": "{FORMAT}",\n'
        f'  "version": {VERSION},\n'
        f'  "exported_at": "{utc_text(exported_at)}",\n'
        f'  "groups": {group_list},\n'
        '  "types": ['
    ).encode()
    separator = "\n"
    types = miniatures = 0
    for row in itertools.chain([first] if first is not None else (), rows):
        yield (separator + _type_json(row)).encode()
        separator = ",\n"
        types += 1
        miniatures += sum(row[2 : 2 + len(STAGES)])
    closing = "]" if separator == "\n" else "\n  ]"
    if copy_info is not None:
        closing += f',\n  "copy": {json.dumps(copy_info(types, miniatures))}'
    yield (closing + "\n}\n").encode()
