"""Names that look the same are the same name: the name key, through the real API, the backup
import and the migration that recomputed the keys of existing types."""

import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from backend.db import make_engine
from backend.migrate import downgrade_database, upgrade_database
from backend.names import clean_name, name_key
from tests.backend.backup_helpers import document, export, post_import, state
from tests.backend.core_api import API, create_type, snapshot

# Read by the UI's tests too (ui/src/lib/names.test.ts): both sides compute these keys.
VECTORS = json.loads((Path(__file__).parents[1] / "name_keys.json").read_text("utf-8"))

TAKEN = (400, {"code": "ERR_NAME_TAKEN", "params": {}})
REQUIRED = (400, {"code": "ERR_NAME_REQUIRED", "params": {}})

# Unicode's Default_Ignorable_Code_Point, as DerivedCoreProperties.txt lists it.
DEFAULT_IGNORABLE = [
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810),
    *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0x3164,
    *range(0xFE00, 0xFE10), 0xFEFF, 0xFFA0, *range(0xFFF0, 0xFFF9), *range(0x1BCA0, 0x1BCA4),
    *range(0x1D173, 0x1D17B), *range(0xE0000, 0xE1000),
]  # fmt: skip
# Invisible-looking or format characters that are not default-ignorable: they stay in the key.
NOT_IGNORABLE = [0x0600, 0x06DD, 0x110BD, 0xFFF9, 0xFFFB, 0x13430, 0x034E, 0x0020, 0x00A0]


def error(response: Any) -> tuple[int, dict[str, Any]]:
    return response.status_code, response.json()


@pytest.mark.parametrize("vector", VECTORS, ids=[v["note"] for v in VECTORS])
def test_name_key_of_the_shared_list(vector: dict[str, str]) -> None:
    assert name_key(vector["name"]) == vector["key"]


def test_the_uis_list_of_characters_newer_than_the_servers_unicode_is_current() -> None:
    """The UI leaves alone what this Python's Unicode has not assigned: its list must match."""
    from tests.server_unicode import TARGET, typescript

    assert TARGET.read_text("utf-8") == typescript(), "run: python -m tests.server_unicode"


def test_every_default_ignorable_is_removed_and_nothing_else() -> None:
    for code in DEFAULT_IGNORABLE:
        assert name_key(f"a{chr(code)}b") == "ab", hex(code)
        assert clean_name(f"{chr(code)} Orks {chr(code)}") == "Orks", hex(code)
    for code in NOT_IGNORABLE:
        assert name_key(f"a{chr(code)}b") != "ab", hex(code)


def test_stored_name_keeps_inner_invisible_characters_and_is_nfc() -> None:
    assert clean_name("\u200f Blood\u00adAngels\u200b\n") == "Blood\u00adAngels"
    assert clean_name("Cafe\u0301\ufeff") == "Café"


@pytest.mark.parametrize(
    ("existing", "look_alike"),
    [
        ("Tau", "Tau\u200b"),
        ("Eldar", "\u200fEldar"),
        ("Knights", "Ｋｎｉｇｈｔｓ"),
        ("BloodAngels", "Blood\u00adAngels"),
        ("Necrons", "\u202eNecrons\u202c"),
        ("Space Marines", "Space \t  Marines"),
        ("Strasse", "STRAẞE"),
        ("Fire Warriors", "ﬁre warriors"),
        ("Ёлки", "ЕЛКИ"),
        ("Orks", "Orks\x07"),
        ("Blood Angels", "Blood\x1fAngels"),
        ("Tau", "\x85Tau\x9b"),
    ],
)
def test_a_look_alike_name_is_taken_on_create_and_rename(
    client: TestClient, existing: str, look_alike: str
) -> None:
    create_type(client, existing, IN_BOX=2)
    other = create_type(client, "Other")["id"]
    before = snapshot(client)
    assert error(client.post(f"{API}/types", json={"name": look_alike})) == TAKEN
    assert error(client.patch(f"{API}/types/{other}", json={"name": look_alike})) == TAKEN
    assert snapshot(client) == before


