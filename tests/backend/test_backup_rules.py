"""A backup that breaks a rule is refused with the first broken rule in file order, and the
database is left exactly as it was."""

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.backend.backup_helpers import create_type, document, event, post_import, state

Doc = dict[str, Any]


def good_type(name: str = "Orks") -> Doc:
    return {
        "name": name,
        "created_at": "2026-11-01T09:00:00Z",
        "counts": {"IN_BOX": 3, "BUILDING": 1},
        "history": [
            event(None, "IN_BOX", 4, "2026-11-01T09:00:00Z"),
            event("IN_BOX", "BUILDING", 1, "2026-11-02T09:00:00+02:00"),
        ],
    }


def good_file() -> Doc:
    return document(good_type("Orks"), good_type("Aeldari"), good_type("Некроны"))


def at(path: str, value: Any) -> Callable[[Doc], None]:
    """A change of one value, by a path like types.1.history.0.qty."""
    *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]

    def change(doc: Doc) -> None:
        node: Any = doc
        for part in parents:
            node = node[part]
        node[last] = value

    return change


def without(path: str) -> Callable[[Doc], None]:
    *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]

    def change(doc: Doc) -> None:
        node: Any = doc
        for part in parents:
            node = node[part]
        del node[last]

    return change


CASES: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("format wrong", at("format", "other-app"), "format", "UNKNOWN_FORMAT"),
    ("format not a string", at("format", 1), "format", "NOT_STRING"),
    ("format missing", without("format"), "format", "MISSING"),
    ("version 4", at("version", 4), "version", "UNKNOWN_VERSION"),
    ("version 0", at("version", 0), "version", "UNKNOWN_VERSION"),
    ("version as text", at("version", "1"), "version", "NOT_INTEGER"),
    ("version fractional", at("version", 1.5), "version", "NOT_INTEGER"),
    ("version missing", without("version"), "version", "MISSING"),
    ("types missing", without("types"), "types", "MISSING"),
    ("types not an array", at("types", {"name": "Orks"}), "types", "NOT_ARRAY"),
    ("type not an object", at("types.1", "Aeldari"), "types[1]", "NOT_OBJECT"),
    ("name missing", without("types.1.name"), "types[1].name", "MISSING"),
    ("name not a string", at("types.1.name", 7), "types[1].name", "NOT_STRING"),
    ("name with NUL", at("types.1.name", "Or\x00ks"), "types[1].name", "NOT_STRING"),
    ("name blank", at("types.1.name", "   "), "types[1].name", "NAME_REQUIRED"),
    ("name too long", at("types.1.name", "x" * 101), "types[1].name", "NAME_TOO_LONG"),
    ("created_at without zone", at("types.0.created_at", "2026-11-01T09:00:00"),
     "types[0].created_at", "INVALID_TIME"),
    ("created_at not a time", at("types.0.created_at", "yesterday"),
     "types[0].created_at", "INVALID_TIME"),
    ("created_at a number", at("types.0.created_at", 1700000000),
     "types[0].created_at", "NOT_STRING"),
    ("counts not an object", at("types.2.counts", [3]), "types[2].counts", "NOT_OBJECT"),
    ("counts unknown stage", at("types.2.counts.SOLD", 1), "types[2].counts.SOLD",
     "INVALID_STAGE"),
    ("count negative", at("types.2.counts.BUILDING", -1), "types[2].counts.BUILDING",
     "NEGATIVE"),
    ("count fractional", at("types.2.counts.BUILDING", 1.5), "types[2].counts.BUILDING",
     "NOT_INTEGER"),
    ("count true", at("types.2.counts.BUILDING", True), "types[2].counts.BUILDING",
     "NOT_INTEGER"),
    ("count as text", at("types.2.counts.BUILDING", "2"), "types[2].counts.BUILDING",
     "NOT_INTEGER"),
    ("count null", at("types.2.counts.BUILDING", None), "types[2].counts.BUILDING",
     "NOT_INTEGER"),
    ("count over the maximum", at("types.2.counts.BUILDING", 1_000_001),
     "types[2].counts.BUILDING", "OUT_OF_RANGE"),
    ("count huge", at("types.2.counts.BUILDING", 10**30), "types[2].counts.BUILDING",
     "OUT_OF_RANGE"),
    ("history not an array", at("types.1.history", {}), "types[1].history", "NOT_ARRAY"),
    ("event not an object", at("types.1.history.1", 5), "types[1].history[1]", "NOT_OBJECT"),
    ("from_stage missing", without("types.1.history.1.from_stage"),
     "types[1].history[1].from_stage", "MISSING"),
    ("to_stage missing", without("types.1.history.1.to_stage"),
     "types[1].history[1].to_stage", "MISSING"),
    ("qty missing", without("types.1.history.1.qty"), "types[1].history[1].qty", "MISSING"),
    ("at missing", without("types.1.history.1.at"), "types[1].history[1].at", "MISSING"),
    ("unknown to_stage", at("types.1.history.1.to_stage", "SOLD"),
     "types[1].history[1].to_stage", "INVALID_STAGE"),
    ("unknown from_stage", at("types.1.history.1.from_stage", "in_box"),
     "types[1].history[1].from_stage", "INVALID_STAGE"),
    ("to_stage null", at("types.1.history.1.to_stage", None),
     "types[1].history[1].to_stage", "INVALID_STAGE"),
    ("stage not a string", at("types.1.history.1.to_stage", 3),
     "types[1].history[1].to_stage", "NOT_STRING"),
    ("backward move", at("types.1.history.1.from_stage", "DONE"),
     "types[1].history[1].to_stage", "INVALID_TRANSITION"),
    ("move to itself", at("types.1.history.1.from_stage", "BUILDING"),
     "types[1].history[1].to_stage", "INVALID_TRANSITION"),
    ("qty zero", at("types.1.history.1.qty", 0), "types[1].history[1].qty", "OUT_OF_RANGE"),
    ("qty negative", at("types.1.history.1.qty", -5), "types[1].history[1].qty", "NEGATIVE"),
    ("qty fractional", at("types.1.history.1.qty", 2.5), "types[1].history[1].qty",
     "NOT_INTEGER"),
    ("qty whole float", at("types.1.history.1.qty", 2.0), "types[1].history[1].qty",
     "NOT_INTEGER"),
    ("qty true", at("types.1.history.1.qty", True), "types[1].history[1].qty", "NOT_INTEGER"),
    ("qty over the maximum", at("types.1.history.1.qty", 1_000_001),
     "types[1].history[1].qty", "OUT_OF_RANGE"),
    ("time without zone", at("types.1.history.1.at", "2026-11-02T09:00:00"),
     "types[1].history[1].at", "INVALID_TIME"),
    ("date only", at("types.1.history.1.at", "2026-11-02"), "types[1].history[1].at",
     "INVALID_TIME"),
    ("impossible date", at("types.1.history.1.at", "2026-02-30T09:00:00Z"),
     "types[1].history[1].at", "INVALID_TIME"),
    ("time a number", at("types.1.history.1.at", 0), "types[1].history[1].at", "NOT_STRING"),
    ("time as seconds in text", at("types.1.history.1.at", "1700000000"),
     "types[1].history[1].at", "INVALID_TIME"),
    ("time with a space for T", at("types.1.history.1.at", "2026-11-02 09:00:00Z"),
     "types[1].history[1].at", "INVALID_TIME"),
    ("time past year 9999 in UTC", at("types.1.history.1.at", "9999-12-31T23:59:59-01:00"),
     "types[1].history[1].at", "INVALID_TIME"),
    ("created_at before year 1 in UTC", at("types.1.created_at", "0001-01-01T00:00:00+01:00"),
     "types[1].created_at", "INVALID_TIME"),
    ("duplicate name", at("types.2.name", "orks"), "types[2].name", "DUPLICATE_NAME"),
    ("duplicate name with spaces", at("types.2.name", "  AELDARI "), "types[2].name",
     "DUPLICATE_NAME"),
]  # fmt: skip


