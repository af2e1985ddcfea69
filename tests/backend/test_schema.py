"""The schema: migrations go up, down and up again, match the models, and the database
itself refuses what the rules forbid, whatever the code does."""

from collections.abc import Callable, Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from backend.db import make_engine
from backend.migrate import downgrade_database, upgrade_database
from backend.models import Base

APP_TABLES = {"groups", "miniature_types", "stage_counts", "history_events", "device_sessions"}


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_go_up_down_and_up_again(database_factory: Callable[[], str]) -> None:
    url = database_factory()
    upgrade_database(url)
    assert table_names(url) >= APP_TABLES
    downgrade_database(url, "base")
    assert not APP_TABLES & table_names(url)
    upgrade_database(url)
    assert table_names(url) >= APP_TABLES


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.fixture
def conn(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


def new_type(conn: Connection, name_key: str) -> int:
    type_id: int = conn.execute(
        text("INSERT INTO miniature_types (name, name_key) VALUES (:k, :k) RETURNING id"),
        {"k": name_key},
    ).scalar_one()
    conn.execute(
        text("INSERT INTO stage_counts (type_id, stage, count) VALUES (:t, 'IN_BOX', 5)"),
        {"t": type_id},
    )
    return type_id


def refused(conn: Connection, sql: str, **params: object) -> bool:
    savepoint = conn.begin_nested()
    try:
        conn.execute(text(sql), params)
    except IntegrityError:
        savepoint.rollback()
        return True
    savepoint.rollback()
    return False


def test_database_refuses_negative_and_huge_counts(conn: Connection) -> None:
    type_id = new_type(conn, "orks")
    assert refused(conn, "UPDATE stage_counts SET count = -1 WHERE type_id = :t", t=type_id)
    assert refused(conn, "UPDATE stage_counts SET count = 1000001 WHERE type_id = :t", t=type_id)
    assert not refused(
        conn, "UPDATE stage_counts SET count = 1000000 WHERE type_id = :t", t=type_id
    )


def test_database_refuses_duplicate_name_key_and_stage_row(conn: Connection) -> None:
    type_id = new_type(conn, "orks")
    assert refused(conn, "INSERT INTO miniature_types (name, name_key) VALUES ('Orks', 'orks')")
    assert refused(
        conn,
        "INSERT INTO stage_counts (type_id, stage, count) VALUES (:t, 'IN_BOX', 1)",
        t=type_id,
    )
    assert refused(
        conn, "INSERT INTO stage_counts (type_id, stage, count) VALUES (:t, 'SOLD', 1)", t=type_id
    )


def test_database_refuses_bad_events(conn: Connection) -> None:
    type_id = new_type(conn, "orks")
    insert = "INSERT INTO history_events (type_id, from_stage, to_stage, qty) VALUES "
    assert refused(conn, insert + "(:t, NULL, 'IN_BOX', 0)", t=type_id)
    assert refused(conn, insert + "(:t, 'DONE', 'DONE', 1)", t=type_id)
    assert refused(conn, insert + "(:t, NULL, 'SOLD', 1)", t=type_id)
    assert refused(conn, insert + "(999999, NULL, 'IN_BOX', 1)")
    assert not refused(conn, insert + "(:t, NULL, 'IN_BOX', 1)", t=type_id)


def test_deleting_a_type_takes_its_counts_and_history(conn: Connection) -> None:
    type_id = new_type(conn, "orks")
    conn.execute(
        text("INSERT INTO history_events (type_id, to_stage, qty) VALUES (:t, 'IN_BOX', 5)"),
        {"t": type_id},
    )
    conn.execute(text("DELETE FROM miniature_types WHERE id = :t"), {"t": type_id})
    for table in ("stage_counts", "history_events"):
        left = conn.execute(
            text(f"SELECT count(*) FROM {table} WHERE type_id = :t"), {"t": type_id}
        ).scalar_one()
        assert left == 0


def test_database_url_forms_are_normalised(pg_url: str) -> None:
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    engine = make_engine(plain)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar_one() == 1
            assert connection.execute(text("SHOW timezone")).scalar_one() == "UTC"
    finally:
        engine.dispose()


def undo_revisions() -> tuple[str, str]:
    """The revision that adds undo links, and the one before it."""
    from alembic.script import ScriptDirectory

    from backend.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("postgresql://unused"))
    (revision,) = [r for r in script.walk_revisions() if (r.doc or "").startswith("Undo:")]
    assert isinstance(revision.down_revision, str)
    return revision.revision, revision.down_revision


