"""Initial schema: types, their five stage counts, and the append-only history.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = "'IN_BOX', 'BUILDING', 'PRIMING', 'PAINTING', 'DONE'"


def upgrade() -> None:
    op.create_table(
        "miniature_types",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=400), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_miniature_types")),
        sa.UniqueConstraint("name_key", name=op.f("uq_miniature_types_name_key")),
    )
    op.create_table(
        "stage_counts",
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint(f"stage IN ({STAGES})", name=op.f("ck_stage_counts_stage_known")),
        sa.CheckConstraint("count BETWEEN 0 AND 1000000", name=op.f("ck_stage_counts_count_range")),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["miniature_types.id"],
            name=op.f("fk_stage_counts_type_id_miniature_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("type_id", "stage", name=op.f("pk_stage_counts")),
    )
    op.create_table(
        "history_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", sa.String(length=16), nullable=True),
        sa.Column("to_stage", sa.String(length=16), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            f"from_stage IS NULL OR from_stage IN ({STAGES})",
            name=op.f("ck_history_events_from_stage_known"),
        ),
        sa.CheckConstraint(
            f"to_stage IN ({STAGES})", name=op.f("ck_history_events_to_stage_known")
        ),
        sa.CheckConstraint(
            "from_stage IS DISTINCT FROM to_stage", name=op.f("ck_history_events_moves_somewhere")
        ),
        sa.CheckConstraint("qty > 0", name=op.f("ck_history_events_qty_positive")),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["miniature_types.id"],
            name=op.f("fk_history_events_type_id_miniature_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history_events")),
    )
    op.create_index(
        "ix_history_events_type_time",
        "history_events",
        ["type_id", "created_at", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_history_events_type_time", table_name="history_events")
    op.drop_table("history_events")
    op.drop_table("stage_counts")
    op.drop_table("miniature_types")