@pytest.mark.parametrize(
    "name",
    [
        *("\u200b", "\ufeff\u00ad", "\u202e", "\u200e\u200f", " \u3164 ", "\u2060\u180e"),
        *("\U000e0001", "\x07", "\x1c\x1d\x1e\x1f", "\x7f\x80\x9f", "\t\x1b\u200b"),
    ],
)
def test_invisible_only_names_are_required(client: TestClient, name: str) -> None:
    type_id = create_type(client, "Kept", IN_BOX=1)["id"]
    before = snapshot(client)
    assert error(client.post(f"{API}/types", json={"name": name})) == REQUIRED
    assert error(client.patch(f"{API}/types/{type_id}", json={"name": name})) == REQUIRED
    assert snapshot(client) == before


def test_name_is_stored_trimmed_of_invisible_edges_as_typed_inside(client: TestClient) -> None:
    created = create_type(client, "\u200f\u200b Blood\u00adAngels \ufeff")
    assert created["name"] == "Blood\u00adAngels"
    renamed = client.patch(f"{API}/types/{created['id']}", json={"name": "Ｋｎｉｇｈｔｓ\u200e"})
    assert renamed.json()["name"] == "Ｋｎｉｇｈｔｓ"


def test_control_characters_in_a_name_are_stored_as_spaces(client: TestClient) -> None:
    """A name is one line of text: a bell, a separator, a tab or a line break pasted into it
    shows as a space, never as an invisible difference between two names."""
    created = create_type(client, "\x07Blood\x1fAngels\x1c")
    assert created["name"] == "Blood Angels"
    renamed = client.patch(f"{API}/types/{created['id']}", json={"name": "Space\tMarines\r\n"})
    assert renamed.json()["name"] == "Space Marines"
    assert create_type(client, "\x85Tau\x7fEmpire\x9b")["name"] == "Tau Empire"
    found = client.get(f"{API}/types", params={"q": "space\x1emarines"}).json()
    assert [kind["name"] for kind in found] == ["Space Marines"]


def test_rename_to_a_look_alike_of_its_own_name_is_allowed(client: TestClient) -> None:
    type_id = create_type(client, "Knights")["id"]
    response = client.patch(f"{API}/types/{type_id}", json={"name": "Ｋｎｉｇｈｔｓ"})
    assert response.status_code == 200
    assert response.json()["name"] == "Ｋｎｉｇｈｔｓ"


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("knights", ["Ｋｎｉｇｈｔｓ of Tau"]),
        ("ＴＡＵ", ["Ｋｎｉｇｈｔｓ of Tau"]),
        ("\u200bof\u00ad tau", ["Ｋｎｉｇｈｔｓ of Tau"]),
        ("strasse", ["Straße der Orks"]),
        ("fire", ["ﬁre Warriors"]),
        ("r \t o", ["Straße der Orks"]),
        ("\u200b", ["ﬁre Warriors", "Ｋｎｉｇｈｔｓ of Tau", "Straße der Orks"]),
    ],
)
def test_search_compares_name_keys(client: TestClient, q: str, expected: list[str]) -> None:
    for name in ("Ｋｎｉｇｈｔｓ of Tau", "Straße der Orks", "ﬁre Warriors"):
        create_type(client, name)
    found = [t["name"] for t in client.get(f"{API}/types", params={"q": q}).json()]
    assert found == expected


def test_list_is_sorted_by_name_key_in_code_point_order(client: TestClient) -> None:
    names = ["Ｚebra", "\u200fapple", "Banana", "ﬁg", "ёж", "ель", "Äpfel", "\u00adcherry"]
    for name in names:
        create_type(client, name)
    listed = [t["name"] for t in client.get(f"{API}/types").json()]
    assert listed == ["apple", "Banana", "cherry", "ﬁg", "Ｚebra", "Äpfel", "ёж", "ель"]


def test_import_refuses_look_alike_names_within_the_file(client: TestClient) -> None:
    before = state(client)
    for names in (["Tau", "Orks", "Tau\u200b"], ["Knights", "Orks", "Ｋｎｉｇｈｔｓ"]):
        response = post_import(client, document(*({"name": name} for name in names)))
        assert error(response) == (
            400,
            {
                "code": "ERR_IMPORT_INVALID",
                "params": {"path": "types[2].name", "rule": "DUPLICATE_NAME"},
            },
        )
    assert state(client) == before