def linked_type(name: str = "Orks") -> Doc:
    """Version 2: ids, an undone move and an undone addition."""
    return {
        "name": name,
        "counts": {"IN_BOX": 3, "BUILDING": 1},
        "history": [
            {"id": 10, **event(None, "IN_BOX", 4, "2026-11-01T09:00:00Z")},
            {"id": 11, **event("IN_BOX", "BUILDING", 1, "2026-11-02T09:00:00Z")},
            {"id": 12, **event("IN_BOX", "DONE", 2, "2026-11-02T09:01:00Z")},
            {"id": 13, "undoes": 12, **event("DONE", "IN_BOX", 2, "2026-11-02T09:02:00Z")},
            {"id": 14, **event(None, "IN_BOX", 9, "2026-11-03T09:00:00Z")},
            {"undoes": 14, **event("IN_BOX", None, 9, "2026-11-03T09:00:30Z")},
        ],
    }


def linked_file() -> Doc:
    return {**document(linked_type("Orks"), linked_type("Aeldari")), "version": 2}


UNDO = "types.1.history.3"
LINK_CASES: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("id twice", at("types.1.history.2.id", 11), "types[1].history[2].id", "DUPLICATE_ID"),
    ("id as text", at("types.1.history.2.id", "12"), "types[1].history[2].id", "NOT_INTEGER"),
    ("undoes as text", at(f"{UNDO}.undoes", "12"), "types[1].history[3].undoes",
     "NOT_INTEGER"),
    ("undoes a later event", at(f"{UNDO}.undoes", 14), "types[1].history[3].undoes",
     "UNKNOWN_EVENT"),
    ("undoes no event", at(f"{UNDO}.undoes", 99), "types[1].history[3].undoes",
     "UNKNOWN_EVENT"),
    ("undoes itself", at(f"{UNDO}.undoes", 13), "types[1].history[3].undoes", "UNKNOWN_EVENT"),
    ("undoes an undo", at("types.1.history.5.undoes", 13), "types[1].history[5].undoes",
     "UNKNOWN_EVENT"),
    ("undoes twice", at("types.1.history.5.undoes", 12), "types[1].history[5].undoes",
     "ALREADY_UNDONE"),
    ("undo of other qty", at(f"{UNDO}.qty", 1), "types[1].history[3].undoes",
     "UNDO_MISMATCH"),
    ("undo not reversed", at(f"{UNDO}.to_stage", "BUILDING"), "types[1].history[3].undoes",
     "UNDO_MISMATCH"),
    ("undo of an addition to a stage", at("types.1.history.5.to_stage", "BUILDING"),
     "types[1].history[5].undoes", "UNDO_MISMATCH"),
    ("undo from nowhere", at(f"{UNDO}.from_stage", None), "types[1].history[3].undoes",
     "UNDO_MISMATCH"),
    ("undo without its link", without(f"{UNDO}.undoes"),
     "types[1].history[3].to_stage", "INVALID_TRANSITION"),
    ("addition to nowhere", without("types.1.history.5.undoes"), "types[1].history[5].to_stage",
     "INVALID_STAGE"),
    ("undo still checks its stages", at(f"{UNDO}.to_stage", "SOLD"),
     "types[1].history[3].to_stage", "INVALID_STAGE"),
]  # fmt: skip


