"""Groups and notes: a type may belong to one group (an army, a faction, a project), and has
free-text notes (a paint recipe).

Groups are named as types are (the same name key, unique among groups). Deleting a group
leaves its types ungrouped (ON DELETE SET NULL); every existing type starts with no group and
empty notes.

The way down would lose the groups and the notes, so it refuses while any exists: export a
backup first, and delete them (or start from an empty database).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MAX_NOTES_LENGTH = 10_000  # as backend.limits says today: a migration keeps its own numbers


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
        sa.UniqueConstraint("name_key", name=op.f("uq_groups_name_key")),
    )
    op.add_column("miniature_types", sa.Column("group_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_miniature_types_group_id_groups"),
        "miniature_types",
        "groups",
        ["group_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_index(op.f("ix_miniature_types_group_id"), "miniature_types", ["group_id"])
    op.add_column(
        "miniature_types",
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_miniature_types_notes_length"),
        "miniature_types",
        f"char_length(notes) <= {MAX_NOTES_LENGTH}",
    )


def downgrade() -> None:
    held = op.get_bind().execute(
        sa.text(
            "SELECT (SELECT count(*) FROM groups) + "
            "(SELECT count(*) FROM miniature_types WHERE notes <> '')"
        )
    )
    if held.scalar_one():
        raise RuntimeError(
            "cannot downgrade: the database holds groups or notes, which the older schema "
            "cannot represent; export a backup and start from an empty database instead"
        )
    op.drop_constraint(op.f("ck_miniature_types_notes_length"), "miniature_types", type_="check")
    op.drop_column("miniature_types", "notes")
    op.drop_index(op.f("ix_miniature_types_group_id"), table_name="miniature_types")
    op.drop_constraint(
        op.f("fk_miniature_types_group_id_groups"), "miniature_types", type_="foreignkey"
    )
    op.drop_column("miniature_types", "group_id")
    op.drop_table("groups")