def test_import_stores_control_characters_as_spaces_and_compares_with_them(
    client: TestClient,
) -> None:
    before = state(client)
    response = post_import(client, document({"name": "Orks"}, {"name": "Orks\x07"}))
    assert error(response) == (
        400,
        {
            "code": "ERR_IMPORT_INVALID",
            "params": {"path": "types[1].name", "rule": "DUPLICATE_NAME"},
        },
    )
    response = post_import(client, document({"name": "Orks"}, {"name": "\x07\x1f"}))
    assert error(response) == (
        400,
        {
            "code": "ERR_IMPORT_INVALID",
            "params": {"path": "types[1].name", "rule": "NAME_REQUIRED"},
        },
    )
    assert state(client) == before
    assert post_import(client, document({"name": "Blood\x1fAngels\n"})).status_code == 200
    assert [entry["name"] for entry in export(client)["types"]] == ["Blood Angels"]


def test_import_refuses_invisible_only_names(client: TestClient) -> None:
    before = state(client)
    response = post_import(client, document({"name": "Orks"}, {"name": "\u200b\u00ad"}))
    assert error(response) == (
        400,
        {
            "code": "ERR_IMPORT_INVALID",
            "params": {"path": "types[1].name", "rule": "NAME_REQUIRED"},
        },
    )
    assert state(client) == before


def test_import_merges_into_a_look_alike_name(client: TestClient) -> None:
    create_type(client, "Knights", IN_BOX=1)
    response = post_import(
        client, document({"name": "\u200fＫＮＩＧＨＴＳ", "counts": {"IN_BOX": 2}})
    )
    assert (response.json()["types_created"], response.json()["types_merged"]) == (0, 1)
    (entry,) = export(client)["types"]
    assert (entry["name"], entry["counts"]["IN_BOX"]) == ("Knights", 3)


# The migration that brought this key: existing types keep everything but the key, and where
# two names now share a key the later-created one is told apart by " (2)", " (3)", ...


def key_of_revision_0001(name: str) -> str:
    """The key revision 0001 stored, written out here as the data it left behind."""
    import unicodedata

    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", name.strip()).casefold())
    return folded.replace("ё", "е")


def add_old_types(
    engine: Engine, types: list[tuple[str, int]], old_key: Callable[[str], str]
) -> None:
    """Types as an earlier revision left them: (name, created on day n of November), ids in
    list order, each with a count and an event of its id's number."""
    with engine.begin() as conn:
        for number, (name, day) in enumerate(types, start=1):
            conn.execute(
                text(
                    "INSERT INTO miniature_types (id, name, name_key, created_at) "
                    "VALUES (:id, :name, :key, :at)"
                ),
                {
                    "id": number,
                    "name": name,
                    "key": old_key(name),
                    "at": f"2026-11-{day:02d}T10:00:00Z",
                },
            )
            conn.execute(
                text(
                    "INSERT INTO stage_counts (type_id, stage, count) VALUES (:id, 'IN_BOX', :id)"
                ),
                {"id": number},
            )
            conn.execute(
                text(
                    "INSERT INTO history_events (type_id, to_stage, qty) "
                    "VALUES (:id, 'IN_BOX', :id)"
                ),
                {"id": number},
            )


def type_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        query = (
            "SELECT t.id, t.name, t.name_key, t.created_at, s.count, e.qty "
            "FROM miniature_types t JOIN stage_counts s ON s.type_id = t.id "
            "JOIN history_events e ON e.type_id = t.id ORDER BY t.id"
        )
        return [tuple(row) for row in conn.execute(text(query))]


OLD_TYPES = [  # (name, created on day n of November); ids follow the list
    ("Tau", 3),
    ("Ｋｎｉｇｈｔｓ", 1),
    ("Knights", 2),
    ("TAU\ufeff", 5),
    ("Tau\u200b", 4),
    ("Orks (2)", 6),
    ("orks", 7),
    ("Orks\u200d", 8),
    ("Eldar", 9),
    ("x" * 100, 10),
    ("x" * 99 + "ｘ", 11),
    ("\u200b", 12),
]


