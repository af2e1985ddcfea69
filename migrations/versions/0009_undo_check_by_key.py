"""The same-type undo check (0006) looks the undone event up by its primary key alone.

0006 asked for `id = NEW.undoes AND type_id = NEW.type_id`. While the table's statistics
still said it was empty (right after it was emptied, until the next analyze), the planner
answered that from the (type_id, created_at) index, walking every event of the type for each
undo: a statement writing 200,000 undos into one type ran for over ten minutes, where the key
lookup takes a second. The rule is unchanged: an undo must name an existing event of its own
type.

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
    IF NEW.undoes IS NOT NULL AND (
        {undone_is_of_another_type}
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
# A missing event gives NULL, which is distinct from any type: refused, as before.
_BY_KEY = "(SELECT type_id FROM history_events WHERE id = NEW.undoes) IS DISTINCT FROM NEW.type_id"
_BY_KEY_AND_TYPE = (
    "NOT EXISTS (SELECT FROM history_events WHERE id = NEW.undoes AND type_id = NEW.type_id)"
)


def upgrade() -> None:
    op.execute(_FUNCTION.format(undone_is_of_another_type=_BY_KEY))


def downgrade() -> None:
    op.execute(_FUNCTION.format(undone_is_of_another_type=_BY_KEY_AND_TYPE))
