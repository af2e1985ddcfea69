"""Undo: an event may reverse an earlier event of the same type, at most once.

`undoes` links an undo event to the event it reverses. An undo of an addition takes the
miniatures away, so its `to_stage` is NULL: that is the only event without one.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = "'IN_BOX', 'BUILDING', 'PRIMING', 'PAINTING', 'DONE'"


def upgrade() -> None:
    op.add_column("history_events", sa.Column("undoes", sa.BigInteger(), nullable=True))
    op.alter_column("history_events", "to_stage", existing_type=sa.String(16), nullable=True)
    op.drop_constraint(op.f("ck_history_events_to_stage_known"), "history_events", type_="check")
    op.create_check_constraint(
        op.f("ck_history_events_to_stage_known"),
        "history_events",
        f"to_stage IS NULL OR to_stage IN ({STAGES})",
    )
    op.create_check_constraint(
        op.f("ck_history_events_lands_or_undoes"),
        "history_events",
        "(undoes IS NULL AND to_stage IS NOT NULL) "
        "OR (undoes IS NOT NULL AND from_stage IS NOT NULL)",
    )
    op.create_check_constraint(
        op.f("ck_history_events_undoes_another"), "history_events", "undoes <> id"
    )
    op.create_unique_constraint(
        op.f("uq_history_events_type_id_id"), "history_events", ["type_id", "id"]
    )
    op.create_unique_constraint(op.f("uq_history_events_undoes"), "history_events", ["undoes"])
    op.create_foreign_key(
        op.f("fk_history_events_undoes_same_type"),
        "history_events",
        "history_events",
        ["type_id", "undoes"],
        ["type_id", "id"],
        ondelete="CASCADE",
    )


def downgrade() -> None:
    # The old schema cannot say "undone": going back would silently bring undone mistakes
    # back into the counts' history. Refuse instead of losing that.
    undo_events = op.get_bind().execute(
        sa.text("SELECT count(*) FROM history_events WHERE undoes IS NOT NULL")
    )
    if undo_events.scalar_one():
        raise RuntimeError(
            "cannot downgrade: the history holds undo events, which the older schema cannot "
            "represent; export a backup and start from an empty database instead"
        )
    op.drop_constraint(
        op.f("fk_history_events_undoes_same_type"), "history_events", type_="foreignkey"
    )
    op.drop_constraint(op.f("uq_history_events_undoes"), "history_events", type_="unique")
    op.drop_constraint(op.f("uq_history_events_type_id_id"), "history_events", type_="unique")
    op.drop_constraint(op.f("ck_history_events_undoes_another"), "history_events", type_="check")
    op.drop_constraint(op.f("ck_history_events_lands_or_undoes"), "history_events", type_="check")
    op.drop_constraint(op.f("ck_history_events_to_stage_known"), "history_events", type_="check")
    op.create_check_constraint(
        op.f("ck_history_events_to_stage_known"), "history_events", f"to_stage IN ({STAGES})"
    )
    op.alter_column("history_events", "to_stage", existing_type=sa.String(16), nullable=False)
    op.drop_column("history_events", "undoes")
