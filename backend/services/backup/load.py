"""The import's work in the database: the checked file in temporary tables, the rules only
PostgreSQL can check on them, and the rows copied into place.

The file is checked into `import_rows` (binary COPY of `ImportRow`s, a row per group, per type
and per event, as `check.py` reads them), so that Python keeps none of it; PostgreSQL compares
the names, matches the types' groups (and the undo links the check could not), checks the
merge's limits, then copies the rows into the tables with one statement each. Bound `text()`
statements throughout, and the driver's COPY for the rows (a few times faster than COPY's text
format or an INSERT).
"""

from sqlalchemy import BigInteger, bindparam, delete, func, select, text
from sqlalchemy.orm import Session
from typing_extensions import Buffer

from backend import errors
from backend.limits import MAX_COUNT
from backend.models import Group, HistoryEvent, MiniatureType, StageCount
from backend.schemas import ImportSummary
from backend.services.backup.check import Checked, check_backup
from backend.services.backup.rows import COPY_IMPORT_ROWS, COPY_TYPES, CREATE_IMPORT_ROWS
from backend.stages import STAGES


def hold_off_writers(session: Session) -> None:
    """Every change takes a lock on miniature_types first, in its first statement (moves and
    additions key-share lock the type row; creations, renames and deletions write it; a
    change of a group locks the table in ROW EXCLUSIVE mode before it touches the group).

    So this one table lock makes writers wait for the import, before they hold any row,
    while reads go on. Locking the other tables too could deadlock with a move that has
    opened stage_counts and is waiting for miniature_types.
    """
    session.execute(text("LOCK TABLE miniature_types IN EXCLUSIVE MODE"))