def grouped_file(*, groups_last: bool = False) -> Doc:
    """Version 3: groups (written before the types, as export writes them, or after them), a
    type's group and notes."""
    groups = [
        {"name": "Green Tide", "created_at": "2026-10-01T08:00:00Z"},
        {"name": "Craftworlds"},
        {"name": "Dynasties"},
    ]
    types = [
        {**good_type("Orks"), "group": "green tide", "notes": "Goff Rocker\nAgrax Earthshade"},
        {**good_type("Aeldari"), "group": "Craftworlds", "notes": ""},
        good_type("Некроны"),
    ]
    head = {"format": "miniatures-tracker", "version": 3}
    if groups_last:
        return {**head, "types": types, "groups": groups}
    return {**head, "groups": groups, "types": types}


GROUP_CASES: list[tuple[str, Callable[[Doc], None], str, str]] = [
    ("groups not an array", at("groups", {"name": "Orks"}), "groups", "NOT_ARRAY"),
    ("group not an object", at("groups.1", "Craftworlds"), "groups[1]", "NOT_OBJECT"),
    ("group name missing", without("groups.1.name"), "groups[1].name", "MISSING"),
    ("group name not a string", at("groups.1.name", 7), "groups[1].name", "NOT_STRING"),
    ("group name blank", at("groups.1.name", " \u200b "), "groups[1].name", "NAME_REQUIRED"),
    ("group name too long", at("groups.1.name", "x" * 101), "groups[1].name", "NAME_TOO_LONG"),
    ("group created_at not a time", at("groups.1.created_at", "today"),
     "groups[1].created_at", "INVALID_TIME"),
    ("group name twice", at("groups.2.name", " CRAFTWORLDS"), "groups[2].name",
     "DUPLICATE_NAME"),
    ("type in an unknown group", at("types.1.group", "Hive Fleet"), "types[1].group",
     "UNKNOWN_GROUP"),
    ("type in a group the file lost", without("groups.1"), "types[1].group", "UNKNOWN_GROUP"),
    ("type in a blank group", at("types.1.group", "  "), "types[1].group", "UNKNOWN_GROUP"),
    ("group not a string", at("types.1.group", 1), "types[1].group", "NOT_STRING"),
    ("notes not a string", at("types.1.notes", ["Nuln Oil"]), "types[1].notes", "NOT_STRING"),
    ("notes too long", at("types.1.notes", "я" * 10_001), "types[1].notes", "NOTES_TOO_LONG"),
]  # fmt: skip