def test_undo_migration_keeps_every_event_up_down_and_up(
    database_factory: Callable[[], str],
) -> None:
    url = database_factory()
    undo_revision, before_undo = undo_revisions()
    upgrade_database(url, before_undo)
    engine = make_engine(url)
    events = "SELECT type_id, from_stage, to_stage, qty, created_at FROM history_events ORDER BY id"
    try:
        with engine.begin() as conn:
            type_id = new_type(conn, "orks")
            conn.execute(
                text(
                    "INSERT INTO history_events (type_id, from_stage, to_stage, qty, created_at) "
                    "VALUES (:t, NULL, 'IN_BOX', 5, '2026-11-01T09:00:00Z'), "
                    "(:t, 'IN_BOX', 'DONE', 2, '2026-11-02T09:00:00Z')"
                ),
                {"t": type_id},
            )
            kept = conn.execute(text(events)).all()
        upgrade_database(url, undo_revision)
        with engine.begin() as conn:
            assert conn.execute(text(events)).all() == kept
        downgrade_database(url, before_undo)  # no undo events: nothing to lose
        with engine.begin() as conn:
            assert conn.execute(text(events)).all() == kept
        upgrade_database(url)
        with engine.begin() as conn:
            assert conn.execute(text(events)).all() == kept
            first = conn.execute(text("SELECT min(id) FROM history_events")).scalar_one()
            # Now an undo event exists: going back would lose it, so the downgrade refuses.
            conn.execute(
                text(
                    "INSERT INTO history_events (type_id, from_stage, to_stage, qty, undoes) "
                    "VALUES (:t, 'IN_BOX', NULL, 5, :e)"
                ),
                {"t": type_id, "e": first},
            )
        with pytest.raises(RuntimeError, match="undo events"):
            downgrade_database(url, before_undo)
        with engine.begin() as conn:
            assert len(conn.execute(text(events)).all()) == 3
    finally:
        engine.dispose()


def test_database_keeps_undo_links_honest(conn: Connection) -> None:
    type_id = new_type(conn, "orks")
    insert = "INSERT INTO history_events (type_id, from_stage, to_stage, qty, undoes) VALUES "
    event = conn.execute(
        text(insert + "(:t, NULL, 'IN_BOX', 5, NULL) RETURNING id"), {"t": type_id}
    ).scalar_one()
    # An event that does not exist, itself, no stage left from, another type's event.
    assert refused(conn, insert + "(:t, 'IN_BOX', NULL, 5, :e)", t=type_id, e=event + 1000)
    assert refused(
        conn,
        "INSERT INTO history_events (id, type_id, from_stage, to_stage, qty, undoes) "
        "VALUES (:e, :t, 'IN_BOX', NULL, 5, :e)",
        t=type_id,
        e=event + 1000,
    )
    assert refused(conn, insert + "(:t, NULL, 'IN_BOX', 5, :e)", t=type_id, e=event)
    other = new_type(conn, "eldar")
    assert refused(conn, insert + "(:t, 'IN_BOX', NULL, 5, :e)", t=other, e=event)
    # An ordinary event must land somewhere.
    assert refused(conn, insert + "(:t, 'IN_BOX', NULL, 5, NULL)", t=type_id)
    # Undone once, and only once.
    undo = conn.execute(
        text(insert + "(:t, 'IN_BOX', NULL, 5, :e) RETURNING id"), {"t": type_id, "e": event}
    ).scalar_one()
    assert refused(conn, insert + "(:t, 'IN_BOX', NULL, 5, :e)", t=type_id, e=event)
    # Neither side of a link moves to another type.
    move = "UPDATE history_events SET type_id = :t WHERE id = :e"
    assert refused(conn, move, t=other, e=undo)
    assert refused(conn, move, t=other, e=event)
    # An import writes many rows in one statement: an undo may come before the event it names.
    assert not refused(
        conn,
        "INSERT INTO history_events (id, type_id, from_stage, to_stage, qty, undoes) "
        "VALUES (:e + 2, :t, 'IN_BOX', NULL, 1, :e + 1), (:e + 1, :t, NULL, 'IN_BOX', 1, NULL)",
        t=other,
        e=undo + 1000,
    )