def test_migration_recomputes_keys_and_tells_look_alikes_apart(
    database_factory: Callable[[], str],
) -> None:
    url = database_factory()
    upgrade_database(url, "0001")
    engine = make_engine(url)
    try:
        add_old_types(engine, OLD_TYPES, key_of_revision_0001)
        rows = partial(type_rows, engine)

        before = rows()
        upgrade_database(url)
        after = rows()
        names = [row[1] for row in after]
        assert names == [
            "Tau",
            "Ｋｎｉｇｈｔｓ",  # the older of the two keeps its name
            "Knights (2)",
            "TAU\ufeff (3)",
            "Tau\u200b (2)",
            "Orks (2)",
            "orks",
            "Orks\u200d (3)",  # " (2)" would be the key of the type already called "Orks (2)"
            "Eldar",
            "x" * 100,
            "x" * 96 + " (2)",  # shortened to stay within 100 characters
            "\u200b",  # left as it was: its owner can rename it
        ]
        assert [row[2] for row in after] == [name_key(name) for name in names]
        # Nothing else changes: ids, times, counts, history.
        assert [row[:1] + row[3:] for row in after] == [row[:1] + row[3:] for row in before]

        downgrade_database(url, "0001")
        assert [row[1:3] for row in rows()] == [(n, key_of_revision_0001(n)) for n in names]
        upgrade_database(url)
        assert rows() == after
    finally:
        engine.dispose()


def test_the_longest_key_a_name_can_have_is_stored(client: TestClient) -> None:
    # NFKC makes U+FDFA 18 characters: a hundred of them is the longest key there is.
    created = create_type(client, "\ufdfa" * 100)
    assert error(client.post(f"{API}/types", json={"name": "\ufdfa" * 100 + "\u200b"})) == TAKEN
    found = client.get(f"{API}/types", params={"q": "\ufdfa"}).json()
    assert [(t["id"], t["name"]) for t in found] == [(created["id"], created["name"])]


# The revision that made control characters spaces: stored names change, and look-alikes that
# come out of it are told apart as above.


def key_of_revision_0003(name: str) -> str:
    """The key revisions 0002 and 0003 stored: control characters other than whitespace kept."""
    import unicodedata

    import regex

    text = unicodedata.normalize("NFKC", regex.sub(r"\p{Default_Ignorable_Code_Point}", "", name))
    text = unicodedata.normalize("NFKC", text.casefold())
    text = regex.sub(r"\p{Default_Ignorable_Code_Point}", "", text)
    return regex.sub(r"\p{White_Space}+", " ", text).strip(" ").replace("ё", "е")


CONTROL_TYPES = [  # (name, created on day n of November); ids follow the list
    ("Orks\x07", 2),
    ("Orks", 1),
    ("Blood\x1fAngels", 3),
    ("Space\x1eMarines\n", 4),
    ("Space Marines", 5),
    ("\x07", 6),
    ("Tau", 7),
]


def test_migration_makes_control_characters_spaces_and_tells_look_alikes_apart(
    database_factory: Callable[[], str],
) -> None:
    url = database_factory()
    upgrade_database(url, "0003")
    engine = make_engine(url)
    try:
        add_old_types(engine, CONTROL_TYPES, key_of_revision_0003)
        rows = partial(type_rows, engine)

        before = rows()
        upgrade_database(url)
        after = rows()
        names = [row[1] for row in after]
        assert names == [
            "Orks (2)",  # the later-created of the two
            "Orks",
            "Blood Angels",
            "Space Marines",  # the older keeps the name
            "Space Marines (2)",
            "\x07",  # nothing but a control character: left for its owner to rename
            "Tau",
        ]
        assert [row[2] for row in after] == [name_key(name) for name in names]
        assert [row[:1] + row[3:] for row in after] == [row[:1] + row[3:] for row in before]

        downgrade_database(url, "0003")
        assert [row[1:3] for row in rows()] == [(n, key_of_revision_0003(n)) for n in names]
        upgrade_database(url)
        assert rows() == after
    finally:
        engine.dispose()