# Groups after the types: a type's group that names a broken group (one without a valid name)
# is the first error, in file order.
AFTER_THE_TYPES = {
    "groups not an array": ("types[0].group", "UNKNOWN_GROUP"),
    **{
        case: ("types[1].group", "UNKNOWN_GROUP")
        for case in (
            "group not an object",
            "group name missing",
            "group name not a string",
            "group name blank",
            "group name too long",
        )
    },
}


@pytest.fixture
def populated(client: TestClient) -> TestClient:
    """A database with something in it, so "left as it was" means something."""
    orks = create_type(client, "Orks", IN_BOX=5)
    client.post(
        f"/api/v1/types/{orks}/move", json={"from_stage": "IN_BOX", "to_stage": "DONE", "qty": 1}
    )
    create_type(client, "Ёлки", BUILDING=2)
    return client


def assert_refused(client: TestClient, body: Any, path: str, rule: str, **params: str) -> None:
    before = state(client)
    response = post_import(client, body, **params)
    assert response.status_code == 400, response.text
    assert response.json() == {"code": "ERR_IMPORT_INVALID", "params": {"path": path, "rule": rule}}
    assert state(client) == before


def assert_refused_in_every_mode(client: TestClient, body: Any, path: str, rule: str) -> None:
    for mode in ("merge", "replace"):
        assert_refused(client, body, path, rule, mode=mode)
    assert_refused(client, body, path, rule, dry_run="true")


def test_the_good_file_is_accepted(client: TestClient) -> None:
    assert post_import(client, good_file()).status_code == 200


