"""An event is found by its id through the primary key only, whatever the statistics say.

While the table's statistics said it was empty (it had been emptied and analysed, and then a
statement wrote many events), PostgreSQL 18 looked the event each undo names up through the
index of a type's events in time order: the foreign key's check, by id, with a skip scan of
(type_id, created_at, id); the same-type check of 0006, by id and type, by walking the type's
events. Writing 200,000 undos into one type ran for many minutes instead of seconds.

So that index holds (type_id, created_at), without the id, and the same-type check looks the
event up by id alone, then compares its type: only the primary key can serve either lookup.
The rule is unchanged: an undo names an existing event of its own type. Reading a type's
history in (created_at, id) order loses nothing that shows: the events that share a time are
few and sorted in memory.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FUNCTION = """
CREATE OR REPLACE FUNCTION history_events_undoes_same_type() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.undoes IS NOT NULL AND ({undone_is_of_another_type}) THEN
        RAISE EXCEPTION 'event % undoes event %, which is not of its type', NEW.id, NEW.undoes
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'undoes_same_type';
    END IF;
    IF TG_OP = 'UPDATE' AND EXISTS (
        SELECT FROM history_events WHERE undoes = NEW.id AND type_id <> NEW.type_id
    ) THEN
        RAISE EXCEPTION 'event % is undone by an event of another type', NEW.id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'undoes_same_type';
    END IF;
    RETURN NULL;
END
$$
"""
# A missing event gives NULL, which is distinct from every type: refused, as before.
_BY_ID = "(SELECT type_id FROM history_events WHERE id = NEW.undoes) IS DISTINCT FROM NEW.type_id"
_BY_ID_AND_TYPE = (
    "NOT EXISTS (SELECT FROM history_events WHERE id = NEW.undoes AND type_id = NEW.type_id)"
)


def upgrade() -> None:
    op.drop_index("ix_history_events_type_time", table_name="history_events")
    op.create_index("ix_history_events_type_time", "history_events", ["type_id", "created_at"])
    op.execute(_FUNCTION.format(undone_is_of_another_type=_BY_ID))


def downgrade() -> None:
    op.execute(_FUNCTION.format(undone_is_of_another_type=_BY_ID_AND_TYPE))
    op.drop_index("ix_history_events_type_time", table_name="history_events")
    op.create_index(
        "ix_history_events_type_time", "history_events", ["type_id", "created_at", "id"]
    )
