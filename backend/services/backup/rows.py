"""The row the import's check writes for each group, each type and each event of a file,
defined once.

`ImportRow` gives the columns, the temporary table that holds the rows (`import_rows`) and the
types binary COPY sends them as: one table, because one connection streams one COPY at a time.
A type's row leaves the event's columns empty and an event's row the type's; a type's row comes
after its events (its counts may follow its history). A group's row (version 3) has its
`group_no` and fills the type's name columns with the group's; its `type_no` and `name_at`
say where it stands in the file (the types and the events read before it).
"""

from datetime import datetime
from typing import Annotated, Any, NamedTuple, get_type_hints

from sqlalchemy import text

# Each column's PostgreSQL type, as COPY names it; the table adds NOT NULL where it says so.
Int = Annotated[int | None, "int4"]
Text = Annotated[str | None, "varchar"]
Time = Annotated[datetime | None, "timestamptz"]
Id = Annotated[int | None, "numeric"]  # a file's ids may pass 64 bits: PostgreSQL compares them


class ImportRow(NamedTuple):
    type_no: Annotated[int, "int4 NOT NULL"]  # the type's place in `types` (a group: see above)
    event_no: Int = None  # an event's place among all the file's events; null in a type's row
    place: Int = None  # an event's place in its history
    from_stage: Text = None
    to_stage: Text = None
    qty: Int = None  # null: the event broke a rule after its id or undo link (check.py)
    at: Time = None
    event_id: Id = None  # version 2: the event's id in the file
    undoes: Id = None  # version 2: the id in the file of the event it undoes
    undoes_first: Annotated[bool | None, "bool"] = None  # its `undoes` came before its `id`
    target: Int = None  # the event_no of the event it undoes, where the check found it
    name: Text = None
    name_key: Text = None
    name_at: Int = None  # how many events the file held before the type's name
    created_at: Time = None  # null: absent
    counts: Annotated[dict[str, int] | None, "json"] = None  # {stage: count} in file order
    # version 3
    group_key: Text = None  # a type's `group`, as a name key (null: none)
    group_at: Int = None  # how many events the file held before the type's `group`
    group_first: Annotated[bool | None, "bool"] = None  # its `group` came before its `name`
    notes: Annotated[str | None, "text"] = None  # a type's notes (null: absent)
    # A group's place in `groups`; -1 for a group read only to match the types' `group` after
    # the check stopped (check.py); null in a type's or an event's row.
    group_no: Int = None


_COLUMNS: dict[str, str] = {
    name: hint.__metadata__[0]
    for name, hint in get_type_hints(ImportRow, include_extras=True).items()
}

CREATE_IMPORT_ROWS = text(
    "CREATE TEMPORARY TABLE import_rows ("
    + ", ".join(f"{name} {sql_type}" for name, sql_type in _COLUMNS.items())
    + ") ON COMMIT DROP"
)
COPY_IMPORT_ROWS = f"COPY import_rows ({', '.join(_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
COPY_TYPES = tuple(sql_type.split()[0] for sql_type in _COLUMNS.values())

# The hot path (check.py, a row per event) writes a plain tuple in ImportRow's order, the type's
# columns after `target` left empty: a NamedTuple built by keyword costs a Python call per row,
# 0.1 s for the benchmark's 110,000 events. tests/backend/test_import_rows.py holds the tuple
# to ImportRow.
EMPTY_TYPE_COLUMNS = (None,) * (len(ImportRow._fields) - ImportRow._fields.index("target") - 1)

Row = tuple[Any, ...]
