"""A name is one line of text: control characters (U+0001-U+001F, U+007F-U+009F: a tab, a
line break, a bell) in stored names become spaces, and the key reads them as spaces too. Where
two names now share a key, the later-created one gets " (2)" (" (3)", ...) appended, and
nothing else changes. A name of nothing but control characters is left as it was, as 0002 left
invisible-only names: its owner can rename it.

The way down keeps the names (they are valid names before this revision too) and recomputes
the keys as they were: the key of 0003, kept here, which differs only for control characters.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import unicodedata
from collections.abc import Sequence

import regex
from alembic import op

from backend.names import clean_name, name_key
from backend.renaming import UNIQUE_KEY, recompute_names

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
_SPACES = regex.compile(r"\p{White_Space}+")


def key_before_0004(name: str) -> str:
    """The key of revisions 0002 and 0003: control characters other than whitespace kept."""
    text = unicodedata.normalize("NFKC", _IGNORABLE.sub("", name))
    text = unicodedata.normalize("NFKC", text.casefold())
    text = _SPACES.sub(" ", _IGNORABLE.sub("", text)).strip(" ")
    return text.replace("ё", "е")


def without_controls(name: str) -> str:
    cleaned = clean_name(name)
    return cleaned if name_key(cleaned) else name


def upgrade() -> None:
    op.drop_constraint(UNIQUE_KEY, "miniature_types", type_="unique")
    recompute_names(op.get_bind(), name_key, without_controls)
    op.create_unique_constraint(UNIQUE_KEY, "miniature_types", ["name_key"])


def downgrade() -> None:
    op.drop_constraint(UNIQUE_KEY, "miniature_types", type_="unique")
    recompute_names(op.get_bind(), key_before_0004)
    op.create_unique_constraint(UNIQUE_KEY, "miniature_types", ["name_key"])
