"""The database again refuses an undo that names another type's event.

0005 dropped the foreign key from (type_id, undoes) to (type_id, id), and with it the unique
index it needed, to spare the many events that undo nothing. A constraint trigger now checks
only the events that do undo something: the event they name is of their own type. It runs at
the end of each statement, as a foreign key's check does, so an import's COPY may write an undo
before the event it names. The other side is checked too: an event that has been undone keeps
its type. The app's writers, undo and import, already link only within one type's history;
this makes the database say so whatever the code does, as it does for every other rule.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHECK = """
CREATE FUNCTION history_events_undoes_same_type() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.undoes IS NOT NULL AND NOT EXISTS (
        SELECT FROM history_events WHERE id = NEW.undoes AND type_id = NEW.type_id
    ) THEN
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


def upgrade() -> None:
    op.execute(_CHECK)
    # Two triggers, one function: an insert pays only when it is an undo.
    op.execute(
        "CREATE CONSTRAINT TRIGGER undoes_same_type AFTER INSERT ON history_events "
        "FOR EACH ROW WHEN (NEW.undoes IS NOT NULL) "
        "EXECUTE FUNCTION history_events_undoes_same_type()"
    )
    op.execute(
        "CREATE CONSTRAINT TRIGGER undoes_same_type_kept AFTER UPDATE OF type_id, undoes "
        "ON history_events FOR EACH ROW EXECUTE FUNCTION history_events_undoes_same_type()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER undoes_same_type_kept ON history_events")
    op.execute("DROP TRIGGER undoes_same_type ON history_events")
    op.execute("DROP FUNCTION history_events_undoes_same_type()")
