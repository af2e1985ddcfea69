"""The backup file: its shape, and the check of a file against its rules.

A file is checked as it is read, token by token (ijson), in file order: the first broken rule
stops the check. Nothing of the file is kept in Python: each checked type, and each checked
event, is handed on as a row as soon as it is read (the import streams them into a temporary
table with COPY, and PostgreSQL finds names used twice). So a file of any shape costs about
its own size in memory, and an invalid one is given up at its first error, whatever follows.
The rest of the body is still read (and nothing kept) for one reason: a body that is not JSON
at all is NOT_JSON, wherever the damage is.

Choices the contract leaves open: a negative number is NEGATIVE, a qty of 0 or a number over
the maximum is OUT_OF_RANGE; a stage that is not a string is NOT_STRING; `null` for an
optional key (`created_at`, `counts`, `history`) means absent; `exported_at` is not checked;
a name with a NUL character (which PostgreSQL text cannot hold) is NOT_STRING; a string with
an escaped lone surrogate ("\\ud800", which no text can hold) makes the body NOT_JSON; an
event's stages break INVALID_TRANSITION (at `to_stage`) where the second of them is read; a
key given twice in one object is checked each time, and the last one counts (a type's last
`name` is the one compared with the other types' names).
`"id": null` and `"undoes": null` mean absent; an undo event whose own values are each valid
but do not reverse the event it names is UNDO_MISMATCH, checked after the event's other rules.
In a version 2 file whose `version` comes after `types`, the body is scanned ahead once for it.

The pydantic models below describe the file in the API description; the check follows the
same field types (a name is checked by the very rules of `POST /types`).
"""

import re
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, NotRequired

import ijson
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import Buffer, TypedDict

from backend import errors
from backend.names import name_key
from backend.schemas import Count, Name, StageField
from backend.stages import MAX_COUNT, STAGE_ORDER, Stage

FORMAT = "miniatures-tracker"
VERSION = 2  # what export writes
LINKED_VERSION = 2  # from this version on, events carry ids and undo events their links
READABLE_VERSIONS = (1, 2)

# --- the shape, for the API description ------------------------------------------------------

DESCRIBED = ConfigDict(extra="ignore")
BackupTime = AwareDatetime  # ISO 8601 with a zone


class BackupEvent(TypedDict):
    id: NotRequired[int]  # version 2: unique within its type's history in this file
    undoes: NotRequired[int]  # version 2: the id of the earlier event this one reverses
    from_stage: Stage | None
    to_stage: Stage | None  # null only in an undo of an addition
    qty: Annotated[int, Field(ge=1, le=MAX_COUNT)]
    at: BackupTime


class BackupType(BaseModel):
    model_config = DESCRIBED

    name: Name
    created_at: BackupTime | None = None
    counts: dict[StageField, Count] | None = None
    history: list[BackupEvent] | None = None


class BackupFile(BaseModel):
    """The whole database as one JSON document (see the contract, "The backup file")."""

    model_config = DESCRIBED

    format: str = Field(examples=[FORMAT])
    version: int = Field(examples=[VERSION])
    exported_at: Any = Field(
        default=None,
        description="When the file was written; not checked on import.",
        examples=["2026-11-26T10:00:00Z"],
    )
    types: list[BackupType]


# The contract's `rule` values of ERR_IMPORT_INVALID: the UI has a message for each.
IMPORT_RULES = (
    "NOT_JSON",
    "NOT_OBJECT",
    "NOT_ARRAY",
    "NOT_STRING",
    "NOT_INTEGER",
    "MISSING",
    "UNKNOWN_FORMAT",
    "UNKNOWN_VERSION",
    "NAME_REQUIRED",
    "NAME_TOO_LONG",
    "DUPLICATE_NAME",
    "INVALID_STAGE",
    "INVALID_TRANSITION",
    "NEGATIVE",
    "OUT_OF_RANGE",
    "INVALID_TIME",
    # version 2: event ids and undo links
    "DUPLICATE_ID",
    "UNKNOWN_EVENT",
    "ALREADY_UNDONE",
    "UNDO_MISMATCH",
)

