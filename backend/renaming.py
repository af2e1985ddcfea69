"""For the migrations that change how names are stored or keyed: every type's name and key
recomputed, and where two names come to share a key, the later-created one told apart by
" (2)" (" (3)", ...), as the contract says. Nothing else of a type changes."""

from collections.abc import Callable, Sequence

import sqlalchemy as sa

from backend.limits import MAX_NAME_LENGTH

UNIQUE_KEY = "uq_miniature_types_name_key"


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


def recompute_names(
    connection: sa.Connection,
    key: Callable[[str], str],
    stored: Callable[[str], str] = lambda name: name,
) -> None:
    """Every type's name becomes `stored(name)` and its key `key` of that, collisions told
    apart; run without the unique constraint on the key (a key may move to one another type
    still holds while the rows change)."""
    types = connection.execute(
        sa.text("SELECT id, name FROM miniature_types ORDER BY created_at, id")
    ).all()
    rows = rekeyed([(row.id, stored(row.name)) for row in types], key)
    if rows:
        connection.execute(
            sa.text("UPDATE miniature_types SET name = :name, name_key = :name_key WHERE id = :id"),
            rows,
        )