def test_groups_migration_keeps_every_type_up_down_and_up(
    database_factory: Callable[[], str],
) -> None:
    """0007 adds groups and notes: existing types start in no group with empty notes, and the
    way down refuses while a group or a note would be lost."""
    url = database_factory()
    upgrade_database(url, "0006")
    engine = make_engine(url)
    types = "SELECT id, name, name_key, created_at FROM miniature_types ORDER BY id"
    counts = "SELECT type_id, stage, count FROM stage_counts ORDER BY type_id, stage"
    try:
        with engine.begin() as conn:
            orks = new_type(conn, "orks")
            new_type(conn, "eldar")
            kept = (conn.execute(text(types)).all(), conn.execute(text(counts)).all())
        upgrade_database(url, "0007")
        with engine.begin() as conn:
            assert (conn.execute(text(types)).all(), conn.execute(text(counts)).all()) == kept
            fresh = "SELECT DISTINCT group_id, notes FROM miniature_types"
            assert conn.execute(text(fresh)).all() == [(None, "")]
            group = conn.execute(
                text("INSERT INTO groups (name, name_key) VALUES ('Orks', 'orks') RETURNING id")
            ).scalar_one()
            conn.execute(
                text("UPDATE miniature_types SET group_id = :g, notes = 'Goff' WHERE id = :t"),
                {"g": group, "t": orks},
            )
        with pytest.raises(RuntimeError, match="groups or notes"):
            downgrade_database(url, "0006")
        with engine.begin() as conn:
            conn.execute(text("UPDATE miniature_types SET notes = ''"))
        with pytest.raises(RuntimeError, match="groups or notes"):
            downgrade_database(url, "0006")  # the group is still there
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM groups"))
            # Its type stays, in no group.
            assert conn.execute(text(fresh)).all() == [(None, "")]
        downgrade_database(url, "0006")
        with engine.begin() as conn:
            assert (conn.execute(text(types)).all(), conn.execute(text(counts)).all()) == kept
        assert "groups" not in table_names(url)
        upgrade_database(url)
        with engine.begin() as conn:
            assert (conn.execute(text(types)).all(), conn.execute(text(counts)).all()) == kept
    finally:
        engine.dispose()


def test_database_keeps_groups_and_notes_honest(conn: Connection) -> None:
    orks = new_type(conn, "orks")
    group = conn.execute(
        text("INSERT INTO groups (name, name_key) VALUES ('Orks', 'orks') RETURNING id")
    ).scalar_one()
    # A group name key is unique among groups (a type may share it).
    assert refused(conn, "INSERT INTO groups (name, name_key) VALUES ('ORKS', 'orks')")
    # A type names a group that exists; its notes stay within the limit.
    assert refused(
        conn, "UPDATE miniature_types SET group_id = :g WHERE id = :t", g=group + 1, t=orks
    )
    assert refused(
        conn, "UPDATE miniature_types SET notes = repeat('я', 10001) WHERE id = :t", t=orks
    )
    assert not refused(
        conn, "UPDATE miniature_types SET notes = repeat('я', 10000) WHERE id = :t", t=orks
    )
    conn.execute(
        text("UPDATE miniature_types SET group_id = :g WHERE id = :t"), {"g": group, "t": orks}
    )
    conn.execute(text("DELETE FROM groups WHERE id = :g"), {"g": group})
    left = conn.execute(text("SELECT group_id FROM miniature_types WHERE id = :t"), {"t": orks})
    assert left.scalar_one() is None


def test_sessions_migration_goes_up_down_and_up_leaving_the_collection(
    database_factory: Callable[[], str],
) -> None:
    """0008 adds the sessions of other devices; going back drops them (a device then pairs
    again) and touches nothing of the collection."""
    url = database_factory()
    upgrade_database(url, "0007")
    engine = make_engine(url)
    session = (
        "INSERT INTO device_sessions (token_hash, label, created_at, last_seen_at) "
        "VALUES (:h, 'Android · Chrome', now(), now())"
    )
    try:
        with engine.begin() as conn:
            new_type(conn, "orks")
        assert "device_sessions" not in table_names(url)
        upgrade_database(url, "0008")
        with engine.begin() as conn:
            conn.execute(text(session), {"h": bytes(32)})
            assert refused(conn, session, h=bytes(32))  # one row per cookie hash
            assert refused(conn, session, h=bytes(16))  # a SHA-256, nothing else
        downgrade_database(url, "0007")
        assert "device_sessions" not in table_names(url)
        upgrade_database(url)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT count(*) FROM device_sessions")).scalar_one() == 0
            assert conn.execute(text("SELECT name FROM miniature_types")).scalars().all() == [
                "orks"
            ]
    finally:
        engine.dispose()