# --- what a checked file gives: rows, in file order ---------------------------------------

# Every row has these columns; a type's row leaves the event's empty and an event's row the
# type's. A type's row comes after its events (its counts may follow its history).
ROW_COLUMNS = (
    "type_no",  # the type's place in `types`
    "event_no",  # an event's place among all the file's events; null in a type's row
    "from_stage",
    "to_stage",
    "qty",
    "at",
    "undoes",  # an undo event: the event_no of the event it undoes
    "name",
    "name_key",
    "created_at",  # null: absent
    "counts",  # {stage: count} in the file's order, each stage once; null: absent
)
Row = tuple[Any, ...]
WriteRow = Callable[[Row], object]


@dataclass(slots=True)
class Checked:
    """What the check counted, and the first broken rule it found (None: none).

    Two types with the same name key are not among the rules found here: the rows are
    compared afterwards, and every type row was written before `error`'s place in the file.
    """

    types: int
    events: int
    error: errors.ImportInvalid | None


# --- the check -------------------------------------------------------------------------------

Tokens = Iterator[tuple[str, Any]]

_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_ABSENT: Any = object()

# ISO 8601 date and time with a zone, as exported; "1700000000" or a date alone is not a time.
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})")
# An escaped UTF-16 surrogate, with the backslashes before it (an even run escapes itself),
# and the low half that may follow a high one.
_SURROGATE = re.compile(rb"(\\+)u[dD]([0-9a-fA-F])[0-9a-fA-F]{2}(\\u[dD][c-fC-F][0-9a-fA-F]{2})?")

_NAME: TypeAdapter[str] = TypeAdapter(Name)
_NAME_RULES = {"name_required": "NAME_REQUIRED", "name_too_long": "NAME_TOO_LONG"}
_EVENT_KEYS = ("from_stage", "to_stage", "qty", "at")


class _Broken(Exception):
    """The first broken rule: which, and where. The path is put together as the exception
    passes out through the objects that hold the value (so it is built only for an error)."""

    def __init__(self, rule: str, *place: str | int) -> None:
        super().__init__(rule)
        self.rule = rule
        self.place = list(place)

    def within(self, *outer: str | int) -> "_Broken":
        self.place[:0] = outer
        return self

    @property
    def path(self) -> str:
        """("types", 2, "counts", "DONE") -> "types[2].counts.DONE"."""
        path = ""
        for part in self.place:
            if isinstance(part, int):
                path += f"[{part}]"
            else:
                path += f".{part}" if path else part
        return path


def check_backup(body: Buffer, write: WriteRow) -> Checked:
    """Checks a backup file in file order, giving `write` a row for each checked type and event.

    Stops at the first broken rule (then reads on, keeping nothing, only to tell a body that
    is not JSON at all: NOT_JSON wins wherever it is).
    """
    if _has_lone_surrogate(body):
        return Checked(0, 0, errors.ImportInvalid(path="", rule="NOT_JSON"))
    tokens: Tokens = ijson.basic_parse(_BodyFile(body))
    reader = _Reader(tokens, write)
    error = None
    try:
        try:
            reader.document(body)
        except _Broken as first:
            error = errors.ImportInvalid(path=first.path, rule=first.rule)
        deque(tokens, maxlen=0)  # to the end: trailing garbage or a cut-off file is NOT_JSON
    except (ijson.JSONError, UnicodeDecodeError):
        error = errors.ImportInvalid(path="", rule="NOT_JSON")
    return Checked(reader.types, reader.events, error)


def _has_lone_surrogate(body: Buffer) -> bool:
    for match in _SURROGATE.finditer(body):
        if len(match[1]) % 2 == 0:
            continue  # "\\ud800": an escaped backslash, then plain text
        if match[2] not in b"89abAB" or match[3] is None:
            return True  # a low half alone, or a high half without its low one
    return False


class _BodyFile:
    """The body as a file for ijson, read a piece at a time without a copy of the whole
    (io.BytesIO copies any buffer but bytes)."""

    def __init__(self, body: Buffer) -> None:
        self.view = memoryview(body)
        self.at = 0

    def read(self, size: int) -> bytes:
        piece = bytes(self.view[self.at : self.at + size])
        self.at += len(piece)
        return piece


