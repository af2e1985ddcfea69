"""The name key reads names as a person would: NFKC, invisible characters removed, whitespace
collapsed. Every type's key is recomputed; where two names now share a key, the later-created
one gets " (2)" (" (3)", ...) appended, and nothing else changes.

The way up uses the app's key as it is now: a later change of the key comes with its own
migration, which recomputes it again. The way down needs the key of 0001, kept here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from backend.names import name_key
from backend.renaming import UNIQUE_KEY, recompute_names

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def key_before_0002(name: str) -> str:
    """The key of revision 0001, kept here for the way down: trimmed, NFC, case-folded, ё = е."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())
    return folded.replace("ё", "е")


def upgrade() -> None:
    # Without the constraint while keys change: a key may move to one another type still holds.
    op.drop_constraint(UNIQUE_KEY, "miniature_types", type_="unique")
    # NFKC can make one character eighteen (U+FDFA): the key has no length of its own.
    op.alter_column("miniature_types", "name_key", type_=sa.String(), existing_type=sa.String(400))
    recompute_names(op.get_bind(), name_key)
    op.create_unique_constraint(UNIQUE_KEY, "miniature_types", ["name_key"])


def downgrade() -> None:
    op.drop_constraint(UNIQUE_KEY, "miniature_types", type_="unique")
    recompute_names(op.get_bind(), key_before_0002)
    op.alter_column("miniature_types", "name_key", type_=sa.String(400), existing_type=sa.String())
    op.create_unique_constraint(UNIQUE_KEY, "miniature_types", ["name_key"])
