"""Backups: the whole database as one JSON document, and the all-or-nothing import of one.

Export: one SQL statement (so one snapshot, whatever the isolation level) returns a row per
type with its history already rendered as JSON text by PostgreSQL; Python only stitches rows.
Import: the file is checked into a temporary table (binary COPY, a row per type and per event);
then, under the import's lock, one statement per table copies the rows into place.
"""

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Text,
    bindparam,
    case,
    cast,
    delete,
    exists,
    func,
    literal,
    select,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session
from typing_extensions import Buffer

from backend import errors
from backend.models import HistoryEvent, MiniatureType, StageCount
from backend.services.backup_format import FORMAT, ROW_COLUMNS, VERSION, Checked, check_backup
from backend.services.types import STAGE_NAMES, TYPE_COUNTS
from backend.stages import MAX_COUNT, STAGES

if TYPE_CHECKING:
    from backend.services.copies import BackupStore

log = logging.getLogger("miniatures.backup")


class ImportMode(StrEnum):
    MERGE = "merge"
    REPLACE = "replace"


class ImportSummary(BaseModel):
    types_created: int
    types_merged: int
    events_added: int
    safety_copy: str | None = Field(
        default=None,
        description="File name of the copy of the database written before this import, in "
        "the data folder's backups/ (null for a dry run or when the database was empty).",
        examples=["before-import-2026-11-26T100000Z.json"],
    )