@pytest.mark.parametrize(
    ("change", "path", "rule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_broken_rule_is_refused_with_path_and_rule(
    populated: TestClient, change: Callable[[Doc], None], path: str, rule: str
) -> None:
    doc = good_file()
    change(doc)
    assert_refused_in_every_mode(populated, doc, path, rule)


def test_the_good_linked_file_is_accepted(client: TestClient) -> None:
    answer = post_import(client, linked_file())
    assert answer.status_code == 200, answer.text
    assert answer.json()["events_added"] == 12


def falling_ids(doc: Doc) -> None:
    """The same file with ids that fall instead of growing (as in a merged database's export):
    its links are compared by the database instead of the check."""
    for entry in doc["types"]:
        for one in entry["history"]:
            for key in ("id", "undoes"):
                if type(one.get(key)) is int:
                    one[key] = 100 - one[key]


@pytest.mark.parametrize("ids", ["growing", "falling"])
@pytest.mark.parametrize(
    ("change", "path", "rule"), [c[1:] for c in LINK_CASES], ids=[c[0] for c in LINK_CASES]
)
def test_broken_link_is_refused_with_path_and_rule(
    populated: TestClient, change: Callable[[Doc], None], path: str, rule: str, ids: str
) -> None:
    """Growing ids, as export writes them, are linked by the check; falling ones by the
    database: the same answer either way."""
    doc = linked_file()
    change(doc)
    if ids == "falling":
        falling_ids(doc)
    assert_refused_in_every_mode(populated, doc, path, rule)


def test_first_link_error_among_falling_ids_wins(populated: TestClient) -> None:
    doc = linked_file()
    falling_ids(doc)
    rest = {"from_stage": "DONE", "to_stage": "IN_BOX", "at": "2026-11-02T09:02:00Z"}
    # The broken link before a bad value of the same event; after it, the bad value.
    doc["types"][1]["history"][3] = {"undoes": 1, "qty": -1, **rest}
    assert_refused(populated, doc, "types[1].history[3].undoes", "UNKNOWN_EVENT")
    doc["types"][1]["history"][3] = {"qty": -1, "undoes": 1, **rest}
    assert_refused(populated, doc, "types[1].history[3].qty", "NEGATIVE")
    # An id used twice and a link to nowhere in one event: whichever key comes first.
    doc["types"][1]["history"][3] = {"id": 90, "undoes": 1, "qty": 2, **rest}
    assert_refused(populated, doc, "types[1].history[3].id", "DUPLICATE_ID")
    doc["types"][1]["history"][3] = {"undoes": 1, "id": 90, "qty": 2, **rest}
    assert_refused(populated, doc, "types[1].history[3].undoes", "UNKNOWN_EVENT")
    # A mismatch comes after the event's other rules, and before a later type's name.
    doc["types"][1]["history"][3] = {"undoes": 88, "qty": 1, **rest}
    assert_refused(populated, doc, "types[1].history[3].undoes", "UNDO_MISMATCH")
    doc["types"][1]["history"][3] = {"undoes": 88, "qty": 1, **rest, "at": "noon"}
    assert_refused(populated, doc, "types[1].history[3].at", "INVALID_TIME")
    doc = linked_file()
    falling_ids(doc)
    doc["types"][0]["history"][3]["qty"] = 1
    doc["types"][1]["name"] = "ORKS"
    assert_refused(populated, doc, "types[0].history[3].undoes", "UNDO_MISMATCH")
    # A name read before the history comes before its links; one read after, after them.
    doc = linked_file()
    falling_ids(doc)
    doc["types"][1]["name"] = "ORKS"
    doc["types"][1]["history"][1]["id"] = 90
    assert_refused(populated, doc, "types[1].name", "DUPLICATE_NAME")
    doc["types"][1] = {"history": doc["types"][1]["history"], "name": "ORKS"}
    assert_refused(populated, doc, "types[1].history[1].id", "DUPLICATE_ID")


def test_in_version_1_ids_and_undoes_are_unknown_keys(populated: TestClient) -> None:
    doc = linked_file()
    doc["version"] = 1
    # Without its link the undo is a backward move.
    assert_refused(populated, doc, "types[0].history[3].to_stage", "INVALID_TRANSITION")
    for entry in doc["types"]:
        entry["history"] = [e for e in entry["history"] if "undoes" not in e]
        entry["history"][0]["id"] = "not checked"
        entry["history"][1]["id"] = entry["history"][2]["id"]
    assert post_import(populated, doc).status_code == 200


def test_first_link_error_in_file_order_wins(populated: TestClient) -> None:
    doc = linked_file()
    # Keys after "undoes" come later in the file: the broken link is reported first.
    rest = {"from_stage": "DONE", "to_stage": "IN_BOX", "at": "2026-11-02T09:02:00Z"}
    doc["types"][1]["history"][3] = {"undoes": 99, "qty": -1, **rest}
    assert_refused(populated, doc, "types[1].history[3].undoes", "UNKNOWN_EVENT")
    doc["types"][1]["history"][3] = {"qty": -1, "undoes": 99, **rest}
    assert_refused(populated, doc, "types[1].history[3].qty", "NEGATIVE")
    # A link error in an earlier type comes before a bad value in a later one.
    doc = linked_file()
    doc["types"][0]["history"][1]["id"] = 10
    doc["types"][1]["counts"]["DONE"] = -1
    assert_refused(populated, doc, "types[0].history[1].id", "DUPLICATE_ID")
    # Ids are per type: the same ids in two types are fine (the good file has them).


def test_duplicate_names_compare_case_and_yo_insensitively(populated: TestClient) -> None:
    doc = document(good_type("Ёжики"), good_type("Orks"), good_type("ЕЖИКИ"))
    assert_refused(populated, doc, "types[2].name", "DUPLICATE_NAME")


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b'{"format": "miniatures-tracker", "types": [', b"not json", b"\xff\xfe{}",
     b'{"a": 1} trailing'],
    ids=["empty", "brace", "truncated", "text", "not utf-8", "trailing garbage"],
)  # fmt: skip
def test_malformed_json_is_not_json(populated: TestClient, body: bytes) -> None:
    assert_refused(populated, body, "", "NOT_JSON")


def with_name(escaped: bytes) -> bytes:
    """The good file with a type named by JSON escapes as written."""
    return json.dumps(document(good_type("NAME"))).encode().replace(b"NAME", escaped)


@pytest.mark.parametrize(
    "escaped",
    [rb"\ud800", rb"\udc00", rb"Orks \uD83D", rb"\\\ud800", rb"\ud83d\\ude00"],
    ids=["high half", "low half", "high half at the end", "after an escaped backslash",
         "high half, then an escaped backslash"],
)  # fmt: skip
def test_a_lone_surrogate_escape_is_not_json(populated: TestClient, escaped: bytes) -> None:
    """JSON text is Unicode: an escaped UTF-16 half without its other half is no character."""
    assert_refused(populated, with_name(escaped), "", "NOT_JSON")