def _skip(tokens: Tokens, event: str) -> None:
    """Past a value that is not checked (an unknown key's)."""
    if event not in _OPEN:
        return
    depth = 1
    for event, _ in tokens:
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
            if not depth:
                return


def _version_ahead(body: Buffer) -> Any:
    """The top-level `version` of a file that writes it after `types` (None if there is none
    or the body breaks first: the check in file order reports that)."""
    depth = 0
    tokens: Tokens = ijson.basic_parse(_BodyFile(body))
    try:
        for event, value in tokens:
            if event in _OPEN:
                depth += 1
            elif event in _CLOSE:
                depth -= 1
            elif depth == 1 and event == "map_key" and value == "version":
                event, value = next(tokens)
                return value if event == "number" else None
    except (ijson.JSONError, UnicodeDecodeError):
        pass
    return None


# The leaves are judged by their value alone: ijson gives a JSON string as str, an integer as
# int, any other number as Decimal, true/false as bool and null as None; a nested object or
# array is _NESTED here.
_NESTED: Any = object()


def _name(value: Any) -> str:
    if type(value) is not str:
        raise _Broken("NOT_STRING")
    try:
        return _NAME.validate_python(value)
    except ValidationError as error:
        raise _Broken(_NAME_RULES.get(error.errors()[0]["type"], "NOT_STRING")) from None


def _integer(value: Any) -> int:
    if type(value) is not int:  # not a bool, nor a fraction (a Decimal)
        raise _Broken("NOT_INTEGER")
    return int(value)


def _count(value: Any, minimum: int) -> int:
    number = _integer(value)
    if number < 0:
        raise _Broken("NEGATIVE")
    if not minimum <= number <= MAX_COUNT:
        raise _Broken("OUT_OF_RANGE")
    return number


