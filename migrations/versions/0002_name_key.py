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
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from backend.names import MAX_NAME_LENGTH, name_key

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNIQUE_KEY = "uq_miniature_types_name_key"


def key_before_0002(name: str) -> str:
    """The key of revision 0001, kept here for the way down: trimmed, NFC, case-folded, ё = е."""
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())
    return folded.replace("ё", "е")


def suffixed(name: str, number: int) -> str:
    """The name with " (n)" appended, shortened first if it would pass the length limit."""
    suffix = f" ({number})"
    return name[: MAX_NAME_LENGTH - len(suffix)] + suffix


def rekeyed(types: Sequence[tuple[int, str]], key: Callable[[str], str]) -> list[dict[str, object]]:
    """New names and keys for types given oldest first: the first name of each key keeps it;
    each later one takes the lowest " (n)" from 2 whose key no other type holds."""
    keys = [key(name) for _, name in types]
    first_of_key = {k: type_id for (type_id, _), k in reversed(list(zip(types, keys, strict=True)))}
    taken = set(first_of_key)
    rows: list[dict[str, object]] = []
    for (type_id, name), k in zip(types, keys, strict=True):
        if first_of_key[k] != type_id:
            number = 2
            while key(suffixed(name, number)) in taken:
                number += 1
            name, k = suffixed(name, number), key(suffixed(name, number))
            taken.add(k)
        rows.append({"id": type_id, "name": name, "name_key": k})
    return rows


def recompute_keys(key: Callable[[str], str]) -> None:
    connection = op.get_bind()
    types = connection.execute(
        sa.text("SELECT id, name FROM miniature_types ORDER BY created_at, id")
    ).all()
    rows = rekeyed([(row.id, row.name) for row in types], key)
    if rows:
        connection.execute(
            sa.text("UPDATE miniature_types SET name = :name, name_key = :name_key WHERE id = :id"),
            rows,
        )


def upgrade() -> None:
    # Without the constraint while keys change: a key may move to one another type still holds.
    op.drop_constraint(UNIQUE_KEY, "miniature_types", type_="unique")
    # NFKC can make one character eighteen (U+FDFA): the key has no length of its own.
    op.alter_column("miniature_types", "name_key", type_=sa.String(), existing_type=sa.String(400))
    recompute_keys(name_key)
    op.create_unique_constraint(UNIQUE_KEY, "miniature_types", ["name_key"])


def downgrade() -> None:
    op.drop_constraint(UNIQUE_KEY, "miniature_types", type_="unique")
    recompute_keys(key_before_0002)
    op.alter_column("miniature_types", "name_key", type_=sa.String(400), existing_type=sa.String())
    op.create_unique_constraint(UNIQUE_KEY, "miniature_types", ["name_key"])