@pytest.mark.parametrize(
    ("escaped", "name"),
    [(rb"\ud83c\udfa8 Orks", "\U0001f3a8 Orks"), (rb"\\ud800", "\\ud800"),
     (rb"\\\\\ud83d\ude00", "\\\\\U0001f600")],
    ids=["a pair", "an escaped backslash, then text", "escaped backslashes, then a pair"],
)  # fmt: skip
def test_escapes_that_make_characters_are_read(
    client: TestClient, escaped: bytes, name: str
) -> None:
    assert post_import(client, with_name(escaped)).status_code == 200
    assert [t["name"] for t in client.get("/api/v1/types").json()] == [name]


def test_truncated_real_file_is_not_json(populated: TestClient) -> None:
    exported = populated.get("/api/v1/export").content
    assert_refused(populated, exported[: len(exported) // 2], "", "NOT_JSON", mode="replace")


@pytest.mark.parametrize("body", [[], "backup", 42, None], ids=["array", "string", "num", "null"])
def test_body_that_is_not_an_object(populated: TestClient, body: Any) -> None:
    assert_refused(populated, body, "", "NOT_OBJECT")


def test_bad_value_in_the_last_type_of_a_long_file(populated: TestClient) -> None:
    types = [good_type(f"Type {number:04d}") for number in range(1500)]
    types[-1]["history"][-1]["qty"] = -1
    assert_refused(populated, document(*types), "types[1499].history[1].qty", "NEGATIVE")


def test_first_error_in_file_order_wins(populated: TestClient) -> None:
    # pydantic checks fields in model order (format before types); the file says otherwise.
    body = b'{"types": [{"name": ""}], "version": 7, "format": "x"}'
    assert_refused(populated, body, "types[0].name", "NAME_REQUIRED")
    body = b'{"version": 7, "types": [{"name": ""}], "format": "x"}'
    assert_refused(populated, body, "version", "UNKNOWN_VERSION")
    # Within an event the file's key order counts too.
    doc = good_file()
    doc["types"][0]["history"][1] = {"at": "noon", "qty": 0, "to_stage": "X", "from_stage": 1}
    assert_refused(populated, doc, "types[0].history[1].at", "INVALID_TIME")
    # A duplicate name before a bad value is reported first, and after it, second.
    doc = good_file()
    doc["types"][1]["name"] = "ORKS"
    doc["types"][2]["counts"]["DONE"] = -1
    assert_refused(populated, doc, "types[1].name", "DUPLICATE_NAME")
    doc = good_file()
    doc["types"][0]["counts"]["DONE"] = -1
    doc["types"][2]["name"] = "ORKS"
    assert_refused(populated, doc, "types[0].counts.DONE", "NEGATIVE")
    # A missing key is noticed at the end of its object.
    doc = good_file()
    del doc["types"][0]["name"]
    doc["types"][0]["counts"]["DONE"] = 1.5
    assert_refused(populated, doc, "types[0].counts.DONE", "NOT_INTEGER")


def test_a_name_given_twice_is_the_last_one_in_both_comparison_and_storage(
    client: TestClient,
) -> None:
    """As most JSON readers take it: the last `name` of a type is the one compared with the
    other types' names and the one stored; an earlier one is checked, then set aside."""
    head = b'{"format": "miniatures-tracker", "version": 1, "types": ['
    body = head + b'{"name": "Orks", "counts": {"IN_BOX": 2}, "name": " Tau "}, {"name": "orks"}]}'
    assert post_import(client, body, dry_run="true").json()["types_created"] == 2
    assert post_import(client, body).status_code == 200
    assert {kind["name"]: kind["counts"]["IN_BOX"] for kind in state(client)["types"]} == {
        "Tau": 2,
        "orks": 0,
    }
    # Merged by the last name: "Tau" gains two more, under the name it has.
    assert post_import(client, body).json()["types_merged"] == 2
    assert {kind["name"]: kind["counts"]["IN_BOX"] for kind in state(client)["types"]} == {
        "Tau": 4,
        "orks": 0,
    }
    twice = head + b'{"name": "Tau"}, {"name": "Orks", "name": "TAU"}]}'
    assert_refused(client, twice, "types[1].name", "DUPLICATE_NAME")
    blank_first = head + b'{"name": "", "name": "Orks"}]}'
    assert_refused(client, blank_first, "types[0].name", "NAME_REQUIRED")
    blank_last = head + b'{"name": "Orks", "name": "  "}]}'
    assert_refused(client, blank_last, "types[0].name", "NAME_REQUIRED")


def test_optional_keys_may_be_absent_or_null(client: TestClient) -> None:
    doc = document({"name": "Orks"}, {"name": "Aeldari", "created_at": None, "counts": None,
                                      "history": None}, {"name": "Tau", "counts": {}})  # fmt: skip
    del doc["exported_at"]
    assert post_import(client, doc).json()["types_created"] == 3


def test_import_limit_after_merge(populated: TestClient) -> None:
    doc = document(good_type("Aeldari"), {"name": "ÖRKS", "counts": {"IN_BOX": 1}},
                   {"name": "orks", "counts": {"DONE": 1_000_000}})  # fmt: skip
    # "ÖRKS" is another name; "orks" merges into Orks, which has 1 DONE already.
    before = state(populated)
    response = post_import(populated, doc)
    assert response.status_code == 400
    assert response.json() == {
        "code": "ERR_IMPORT_LIMIT",
        "params": {"path": "types[2].counts.DONE", "max": 1_000_000},
    }
    assert state(populated) == before
    dry = post_import(populated, doc, dry_run="true")
    assert dry.json()["code"] == "ERR_IMPORT_LIMIT"
    # Up to the maximum is fine; replace starts from nothing, so the same file fits.
    assert post_import(populated, doc, mode="replace").status_code == 200


def test_count_reaching_exactly_the_maximum_is_accepted(populated: TestClient) -> None:
    doc = document({"name": "Orks", "counts": {"DONE": 999_999}})
    assert post_import(populated, doc).status_code == 200
    orks = next(t for t in state(populated)["types"] if t["name"] == "Orks")
    assert orks["counts"]["DONE"] == 1_000_000


def test_refusal_does_not_touch_a_good_file_given_afterwards(populated: TestClient) -> None:
    doc = good_file()
    bad = copy.deepcopy(doc)
    bad["types"][2]["history"][0]["at"] = "2026-11-01 09:00"
    assert post_import(populated, bad).status_code == 400
    assert post_import(populated, json.dumps(doc).encode()).json()["types_merged"] == 1


def test_every_rule_of_the_contract_is_exercised_above() -> None:
    from backend.services.backup.shape import IMPORT_RULES

    # NOT_JSON needs a raw body, not a document: its own tests send malformed bytes.
    rules = {case[3] for case in CASES + LINK_CASES + GROUP_CASES}
    assert rules | {"NOT_JSON"} == set(IMPORT_RULES)


def test_version_written_after_the_types_still_decides_the_rules(populated: TestClient) -> None:
    doc = linked_file()
    late = {"types": doc["types"], "format": doc["format"], "version": 2}
    assert post_import(populated, late, dry_run="true").status_code == 200
    late["version"] = 1
    assert_refused(populated, late, "types[0].history[3].to_stage", "INVALID_TRANSITION")


def test_the_good_grouped_file_is_accepted(client: TestClient) -> None:
    for groups_last in (False, True):
        answer = post_import(client, grouped_file(groups_last=groups_last), mode="replace")
        assert answer.status_code == 200, answer.text
        assert answer.json()["groups_created"] == 3


@pytest.mark.parametrize("groups_last", [False, True], ids=["groups first", "groups last"])
@pytest.mark.parametrize("case", GROUP_CASES, ids=[c[0] for c in GROUP_CASES])
def test_broken_group_rule_is_refused_with_path_and_rule(
    populated: TestClient, case: tuple[str, Callable[[Doc], None], str, str], groups_last: bool
) -> None:
    """Wherever the file puts its groups, before its types (as export writes them) or after
    them, the first broken rule in file order."""
    name, change, path, rule = case
    if groups_last:
        path, rule = AFTER_THE_TYPES.get(name, (path, rule))
    doc = grouped_file(groups_last=groups_last)
    change(doc)
    assert_refused_in_every_mode(populated, doc, path, rule)


def test_first_group_error_in_file_order_wins(populated: TestClient) -> None:
    # A type in no group of the file, before a bad value of a later type, and after one.
    doc = grouped_file()
    doc["types"][0]["group"] = "Hive Fleet"
    doc["types"][2]["counts"]["DONE"] = -1
    assert_refused(populated, doc, "types[0].group", "UNKNOWN_GROUP")
    doc = grouped_file()
    doc["types"][0]["counts"]["DONE"] = -1
    doc["types"][2]["group"] = "Hive Fleet"
    assert_refused(populated, doc, "types[0].counts.DONE", "NEGATIVE")
    # Within a type, its name and its group in the order they come.
    doc = grouped_file()
    doc["types"][1] = {"group": "Hive Fleet", "name": "ORKS"}
    assert_refused(populated, doc, "types[1].group", "UNKNOWN_GROUP")
    doc["types"][1] = {"name": "ORKS", "group": "Hive Fleet"}
    assert_refused(populated, doc, "types[1].name", "DUPLICATE_NAME")
    # A group's name used twice comes before every type when the groups come first, and after
    # them when they come last.
    for groups_last, first in ((False, "groups[2].name"), (True, "types[1].group")):
        doc = grouped_file(groups_last=groups_last)
        doc["groups"][2]["name"] = "craftworlds"
        doc["types"][1]["group"] = "Hive Fleet"
        rule = "DUPLICATE_NAME" if first.startswith("groups") else "UNKNOWN_GROUP"
        assert_refused(populated, doc, first, rule)
    doc = grouped_file(groups_last=True)
    doc["groups"][2]["name"] = "craftworlds"
    doc["types"][2]["counts"]["DONE"] = 1.5
    assert_refused(populated, doc, "types[2].counts.DONE", "NOT_INTEGER")


def test_a_group_after_the_error_still_counts_as_the_files(populated: TestClient) -> None:
    """The check stops at the first broken rule; a type's group that a later `groups` names
    is not broken, so the error where the check stopped is the first."""
    doc = grouped_file(groups_last=True)
    doc["types"][2]["counts"]["DONE"] = -1
    assert_refused(populated, doc, "types[2].counts.DONE", "NEGATIVE")
    # A group that names none, in the same file, is still the first error.
    doc["types"][1]["group"] = "Hive Fleet"
    assert_refused(populated, doc, "types[1].group", "UNKNOWN_GROUP")
    # A broken group after the types: the types' groups are matched with every name.
    doc = grouped_file(groups_last=True)
    doc["groups"][0]["created_at"] = "today"
    assert_refused(populated, doc, "groups[0].created_at", "INVALID_TIME")
    doc["groups"][1]["name"] = " "  # the group Aeldari names has no valid name: now it is broken
    assert_refused(populated, doc, "types[1].group", "UNKNOWN_GROUP")
    # The body must still be JSON to its end.
    body = json.dumps(grouped_file(groups_last=True)).encode()
    assert_refused(populated, body.replace(b"-11-01T09:00:00Z", b"-11-01", 1)[:-3], "", "NOT_JSON")


def test_notes_are_stored_as_the_api_stores_them(client: TestClient) -> None:
    doc = grouped_file()
    doc["types"][0]["notes"] = "Base\r\nWash\rEdge\x00x\x07y\tz  \n \t"
    doc["types"][1]["notes"] = "я" * 10_000 + " \n\t "  # at the limit once trimmed
    doc["types"][2]["notes"] = None  # absent
    assert post_import(client, doc).status_code == 200, post_import(client, doc).text
    notes = {entry["name"]: entry["notes"] for entry in state(client)["types"]}
    assert notes == {"Orks": "Base\nWash\nEdge x y\tz", "Aeldari": "я" * 10_000, "Некроны": ""}


def test_before_version_3_groups_group_and_notes_are_unknown_keys(populated: TestClient) -> None:
    for version in (1, 2):
        doc = {**grouped_file(), "version": version}
        doc["groups"] = "not checked"
        doc["types"][0].update(group="Hive Fleet", notes=42)
        answer = post_import(populated, doc, mode="replace", dry_run="true")
        assert answer.status_code == 200, answer.text
        assert answer.json()["groups_created"] == 0
    doc = {**grouped_file(), "version": 2}
    assert post_import(populated, doc, mode="replace").status_code == 200
    exported = state(populated)
    assert exported["groups"] == []
    assert {(t["group"], t["notes"]) for t in exported["types"]} == {(None, "")}


def test_version_3_written_after_the_groups_still_reads_them(populated: TestClient) -> None:
    doc = grouped_file()
    late = {"groups": doc["groups"], "types": doc["types"], "format": doc["format"]}
    assert (
        post_import(populated, {**late, "version": 3}, dry_run="true").json()["groups_created"] == 3
    )
    broken = {**late, "version": 3}
    broken["types"][1]["group"] = "Hive Fleet"
    assert_refused(populated, broken, "types[1].group", "UNKNOWN_GROUP")
    assert post_import(populated, {**late, "version": 2}, dry_run="true").status_code == 200