def _time(value: Any) -> datetime:
    if type(value) is not str:
        raise _Broken("NOT_STRING")
    if not _ISO_TIME.fullmatch(value):
        raise _Broken("INVALID_TIME")
    try:
        # In UTC: a time whose UTC date is past year 9999 (or before 1) could never be exported.
        return datetime.fromisoformat(value.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Broken("INVALID_TIME") from None


def _stage(value: Any) -> str:
    if type(value) is not str:
        raise _Broken("INVALID_STAGE" if value is None else "NOT_STRING")
    if value not in STAGE_ORDER:
        raise _Broken("INVALID_STAGE")
    return value


_STAGE_CODES: dict[str | None, int] = {None: 0} | {
    stage: n + 1 for n, stage in enumerate(STAGE_ORDER)
}
_UNDO = 1 << 26


def _move(from_stage: str | None, to_stage: str | None, qty: int) -> int:
    """An event's stages and qty as one small number (qty < 2**20): what an undo must reverse."""
    return qty | _STAGE_CODES[from_stage] << 20 | _STAGE_CODES[to_stage] << 23


# The stages of every event that is not an undo: forward, or an addition (from None).
_FORWARD: dict[tuple[Any, Any], int] = {
    (from_stage, to_stage): _move(from_stage, to_stage, 0)
    for from_stage in (None, *STAGE_ORDER)
    for to_stage in STAGE_ORDER
    if from_stage is None or STAGE_ORDER[to_stage] > STAGE_ORDER[from_stage]
}


@dataclass(slots=True)
class _Links:
    """What the undo events of one type's history may name (version 2), by place in that
    history. Kept small: one type may hold every event of a 20 MiB file."""

    places: dict[int, int] = field(default_factory=dict)  # the file's event id -> its place
    moves: "array[int]" = field(default_factory=lambda: array("q"))  # per place: _move | _UNDO
    undone: set[int] = field(default_factory=set)

    def target(self, value: Any) -> int:
        """The place of the event an undo names."""
        place = self.places.get(_integer(value))
        if place is None or self.moves[place] & _UNDO:
            raise _Broken("UNKNOWN_EVENT")
        if place in self.undone:
            raise _Broken("ALREADY_UNDONE")
        return place


class _Reader:
    """One pass over the tokens; counts what it has handed on."""

    def __init__(self, tokens: Tokens, write: WriteRow) -> None:
        self.tokens = tokens
        self.write = write
        self.linked = False
        self.types = 0
        self.events = 0

    def value(self) -> Any:
        """The next value, as the leaves are judged (a nested one is skipped)."""
        event, value = next(self.tokens)
        if event in _OPEN:
            _skip(self.tokens, event)
            return _NESTED
        return value

    def document(self, body: Buffer) -> None:
        tokens = self.tokens
        event, _ = next(tokens)
        if event != "start_map":
            raise _Broken("NOT_OBJECT")
        found: set[str] = set()
        for event, key in tokens:
            if event == "end_map":
                break
            try:
                if key == "format":
                    value = self.value()
                    if type(value) is not str:
                        raise _Broken("NOT_STRING")
                    if value != FORMAT:
                        raise _Broken("UNKNOWN_FORMAT")
                elif key == "version":
                    version = _integer(self.value())
                    if version not in READABLE_VERSIONS:
                        raise _Broken("UNKNOWN_VERSION")
                    self.linked = version == LINKED_VERSION
                elif key == "types":
                    if next(tokens)[0] != "start_array":
                        raise _Broken("NOT_ARRAY")
                    if "version" not in found:
                        self.linked = _version_ahead(body) == LINKED_VERSION
                    self.type_list()
                else:
                    self.value()
                    continue
            except _Broken as broken:
                raise broken.within(key) from None
            found.add(key)
        for key in ("format", "version", "types"):
            if key not in found:
                raise _Broken("MISSING", key)

    def type_list(self) -> None:
        for event, _ in self.tokens:
            if event == "end_array":
                break
            type_no = self.types
            try:
                if event != "start_map":
                    raise _Broken("NOT_OBJECT")
                self.type(type_no)
            except _Broken as broken:
                raise broken.within(type_no) from None
            self.types += 1

    def type(self, type_no: int) -> None:
        tokens = self.tokens
        name = key = None
        created_at = counts = None
        try:
            for event, field in tokens:
                if event == "end_map":
                    break
                try:
                    if field == "name":
                        name = key = None
                        name = _name(self.value())
                        key = name_key(name)
                    elif field == "created_at":
                        value = self.value()
                        created_at = None if value is None else _time(value)
                    elif field == "counts":
                        counts = self.counts()
                    elif field == "history":
                        self.history(type_no)
                    else:
                        self.value()
                except _Broken as broken:
                    raise broken.within(field) from None
            if name is None:
                raise _Broken("MISSING", "name")
        finally:
            # A name read before an error is still compared with the earlier types' names: a
            # duplicate there comes first in the file.
            if name is not None:
                self.write(
                    (type_no, None, None, None, None, None, None, name, key, created_at, counts)
                )

    def counts(self) -> dict[str, int] | None:
        tokens = self.tokens
        event, _ = next(tokens)
        if event == "null":
            return None
        if event != "start_map":
            raise _Broken("NOT_OBJECT")
        counts: dict[str, int] = {}
        for event, stage in tokens:
            if event == "end_map":
                break
            if stage not in STAGE_ORDER:
                raise _Broken("INVALID_STAGE", stage)
            try:
                counts[stage] = _count(self.value(), 0)
            except _Broken as broken:
                raise broken.within(stage) from None
        return counts

    def history(self, type_no: int) -> None:
        """The hot path of a large file. Each event's keys and values are read first: whether
        it is an undo (its `undoes`, wherever that stands) decides its stage rules. An event
        as export writes it is then taken in one step; any other is judged key by key, in
        file order, which finds the first rule it breaks."""
        tokens = self.tokens
        event, _ = next(tokens)
        if event == "null":
            return
        if event != "start_array":
            raise _Broken("NOT_ARRAY")
        next_token = tokens.__next__
        write = self.write
        linked = self.linked
        links = _Links() if linked else None
        plain_event = _plain_event
        first = event_no = self.events
        for index, (event, _) in enumerate(tokens):
            if event == "end_array":
                break
            if event != "start_map":
                raise _Broken("NOT_OBJECT", index)
            values: dict[str, Any] = {}
            twice: list[tuple[str, Any]] | None = None  # every key and value, if a key repeats
            for event, key in tokens:
                if event == "end_map":
                    break
                event, value = next_token()
                if event in _OPEN:
                    _skip(tokens, event)
                    value = _NESTED
                if key in values and twice is None:
                    twice = list(values.items())
                if twice is not None:
                    twice.append((key, value))
                values[key] = value
            row = None if twice else plain_event(values, links)
            if row is None:
                try:
                    row = _judged_event(twice or list(values.items()), links)
                except _Broken as broken:
                    raise broken.within(index) from None
            from_stage, to_stage, qty, at, event_id, target, move = row
            if links is not None:
                if event_id is not None:
                    links.places[event_id] = index
                if target is not None:
                    links.undone.add(target)
                    target += first
                links.moves.append(move)
            write(
                (type_no, event_no, from_stage, to_stage, qty, at, target, None, None, None, None)
            )
            event_no += 1
        self.events = event_no


# A checked event: from_stage, to_stage, qty, at; its id, the place it undoes and its _move
# (version 2).
_Event = tuple[str | None, str | None, int, datetime, int | None, int | None, int]


def _plain_event(values: dict[str, Any], links: _Links | None) -> _Event | None:
    """An event that is not an undo and breaks no rule, in one step; None for anything else."""
    stages = (values.get("from_stage", _ABSENT), values.get("to_stage"))
    move = _FORWARD.get(stages)
    qty = values.get("qty")
    at = values.get("at")
    if move is None or type(qty) is not int or not 0 < qty <= MAX_COUNT:
        return None
    if type(at) is not str or not _ISO_TIME.fullmatch(at):
        return None
    event_id = None
    if links is not None:
        event_id = values.get("id")
        if values.get("undoes") is not None or not (
            event_id is None or (type(event_id) is int and event_id not in links.places)
        ):
            return None
    try:
        moment = datetime.fromisoformat(at.upper()).astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return *stages, qty, moment, event_id, None, move | qty


def _judged_event(fields: list[tuple[str, Any]], links: _Links | None) -> _Event:
    """One event judged key by key in file order: its first broken rule, or the event."""
    is_undo = links is not None and next(
        (v is not None for k, v in reversed(fields) if k == "undoes"), False
    )
    from_stage = to_stage = qty = at = _ABSENT
    event_id = target = None
    for key, value in fields:
        try:
            if key == "from_stage":
                from_stage = None if value is None else _stage(value)
            elif key == "to_stage":
                to_stage = None if value is None and is_undo else _stage(value)
            elif key == "qty":
                qty = _count(value, 1)
                continue
            elif key == "at":
                at = _time(value)
                continue
            elif links is None:
                continue
            elif key == "id":
                event_id = None if value is None else _integer(value)
                if event_id in links.places:
                    raise _Broken("DUPLICATE_ID")
                continue
            elif key == "undoes":
                target = None if value is None else links.target(value)
                continue
            else:
                continue
        except _Broken as broken:
            raise broken.within(key) from None
        if (
            not is_undo
            and from_stage is not _ABSENT
            and to_stage is not _ABSENT
            and from_stage is not None
            and STAGE_ORDER[to_stage] <= STAGE_ORDER[from_stage]
        ):
            raise _Broken("INVALID_TRANSITION", "to_stage")
    for key, value in zip(_EVENT_KEYS, (from_stage, to_stage, qty, at), strict=True):
        if value is _ABSENT:
            raise _Broken("MISSING", key)
    move = _move(from_stage, to_stage, qty)
    if target is None:
        return from_stage, to_stage, qty, at, event_id, None, move
    assert links is not None  # a target is only found through them
    if links.moves[target] != _move(to_stage, from_stage, qty):
        raise _Broken("UNDO_MISMATCH", "undoes")
    return from_stage, to_stage, qty, at, event_id, target, move | _UNDO
