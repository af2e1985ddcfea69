"""Backups: the whole database as one JSON document, and the all-or-nothing import of one.

Export: one SQL statement (so one snapshot, whatever the isolation level) returns a row per
type with its history already rendered as JSON text by PostgreSQL; Python only stitches rows.
Import: under table locks, bulk statements for types and counts and COPY for the events.
"""

import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, Text, cast, delete, exists, func, literal, select, text, true
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from backend import errors
from backend.models import HistoryEvent, MiniatureType, StageCount
from backend.services.backup_format import FORMAT, VERSION, ImportFile
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
# imported event was dated later than its undo.
_EVENT_ORDER = (func.greatest(_e.created_at, _undone.c.created_at), _e.id)
_HISTORY = (
    select(
        func.string_agg(
            _EVENT_JSON, aggregate_order_by(literal(_EVENT_SEPARATOR), *_EVENT_ORDER)
        ).label("history")
    )
    .select_from(_events.outerjoin(_undone, _undone.c.id == _e.undoes))
    .where(_e.type_id == _types.c.id)
    .lateral("history")
)
_EXPORT_QUERY = (
    select(
        _types.c.name,
        _utc_iso(_types.c.created_at).label("created_at"),
        *(TYPE_COUNTS.c[stage] for stage in STAGE_NAMES),
        _HISTORY.c.history,
    )
    .join(TYPE_COUNTS, TYPE_COUNTS.c.type_id == _types.c.id)
    .join(_HISTORY, true())
    .order_by(_types.c.name_key.collate("C"), _types.c.name.collate("C"), _types.c.id)
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
    backup: ImportFile,
    mode: ImportMode,
    dry_run: bool,
    copies: "BackupStore",
) -> ImportSummary:
    """Applies a validated backup in a savepoint; a dry run rolls it back, writing nothing."""
    replace = mode is ImportMode.REPLACE
    changes_data = replace or bool(backup.types)
    with session.begin_nested() as savepoint:
        _hold_off_writers(session)
        if changes_data and not dry_run and has_data(session):
            # Written under the import's lock before anything changes; kept if it succeeds.
            with copies.before_import(session) as copy:
                summary = _apply(session, backup, replace=replace)
            summary.safety_copy = copy.entry.name
        else:
            summary = _apply(session, backup, replace=replace)
        if dry_run:
            savepoint.rollback()
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


_CREATE_TYPES = text(
    """
    INSERT INTO miniature_types (name, name_key, created_at)
    SELECT * FROM unnest(
        CAST(:names AS varchar[]), CAST(:keys AS varchar[]), CAST(:created AS timestamptz[])
    )
    RETURNING name_key, id
    """
)
_ADD_COUNTS = text(
    """
    INSERT INTO stage_counts (type_id, stage, count)
    SELECT * FROM unnest(
        CAST(:type_ids AS integer[]), CAST(:stages AS varchar[]), CAST(:counts AS integer[])
    )
    ON CONFLICT (type_id, stage) DO UPDATE SET count = stage_counts.count + excluded.count
    """
)


def _apply(session: Session, backup: ImportFile, *, replace: bool) -> ImportSummary:
    keys = [entry.key for entry in backup.types]
    if replace:
        for table in (HistoryEvent, StageCount, MiniatureType):
            session.execute(delete(table).execution_options(synchronize_session=False))
        existing: dict[str, int] = {}
    else:
        found = session.execute(
            select(MiniatureType.name_key, MiniatureType.id).where(MiniatureType.name_key.in_(keys))
        )
        existing = {key: type_id for key, type_id in found}
    _check_limits(session, backup, keys, existing)

    ids = dict(existing)
    new = [(entry, key) for entry, key in zip(backup.types, keys, strict=True) if key not in ids]
    if new:
        now = session.scalar(select(func.now()))
        created = session.execute(
            _CREATE_TYPES,
            {
                "names": [entry.name for entry, _ in new],
                "keys": [key for _, key in new],
                "created": [entry.created_at or now for entry, _ in new],
            },
        )
        ids.update((key, type_id) for key, type_id in created)
    _add_counts(session, backup, [ids[key] for key in keys], new_ids={ids[k] for _, k in new})
    events = _append_events(session, backup, [ids[key] for key in keys])
    return ImportSummary(
        types_created=len(new), types_merged=len(backup.types) - len(new), events_added=events
    )


def _check_limits(
    session: Session, backup: ImportFile, keys: list[str], existing: dict[str, int]
) -> None:
    """The first count, in file order, that the merge would push past the maximum."""
    if not existing:
        return
    current = {
        (type_id, stage): count
        for type_id, stage, count in session.execute(
            select(StageCount.type_id, StageCount.stage, StageCount.count).where(
                StageCount.type_id.in_(existing.values())
            )
        )
    }
    for index, (entry, key) in enumerate(zip(backup.types, keys, strict=True)):
        type_id = existing.get(key)
        if type_id is None or not entry.counts:
            continue
        for stage, count in entry.counts.items():
            if current.get((type_id, stage.value), 0) + count > MAX_COUNT:
                raise errors.ImportLimit(path=f"types[{index}].counts.{stage}", max=MAX_COUNT)


def _add_counts(
    session: Session, backup: ImportFile, type_ids: list[int], *, new_ids: set[int]
) -> None:
    """New types get all five rows; merged ones get their nonzero counts added."""
    rows: dict[str, list[Any]] = {"type_ids": [], "stages": [], "counts": []}
    for entry, type_id in zip(backup.types, type_ids, strict=True):
        counts = entry.counts or {}
        for stage in STAGES:
            count = counts.get(stage, 0)
            if count or type_id in new_ids:
                rows["type_ids"].append(type_id)
                rows["stages"].append(stage.value)
                rows["counts"].append(count)
    if rows["type_ids"]:
        session.execute(_ADD_COUNTS, rows)


# A block of event ids taken in one step. Safe because every writer of history_events waits for
# the import's lock (_hold_off_writers) before it takes an id.
_RESERVE_IDS = text(
    """
    SELECT setval(pg_get_serial_sequence('history_events', 'id'),
                  nextval(pg_get_serial_sequence('history_events', 'id')) + :count - 1)
    """
)


def _append_events(session: Session, backup: ImportFile, type_ids: list[int]) -> int:
    """COPY, a row at a time: the fastest way in for 100k events (see the benchmark notes).

    The database ids are chosen here, in file order, so that an undo event can name the id of
    the event it undoes (the file links them by place in the type's history).
    """
    total = sum(len(entry.history) for entry in backup.types)
    if not total:
        return 0
    first_id = session.execute(_RESERVE_IDS, {"count": total}).scalar_one() - total + 1
    cursor = session.connection().connection.cursor()
    with cursor.copy(_COPY_EVENTS) as copy:
        for entry, type_id in zip(backup.types, type_ids, strict=True):
            for event_id, (from_stage, to_stage, qty, at, undoes) in enumerate(
                entry.history, start=first_id
            ):
                target = None if undoes is None else first_id + undoes
                copy.write_row((event_id, type_id, from_stage, to_stage, qty, at, target))
            first_id += len(entry.history)
    return total


_COPY_EVENTS = (
    "COPY history_events (id, type_id, from_stage, to_stage, qty, created_at, undoes) FROM STDIN"
)