# The type rows and the group rows, apart: the statements on types and groups read them, not
# every event's row.
_COPY_TYPE_ROWS = text(
    """
    CREATE TEMPORARY TABLE import_types ON COMMIT DROP AS
    SELECT type_no, name, name_key, name_at, created_at, counts,
           group_key, group_at, group_first, notes
    FROM import_rows WHERE event_no IS NULL AND group_no IS NULL
    """
)
_COPY_GROUP_ROWS = text(
    """
    CREATE TEMPORARY TABLE import_groups ON COMMIT DROP AS
    SELECT group_no, type_no, name, name_key, name_at, created_at
    FROM import_rows WHERE group_no IS NOT NULL
    """
)
_DROP_IMPORT_TABLES = text("DROP TABLE import_rows, import_types, import_groups")
# The first type, in file order, whose name key an earlier type has; how many events came
# before its name. (A type row without a name broke a rule after its group.)
_FIRST_DUPLICATE = text(
    """
    SELECT type_no, name_at, group_first FROM (
        SELECT type_no, name_at, group_first,
               lag(type_no) OVER (PARTITION BY name_key ORDER BY type_no) AS earlier
        FROM import_types WHERE name_key IS NOT NULL
    ) AS named
    WHERE earlier IS NOT NULL
    ORDER BY type_no
    LIMIT 1
    """
)
# The first group, in file order, whose name key an earlier group has (those read after the
# check stopped, group_no -1, only match the types' groups).
_FIRST_DUPLICATE_GROUP = text(
    """
    SELECT group_no, type_no, name_at FROM (
        SELECT group_no, type_no, name_at,
               lag(group_no) OVER (PARTITION BY name_key ORDER BY group_no) AS earlier
        FROM import_groups WHERE group_no >= 0
    ) AS named
    WHERE earlier IS NOT NULL
    ORDER BY group_no
    LIMIT 1
    """
)
# The first type, in file order, whose `group` names none of the file's groups.
_FIRST_UNKNOWN_GROUP = text(
    """
    SELECT type_no, group_at, group_first FROM import_types AS r
    WHERE group_key IS NOT NULL
      AND NOT EXISTS (SELECT FROM import_groups AS g WHERE g.name_key = r.group_key)
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
    names used twice (among types, among groups), a type's group that is not the file's, and
    the undo links of histories whose ids do not grow.

    Each is placed by (events before it, types before it, a group before a type, then its
    order within its object): the events and the types read so far only grow through the
    file, and a group is never inside a type. Within a type, its name and its group are
    ordered by which came first, both before the type's next event; an event's own rules
    follow its id or undo link as they stood in the event.
    """
    found: list[tuple[tuple[int, int, int, int, int], errors.ImportInvalid]] = []

    def add(place: tuple[int, int, int, int, int], path: str, rule: str) -> None:
        found.append((place, errors.ImportInvalid(path=path, rule=rule)))

    name = session.execute(_FIRST_DUPLICATE).first()
    if name is not None:
        order = -1 if name.group_first else -2
        add(
            (name.name_at, name.type_no, 1, 0, order),
            f"types[{name.type_no}].name",
            "DUPLICATE_NAME",
        )
    if checked.groups:
        group = session.execute(_FIRST_DUPLICATE_GROUP).first()
        if group is not None:
            path = f"groups[{group.group_no}].name"
            add((group.name_at, group.type_no, 0, group.group_no, 0), path, "DUPLICATE_NAME")
    if checked.group_refs:
        unknown = session.execute(_FIRST_UNKNOWN_GROUP).first()
        if unknown is not None:
            order = -2 if unknown.group_first else -1
            place = (unknown.group_at, unknown.type_no, 1, 0, order)
            add(place, f"types[{unknown.type_no}].group", "UNKNOWN_GROUP")
    if checked.unordered_ids:
        twice = session.execute(_FIRST_DUPLICATE_ID).first()
        last = 2**31 - 1  # (no id used twice: every event)
        if twice is not None:
            last = twice.event_no
            path = f"types[{twice.type_no}].history[{twice.place}].id"
            order = 1 if twice.undoes_first else 0
            add((twice.event_no, twice.type_no, 1, 0, order), path, "DUPLICATE_ID")
        session.execute(_FIND_TARGETS, {"last": last})
        link = session.execute(_FIRST_BROKEN_LINK).first()
        if link is not None:
            path = f"types[{link.type_no}].history[{link.place}].undoes"
            order = 2 if link.rule == "UNDO_MISMATCH" else 0 if link.undoes_first else 1
            add((link.event_no, link.type_no, 1, 0, order), path, link.rule)
    return min(found, key=lambda candidate: candidate[0])[1] if found else None


def check_into_tables(session: Session, body: Buffer) -> Checked:
    """The file checked into import_rows, import_types and import_groups, or ERR_IMPORT_INVALID
    for its first broken rule."""
    session.execute(CREATE_IMPORT_ROWS)
    cursor = session.connection().connection.cursor()
    # Binary COPY: the rows go in as they are checked, a few times faster than COPY's text.
    with cursor.copy(COPY_IMPORT_ROWS) as copy:
        copy.set_types(COPY_TYPES)
        checked = check_backup(body, copy.write_row)
    session.execute(_COPY_TYPE_ROWS)
    session.execute(_COPY_GROUP_ROWS)
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
# The file's groups the database does not hold (by name key), and all of them (a replace
# empties the database first). Groups read after the check stopped (group_no -1) never get here.
_COUNT_NEW_GROUPS = text(
    """
    SELECT count(*) FROM import_groups AS r
    WHERE NOT EXISTS (SELECT FROM groups AS g WHERE g.name_key = r.name_key)
    """
)
_COUNT_GROUPS = text("SELECT count(*) FROM import_groups")
_CREATE_GROUPS = text(
    """
    INSERT INTO groups (name, name_key, created_at)
    SELECT r.name, r.name_key, coalesce(r.created_at, now())
    FROM import_groups AS r
    WHERE NOT EXISTS (SELECT FROM groups AS g WHERE g.name_key = r.name_key)
    ORDER BY r.group_no
    """
)
# A new type takes its group and notes from the file.
_CREATE_TYPES = text(
    """
    INSERT INTO miniature_types (name, name_key, created_at, group_id, notes)
    SELECT r.name, r.name_key, coalesce(r.created_at, now()), g.id, coalesce(r.notes, '')
    FROM import_types AS r
    LEFT JOIN groups AS g ON g.name_key = r.group_key
    WHERE NOT EXISTS (SELECT FROM miniature_types AS t WHERE t.name_key = r.name_key)
    ORDER BY r.type_no
    """
)
# A type that was there keeps its group if it has one, and its notes unless they are empty;
# else it takes the file's.
_MERGE_GROUPS_AND_NOTES = text(
    """
    UPDATE miniature_types AS t
    SET group_id = coalesce(t.group_id, g.id),
        notes = CASE WHEN t.notes = '' THEN coalesce(r.notes, '') ELSE t.notes END
    FROM import_types AS r
    LEFT JOIN groups AS g ON g.name_key = r.group_key
    WHERE t.name_key = r.name_key
      AND ((t.group_id IS NULL AND g.id IS NOT NULL) OR (t.notes = '' AND r.notes <> ''))
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


# What a replace would delete: what the database holds now.
_HELD = select(
    func.count(MiniatureType.id),
    select(func.coalesce(func.sum(StageCount.count), 0)).scalar_subquery(),
)


def apply_checked(
    session: Session, checked: Checked, *, replace: bool, dry_run: bool
) -> ImportSummary:
    """Copies the checked rows into the tables, under the import's lock (hold_off_writers); a
    dry run stops after the limits, and a replace dry run counts what it would delete."""
    merged = groups = 0
    if not replace:
        _check_limits(session)
        merged = session.execute(_MERGED).scalar_one()
    if checked.groups:
        groups = session.execute(_COUNT_GROUPS if replace else _COUNT_NEW_GROUPS).scalar_one()
    summary = ImportSummary(
        types_created=checked.types - merged,
        types_merged=merged,
        events_added=checked.events,
        groups_created=groups,
    )
    if dry_run:
        if replace:
            summary.types_deleted, summary.miniatures_deleted = session.execute(_HELD).one()
        return summary
    if replace:
        for table in (HistoryEvent, StageCount, MiniatureType, Group):
            session.execute(delete(table).execution_options(synchronize_session=False))
    if checked.groups:
        session.execute(_CREATE_GROUPS)
    if merged:
        session.execute(_MERGE_GROUPS_AND_NOTES)
    session.execute(_CREATE_TYPES)
    session.execute(_FIVE_COUNTS, {"stages": [stage.value for stage in STAGES]})
    session.execute(_ADD_COUNTS)
    if checked.events:
        last = session.execute(_RESERVE_IDS, {"count": checked.events}).scalar_one()
        session.execute(_APPEND_EVENTS, {"first": last - checked.events + 1})
    return summary


def drop_import_tables(session: Session) -> None:
    session.execute(_DROP_IMPORT_TABLES)