def utc_text(moment: datetime) -> str:
    """ISO 8601 in UTC with Z: the contract's time format."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def export_filename(moment: datetime) -> str:
    return f"miniatures-{moment.astimezone(UTC):%Y-%m-%d}.json"


def _utc_iso(column: ColumnElement[datetime]) -> ColumnElement[str]:
    """ISO 8601 in UTC with Z, written by PostgreSQL: to_json gives the fraction only when
    there is one."""
    as_json = cast(func.to_json(func.timezone("UTC", column)), Text)
    return func.btrim(as_json, '"') + "Z"


# On the tables' columns: plain Core statements, whose rows skip the ORM's loading.
_types = MiniatureType.__table__
_events = HistoryEvent.__table__
_undone = _events.alias("undone")
_e = _events.c

# Stages are CHECK-constrained constants, so they need no JSON escaping. An undo event names
# the event it undoes; an undo of an addition goes nowhere (to_stage null).
_EVENT_JSON = func.format(
    '{"id": %s, "from_stage": %s, "to_stage": %s, "qty": %s, "at": "%s"%s}',
    _e.id,
    func.coalesce('"' + _e.from_stage + '"', "null"),
    func.coalesce('"' + _e.to_stage + '"', "null"),
    _e.qty,
    _utc_iso(_e.created_at),
    func.coalesce(literal(', "undoes": ') + cast(_e.undoes, Text), ""),
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
# the benchmark's data set, spilled to disk: 20 ms of 150).
_TYPES_IN_ORDER = (
    select(
        _types.c.id,
        _types.c.name,
        _types.c.name_key,
        _utc_iso(_types.c.created_at).label("created_at"),
        *(TYPE_COUNTS.c[stage] for stage in STAGE_NAMES),
    )
    .join(TYPE_COUNTS, TYPE_COUNTS.c.type_id == _types.c.id)
    .order_by(_types.c.name_key.collate("C"), _types.c.name.collate("C"), _types.c.id)
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
_EXPORT_QUERY = (
    select(
        _TYPES_IN_ORDER.c.name,
        _TYPES_IN_ORDER.c.created_at,
        *(_TYPES_IN_ORDER.c[stage] for stage in STAGE_NAMES),
        _HISTORY.c.history,
    )
    .join(_HISTORY, true())
    .order_by(
        _TYPES_IN_ORDER.c.name_key.collate("C"),
        _TYPES_IN_ORDER.c.name.collate("C"),
        _TYPES_IN_ORDER.c.id,
    )
)


def _type_json(row: Any) -> str:
    counts = ", ".join(f'"{stage}": {row[2 + index]}' for index, stage in enumerate(STAGES))
    history = f"[\n        {row.history}\n      ]" if row.history else "[]"
    return (
        "    {\n"
        f'      "name": {json.dumps(row.name, ensure_ascii=False)},\n'
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
    """The backup document in pieces, one per type, in name order; events in time order.

    `copy_info(types, miniatures)`, when given, is written last as the `"copy"` key: what an
    automatic copy records about itself (import ignores it).
    """
    yield (
        "{\n"
        f'  "format": "{FORMAT}",\n'
        f'  "version": {VERSION},\n'
        f'  "exported_at": "{utc_text(exported_at)}",\n'
        '  "types": ['
    ).encode()
    # A server-side cursor: rows arrive in batches, not as one list of the whole database.
    rows = session.execute(_EXPORT_QUERY.execution_options(yield_per=200))
    separator = "\n"
    types = miniatures = 0
    for row in rows:
        yield (separator + _type_json(row)).encode()
        separator = ",\n"
        types += 1
        miniatures += sum(row[2 : 2 + len(STAGES)])
    closing = "]" if separator == "\n" else "\n  ]"
    if copy_info is not None:
        closing += f',\n  "copy": {json.dumps(copy_info(types, miniatures))}'
    yield (closing + "\n}\n").encode()


def _hold_off_writers(session: Session) -> None:
    """Every change takes a lock on miniature_types first, in its first statement (moves and
    additions key-share lock the type row; creations, renames and deletions write it).

    So this one table lock makes writers wait for the import, before they hold any row,
    while reads go on. Locking the other tables too could deadlock with a move that has
    opened stage_counts and is waiting for miniature_types.
    """
    session.execute(text("LOCK TABLE miniature_types IN EXCLUSIVE MODE"))


def has_data(session: Session) -> bool:
    return bool(session.scalar(select(exists().select_from(MiniatureType))))


def import_backup(
    *,
    session: Session,
    body: Buffer,
    mode: ImportMode,
    dry_run: bool,
    copies: "BackupStore",
) -> ImportSummary:
    """Checks a backup file and applies it, all in a savepoint; a dry run checks everything,
    limits included, and writes nothing."""
    replace = mode is ImportMode.REPLACE
    with session.begin_nested():
        checked = _stage(session, body)
        _hold_off_writers(session)
        if not dry_run and (replace or checked.types) and has_data(session):
            # Written under the import's lock before anything changes; kept if it succeeds.
            with copies.before_import(session) as copy:
                summary = _apply(session, checked, replace=replace, dry_run=dry_run)
            summary.safety_copy = copy.entry.name
        else:
            summary = _apply(session, checked, replace=replace, dry_run=dry_run)
        session.execute(_DROP_STAGED)
    # What happened, never what the file holds.
    log.info(
        "import: mode=%s dry_run=%s types_created=%d types_merged=%d events_added=%d",
        mode.value,
        dry_run,
        summary.types_created,
        summary.types_merged,
        summary.events_added,
    )
    return summary


# The checked file, a row per type and per event (backup_format.ROW_COLUMNS), so that Python
# keeps none of it: PostgreSQL compares the names (and the undo links the check could not),
# then copies the rows into the tables.
_CREATE_STAGED = text(
    """
    CREATE TEMPORARY TABLE import_rows (
        type_no integer NOT NULL,
        event_no integer,
        place integer,
        from_stage varchar,
        to_stage varchar,
        qty integer,
        at timestamptz,
        event_id numeric,
        undoes numeric,
        undoes_first boolean,
        target integer,
        name varchar,
        name_key varchar,
        name_at integer,
        created_at timestamptz,
        counts json
    ) ON COMMIT DROP
    """
)
_COPY_STAGED = f"COPY import_rows ({', '.join(ROW_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_STAGED_TYPES = (
    "int4",
    "int4",
    "int4",
    "varchar",
    "varchar",
    "int4",
    "timestamptz",
    "numeric",
    "numeric",
    "bool",
    "int4",
    "varchar",
    "varchar",
    "int4",
    "timestamptz",
    "json",
)
# The type rows, apart: the statements on types read them, not every event's row.
_STAGE_TYPES = text(
    """
    CREATE TEMPORARY TABLE import_types ON COMMIT DROP AS
    SELECT type_no, name, name_key, name_at, created_at, counts
    FROM import_rows WHERE event_no IS NULL
    """
)
_DROP_STAGED = text("DROP TABLE import_rows, import_types")
# The first type, in file order, whose name key an earlier type has; how many events came
# before its name.
_FIRST_DUPLICATE = text(
    """
    SELECT type_no, name_at FROM (
        SELECT type_no, name_at,
               lag(type_no) OVER (PARTITION BY name_key ORDER BY type_no) AS earlier
        FROM import_types
    ) AS named
    WHERE earlier IS NOT NULL
    ORDER BY type_no
    LIMIT 1
    """
)
# The first event, in file order, whose id an earlier event of its history has. An event's
# history is told by its first event's number (event_no - place).
_FIRST_DUPLICATE_ID = text(
    """
    SELECT type_no, event_no, place, undoes_first FROM (
        SELECT type_no, event_no, place, undoes_first,
               lag(event_no) OVER (
                   PARTITION BY event_no - place, event_id ORDER BY event_no
               ) AS earlier
        FROM import_rows WHERE event_id IS NOT NULL
    ) AS numbered
    WHERE earlier IS NOT NULL
    ORDER BY event_no
    LIMIT 1
    """
)
# Each undo event's target that the check left to PostgreSQL: the earlier event of its history
# with the id it names. Only up to the first id used twice (:last), where each id names one
# event: past it, one id given to every event would match each undo with all of them.
_FIND_TARGETS = text(
    """
    UPDATE import_rows AS u SET target = t.event_no
    FROM import_rows AS t
    WHERE u.undoes IS NOT NULL AND u.target IS NULL AND t.event_id = u.undoes
      AND t.event_no - t.place = u.event_no - u.place AND t.event_no < u.event_no
      AND u.event_no <= :last
    """
)
# The first broken undo link, in file order (within an event: its `undoes` before or after its
# `id`, UNDO_MISMATCH after both). A row without qty broke a rule later: its stages are not
# compared.
_FIRST_BROKEN_LINK = text(
    """
    SELECT type_no, event_no, place, undoes_first, rule FROM (
        SELECT u.type_no, u.event_no, u.place, u.undoes_first,
               CASE
                   WHEN t.event_no IS NULL OR t.undoes IS NOT NULL THEN 'UNKNOWN_EVENT'
                   WHEN count(*) OVER (PARTITION BY u.target ORDER BY u.event_no) > 1
                       THEN 'ALREADY_UNDONE'
                   WHEN u.qty IS NOT NULL AND NOT (
                       t.from_stage IS NOT DISTINCT FROM u.to_stage
                       AND t.to_stage IS NOT DISTINCT FROM u.from_stage AND t.qty = u.qty
                   ) THEN 'UNDO_MISMATCH'
               END AS rule
        FROM import_rows AS u LEFT JOIN import_rows AS t ON t.event_no = u.target
        WHERE u.undoes IS NOT NULL
    ) AS linked
    WHERE rule IS NOT NULL
    ORDER BY event_no, rule = 'UNDO_MISMATCH'
    LIMIT 1
    """
)


def _first_broken_rule(session: Session, checked: Checked) -> errors.ImportInvalid | None:
    """The first of the rules PostgreSQL checks that the staged rows break, in file order:
    names used twice, and the undo links of histories whose ids do not grow. Each is placed
    by (events before it, its order among an event's checks)."""
    found: list[tuple[int, int, errors.ImportInvalid]] = []
    name = session.execute(_FIRST_DUPLICATE).first()
    if name is not None:
        path = f"types[{name.type_no}].name"
        found.append((name.name_at, -1, errors.ImportInvalid(path=path, rule="DUPLICATE_NAME")))
    if checked.unordered_ids:
        twice = session.execute(_FIRST_DUPLICATE_ID).first()
        last = 2**31 - 1  # (no id used twice: every event)
        if twice is not None:
            last = twice.event_no
            path = f"types[{twice.type_no}].history[{twice.place}].id"
            order = 1 if twice.undoes_first else 0
            found.append(
                (twice.event_no, order, errors.ImportInvalid(path=path, rule="DUPLICATE_ID"))
            )
        session.execute(_FIND_TARGETS, {"last": last})
        link = session.execute(_FIRST_BROKEN_LINK).first()
        if link is not None:
            path = f"types[{link.type_no}].history[{link.place}].undoes"
            order = 2 if link.rule == "UNDO_MISMATCH" else 0 if link.undoes_first else 1
            found.append((link.event_no, order, errors.ImportInvalid(path=path, rule=link.rule)))
    return min(found, key=lambda candidate: candidate[:2])[2] if found else None


def _stage(session: Session, body: Buffer) -> Checked:
    """The file checked into import_rows, or ERR_IMPORT_INVALID for its first broken rule."""
    session.execute(_CREATE_STAGED)
    cursor = session.connection().connection.cursor()
    # Binary COPY: the rows go in as they are checked, a few times faster than COPY's text.
    with cursor.copy(_COPY_STAGED) as copy:
        copy.set_types(_STAGED_TYPES)
        checked = check_backup(body, copy.write_row)
    session.execute(_STAGE_TYPES)
    error = checked.error
    if error is not None and error.params["rule"] == "NOT_JSON":
        raise error
    # Every row was written before the stream's error: what they break comes first.
    broken = _first_broken_rule(session, checked)
    if broken is not None:
        raise broken
    if error is not None:
        raise error
    return checked


# A staged type's row, joined to the miniature_types row it matches by name key.
_MERGED = text(
    """
    SELECT count(*) FROM import_types AS r JOIN miniature_types AS t ON t.name_key = r.name_key
    """
)
_FIRST_OVER_LIMIT = text(
    """
    SELECT r.type_no, c.key
    FROM import_types AS r
    JOIN miniature_types AS t ON t.name_key = r.name_key
    CROSS JOIN LATERAL json_each_text(r.counts) WITH ORDINALITY AS c (key, value, place)
    JOIN stage_counts AS s ON s.type_id = t.id AND s.stage = c.key
    WHERE s.count + CAST(c.value AS integer) > :max
    ORDER BY r.type_no, c.place
    LIMIT 1
    """
)
_CREATE_TYPES = text(
    """
    INSERT INTO miniature_types (name, name_key, created_at)
    SELECT r.name, r.name_key, coalesce(r.created_at, now())
    FROM import_types AS r
    WHERE NOT EXISTS (SELECT FROM miniature_types AS t WHERE t.name_key = r.name_key)
    ORDER BY r.type_no
    """
)
# Every imported type has its five count rows (a new one gets them here), then the counts
# given are added.
_FIVE_COUNTS = text(
    """
    INSERT INTO stage_counts (type_id, stage, count)
    SELECT t.id, stage, 0
    FROM import_types AS r
    JOIN miniature_types AS t ON t.name_key = r.name_key
    CROSS JOIN unnest(CAST(:stages AS varchar[])) AS stage
    ON CONFLICT (type_id, stage) DO NOTHING
    """
)
_ADD_COUNTS = text(
    """
    INSERT INTO stage_counts (type_id, stage, count)
    SELECT t.id, c.key, CAST(c.value AS integer)
    FROM import_types AS r
    JOIN miniature_types AS t ON t.name_key = r.name_key
    CROSS JOIN LATERAL json_each_text(r.counts) AS c
    WHERE CAST(c.value AS integer) > 0
    ON CONFLICT (type_id, stage) DO UPDATE SET count = stage_counts.count + excluded.count
    """
)
# A block of event ids taken in one step. Safe because every writer of history_events waits for
# the import's lock (_hold_off_writers) before it takes an id.
_RESERVE_IDS = text(
    """
    SELECT setval(pg_get_serial_sequence('history_events', 'id'),
                  nextval(pg_get_serial_sequence('history_events', 'id')) + :count - 1)
    """
)
# The database ids follow the file's order, so an undo event names the id of the event it
# undoes (its target, by place in the file).
_APPEND_EVENTS = text(
    """
    INSERT INTO history_events (id, type_id, from_stage, to_stage, qty, created_at, undoes)
    SELECT :first + e.event_no, t.id, e.from_stage, e.to_stage, e.qty, e.at, :first + e.target
    FROM import_rows AS e
    JOIN import_types AS r ON r.type_no = e.type_no
    JOIN miniature_types AS t ON t.name_key = r.name_key
    WHERE e.event_no IS NOT NULL
    """
).bindparams(bindparam("first", type_=BigInteger))


def _check_limits(session: Session) -> None:
    """The first count, in file order, that the merge would push past the maximum."""
    over = session.execute(_FIRST_OVER_LIMIT, {"max": MAX_COUNT}).first()
    if over is not None:
        raise errors.ImportLimit(path=f"types[{over.type_no}].counts.{over.key}", max=MAX_COUNT)


def _apply(session: Session, checked: Checked, *, replace: bool, dry_run: bool) -> ImportSummary:
    """Copies the checked rows into the tables (a dry run stops after the limits)."""
    merged = 0
    if not replace:
        _check_limits(session)
        merged = session.execute(_MERGED).scalar_one()
    summary = ImportSummary(
        types_created=checked.types - merged, types_merged=merged, events_added=checked.events
    )
    if dry_run:
        return summary
    if replace:
        for table in (HistoryEvent, StageCount, MiniatureType):
            session.execute(delete(table).execution_options(synchronize_session=False))
    session.execute(_CREATE_TYPES)
    session.execute(_FIVE_COUNTS, {"stages": [stage.value for stage in STAGES]})
    session.execute(_ADD_COUNTS)
    if checked.events:
        last = session.execute(_RESERVE_IDS, {"count": checked.events}).scalar_one()
        session.execute(_APPEND_EVENTS, {"first": last - checked.events + 1})
    return summary
