"""The check of a backup file against its rules, as it is read.

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
key given twice in one object is checked each time, and the last one counts, as most JSON
readers take it (a type's last `name` is both the one compared with the other types' names and
the one stored).
`"id": null` and `"undoes": null` mean absent; an undo event whose own values are each valid
but do not reverse the event it names is UNDO_MISMATCH, checked after the event's other rules.
In a version 2 file whose `version` comes after `types`, the body is scanned ahead once for it.

Undo links (version 2) are checked here while a history's ids grow, as export writes them (a
compact index of the ids: `links.py`). Past an id that does not grow they are compared by
PostgreSQL, like names: each event's row carries its id and the id it undoes. Where an event
breaks a rule of its own after its `id` or `undoes`, a row with just those is still written,
so that a broken link before the error is found first there too. An `id` or `undoes` given
twice in one event is checked each time; the last one is the link.

Groups (version 3) are checked here too, each written as a row as it is read; names used
twice among them, and a type's `group` that names none of them, are PostgreSQL's to find, as
type names are (the file's groups may come after its types, and are never kept in Python).
Where the check stopped at an error after a type's `group` was read, the groups it did not
reach are read afterwards, names only (`_groups_ahead`): a `group` naming one of them is not
broken, and the error where the check stopped is the first. `"group": null` and `"notes":
null` mean absent; notes are stored as `POST /types` stores them (`clean_notes`). In a file
before version 3, `groups`, `group` and `notes` are unknown keys.

The file's shape (its versions, rules and the models describing it) is in `shape.py`; each
checked group, type and event becomes an `ImportRow` (`rows.py`).
"""

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import ijson
from pydantic import TypeAdapter, ValidationError
from typing_extensions import Buffer

from backend import errors
from backend.limits import MAX_COUNT, MAX_NOTES_LENGTH
from backend.names import clean_notes, name_key
from backend.schemas import Name
from backend.services.backup.links import FORWARD, MOVE, UNDO, UNDONE, UndoLinks, move_code
from backend.services.backup.rows import EMPTY_TYPE_COLUMNS, ImportRow, Row
from backend.services.backup.shape import (
    FORMAT,
    GROUPED_VERSION,
    LINKED_VERSION,
    READABLE_VERSIONS,
)
from backend.stages import STAGE_ORDER

WriteRow = Callable[[Row], object]


@dataclass(slots=True)
class Checked:
    """What the check counted, and the first broken rule it found (None: none).

    Two types (or groups) with the same name key are not among the rules found here, nor a
    type's `group` that names no group (`group_refs`: whether any type has one), nor the undo
    links of a history whose ids do not grow (`unordered_ids`): the rows are compared
    afterwards, and every row was written before `error`'s place in the file.
    """

    types: int
    events: int
    error: errors.ImportInvalid | None
    unordered_ids: bool = False
    groups: int = 0
    group_refs: bool = False


# --- the check -------------------------------------------------------------------------------

Tokens = Iterator[tuple[str, Any]]

_OPEN = frozenset({"start_map", "start_array"})
_CLOSE = frozenset({"end_map", "end_array"})
_ABSENT: Any = object()

# ISO 8601 date and time with a zone, as exported; "1700000000" or a date alone is not a time.
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})")
# An escaped UTF-16 surrogate, and the low half that may follow a high one. It starts with its
# literal backslash and "u", which `re` finds at memchr's speed: 4 ms for the benchmark's 10 MB,
# against 100 ms when the pattern began with the run of backslashes before it.
_SURROGATE = re.compile(rb"\\u[dD]([0-9a-fA-F])[0-9a-fA-F]{2}(\\u[dD][c-fC-F][0-9a-fA-F]{2})?")

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
        self.links: tuple[int | None, int | None, bool] | None = None

    def linked(self, event_id: int | None, undoes: int | None, undoes_first: bool) -> "_Broken":
        """Broken in an event after its id or undo link: those are still compared."""
        if event_id is not None or undoes is not None:
            self.links = (event_id, undoes, undoes_first)
        return self

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
        return Checked(0, 0, errors.ImportInvalid(path="", rule="NOT_JSON"))
    if error is not None and reader.group_refs:
        _groups_ahead(body, write)
    checked = Checked(reader.types, reader.events, error, reader.unordered_ids)
    checked.groups, checked.group_refs = reader.groups, reader.group_refs
    return checked


def _has_lone_surrogate(body: Buffer) -> bool:
    data = memoryview(body)
    for match in _SURROGATE.finditer(body):
        start = match.start()
        if start and data[start - 1] == _BACKSLASH and _backslashes_before(data, start) % 2:
            continue  # "\\ud800": an escaped backslash (an even run), then plain text
        if match[1] not in b"89abAB" or match[2] is None:
            return True  # a low half alone, or a high half without its low one
    return False


_BACKSLASH = ord("\\")


def _backslashes_before(data: memoryview, end: int) -> int:
    """How many backslashes run up to `end`: read back in pieces that double, so that a run of
    megabytes costs C's time and the usual none or one little."""
    start, size = end, 8
    while start > 0:
        piece = bytes(data[max(0, start - size) : start])
        rest = len(piece.rstrip(b"\\"))
        start -= len(piece) - rest
        if rest:
            break
        size *= 2
    return end - start


# Where the string open at a piece's end begins (a piece with an escaped backslash); the rest
# of a string, from inside it; the rest of a number or literal. Possessive: linear, whatever
# the bytes.
_WHOLE_TOKENS = re.compile(rb'(?:[^"]++|"(?:[^"\\]++|\\.)*+")*+', re.DOTALL)
_STRING_REST = re.compile(rb'(?:[^"\\]++|\\.)*+"', re.DOTALL)
_WORD = re.compile(rb"[-+.0-9A-Za-z]*")


class _BodyFile:
    """The body as a file for ijson, read a piece at a time without a copy of the whole
    (io.BytesIO copies any buffer but bytes).

    A piece never ends inside a string or a number: yajl reads a token cut by a piece's end
    again from its start with each further piece, so one string of 20 MiB with escapes or
    non-ASCII text took about 40 s (quadratic), against a fraction of a second whole. A piece
    is `size` bytes and the rest of the token it cuts, so its other tokens, and the events
    ijson makes of them at once, stay as few as before.
    """

    def __init__(self, body: Buffer) -> None:
        self.view = memoryview(body)
        self.at = 0

    def read(self, size: int) -> bytes:
        start, end = self.at, len(self.view)
        cut = min(start + size, end)
        piece = bytes(self.view[start:cut])
        if piece and cut < end:  # (ijson reads 0 bytes first, to tell bytes from text)
            inside = _inside_string(piece)
            if inside is not None:  # to the string's end (or the body's)
                rest = _STRING_REST.match(self.view, start + inside)
                cut = end if rest is None else rest.end()
            else:
                cut = _WORD.match(self.view, cut).end()  # type: ignore[union-attr]
            if cut > start + len(piece):
                piece = bytes(self.view[start:cut])
        self.at = cut
        return piece


def _inside_string(piece: bytes) -> int | None:
    """For a piece that starts outside strings and ends inside one, a place inside that string
    from which its rest reads as a string's (not within an escape); None if it ends outside.

    Without an escaped backslash in the piece, a quote is escaped exactly when a backslash
    comes before it: counting is several times quicker than reading the tokens (0.01 s against
    0.2 s for the benchmark's 10 MB file, whose names and notes have escapes)."""
    if b"\\\\" not in piece:
        if (piece.count(b'"') - piece.count(b'\\"')) % 2 == 0:
            return None
        return len(piece) - 1 if piece.endswith(b"\\") else len(piece)
    whole = _WHOLE_TOKENS.match(piece).end()  # type: ignore[union-attr]
    return whole + 1 if whole < len(piece) else None


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


def _groups_ahead(body: Buffer, write: WriteRow) -> None:
    """Every name of the file's top-level `groups`, each as a row that only matches the types'
    `group` (group_no -1): for a check that stopped before it read them all."""
    depth = 0
    tokens: Tokens = ijson.basic_parse(_BodyFile(body))
    for event, value in tokens:  # (a body the check read to its end: no JSON error here)
        if event in _OPEN:
            depth += 1
        elif event in _CLOSE:
            depth -= 1
        elif depth == 1 and event == "map_key" and value == "groups":
            event, _ = next(tokens)
            if event in _OPEN:
                depth += 1
                if event == "start_array":
                    _group_names(tokens, write)
                    depth -= 1


def _group_names(tokens: Tokens, write: WriteRow) -> None:
    """The valid names in an array of groups (of each group its last), to its end."""
    for event, _ in tokens:
        if event == "end_array":
            return
        if event != "start_map":
            _skip(tokens, event)
            continue
        name = None
        for event, key in tokens:
            if event == "end_map":
                break
            event, value = next(tokens)
            if event in _OPEN:
                _skip(tokens, event)
                value = _NESTED
            if key == "name":
                name = value
        try:
            key = name_key(_name(name))
        except _Broken:
            continue  # a group without a valid name is none that a type can name
        write(ImportRow(type_no=0, group_no=-1, name_key=key))


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


def _notes(value: Any) -> str:
    if type(value) is not str:
        raise _Broken("NOT_STRING")
    notes = clean_notes(value)
    if len(notes) > MAX_NOTES_LENGTH:
        raise _Broken("NOTES_TOO_LONG")
    return notes


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


_T = TypeVar("_T")


class _Reader:
    """One pass over the tokens; counts what it has handed on."""

    def __init__(self, tokens: Tokens, write: WriteRow) -> None:
        self.tokens = tokens
        self.write = write
        self.version_known = False
        self.linked = False  # version 2 on: event ids and undo links
        self.grouped = False  # version 3 on: groups, a type's group and notes
        self.types = 0
        self.events = 0
        self.groups = 0
        self.group_refs = False
        self.unordered_ids = False

    def know_version(self, version: Any) -> None:
        self.version_known = True
        readable = version if version in READABLE_VERSIONS else 0
        self.linked = readable >= LINKED_VERSION
        self.grouped = readable >= GROUPED_VERSION

    def version_ahead(self, body: Buffer) -> None:
        """For a `groups` or `types` before `version`: the body is scanned ahead once for it."""
        if not self.version_known:
            self.know_version(_version_ahead(body))

    def value(self) -> Any:
        """The next value, as the leaves are judged (a nested one is skipped)."""
        event, value = next(self.tokens)
        if event in _OPEN:
            _skip(self.tokens, event)
            return _NESTED
        return value

    def optional(self, judge: Callable[[Any], _T]) -> _T | None:
        """The next value judged, or None for null (absent)."""
        value = self.value()
        return None if value is None else judge(value)

    def name(self) -> tuple[str, str]:
        """The next value as a name, and its key."""
        name = _name(self.value())
        return name, name_key(name)

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
                    self.know_version(version)
                elif key == "groups":
                    self.version_ahead(body)
                    if not self.grouped:
                        self.value()  # before version 3, an unknown key
                        continue
                    self.group_list()
                elif key == "types":
                    if next(tokens)[0] != "start_array":
                        raise _Broken("NOT_ARRAY")
                    self.version_ahead(body)
                    self.types = self.objects(self.type, self.types)
                else:
                    self.value()
                    continue
            except _Broken as broken:
                raise broken.within(key) from None
            found.add(key)
        for key in ("format", "version", "types"):
            if key not in found:
                raise _Broken("MISSING", key)

    def group_list(self) -> None:
        tokens = self.tokens
        event, _ = next(tokens)
        if event == "null":
            return
        if event != "start_array":
            raise _Broken("NOT_ARRAY")
        self.groups = self.objects(self.group, self.groups)

    def objects(self, read: Callable[[int], None], number: int) -> int:
        """Reads an array's objects (its `[` already read), each with `read(number)`, numbered on
        from `number`: an error inside one names it. Returns the next number."""
        for event, _ in self.tokens:
            if event == "end_array":
                break
            try:
                if event != "start_map":
                    raise _Broken("NOT_OBJECT")
                read(number)
            except _Broken as broken:
                raise broken.within(number) from None
            number += 1
        return number

    def group(self, group_no: int) -> None:
        name = key = created_at = None
        try:
            for event, field in self.tokens:
                if event == "end_map":
                    break
                try:
                    if field == "name":
                        name = key = None
                        name, key = self.name()
                    elif field == "created_at":
                        created_at = self.optional(_time)
                    else:
                        self.value()
                except _Broken as broken:
                    raise broken.within(field) from None
            if name is None:
                raise _Broken("MISSING", "name")
        finally:
            # A name read before an error is still compared with the other groups' names and
            # matched with the types' `group`, as a type's is.
            if name is not None:
                # fmt: off
                self.write(ImportRow(
                    type_no=self.types, group_no=group_no, name=name, name_key=key,
                    name_at=self.events, created_at=created_at,
                ))
                # fmt: on

    def type(self, type_no: int) -> None:
        tokens = self.tokens
        name = key = name_at = None
        created_at = counts = notes = None
        group_key = group_at = None
        name_place = group_place = 0  # which of the type's keys each was
        try:
            for place, (event, field) in enumerate(tokens):
                if event == "end_map":
                    break
                try:
                    if field == "name":
                        name = key = None
                        name, key = self.name()
                        name_at, name_place = self.events, place
                    elif field == "group" and self.grouped:
                        group_key = None
                        value = self.value()
                        if value is not None:
                            if type(value) is not str:
                                raise _Broken("NOT_STRING")
                            group_key = name_key(value)
                            group_at, group_place = self.events, place
                    elif field == "notes" and self.grouped:
                        notes = self.optional(_notes)
                    elif field == "created_at":
                        created_at = self.optional(_time)
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
            # A name read before an error is still compared with the earlier types' names (and
            # a group read before it matched with the groups): a duplicate there comes first in
            # the file.
            if name is not None or group_key is not None:
                self.group_refs |= group_key is not None
                # fmt: off
                self.write(ImportRow(
                    type_no=type_no, name=name, name_key=key, name_at=name_at,
                    created_at=created_at, counts=counts, group_key=group_key, group_at=group_at,
                    group_first=None if group_key is None else group_place < name_place,
                    notes=notes,
                ))
                # fmt: on

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
        links = UndoLinks()  # (used in a linked file only: only there has an event an id)
        last_id = None
        keep_id, keep_event, keep_move = links.ids.append, links.events.append, links.moves.append
        plain_event = _plain_event
        event_no = self.events
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
            checked: _Event | None = None if twice else plain_event(values, linked)
            if checked is not None and last_id is not None:
                event_id = checked[4]
                if event_id is not None and event_id <= last_id:
                    checked = None  # judged: is it used twice?
            if checked is None:
                try:
                    checked = _judged_event(
                        twice or list(values.items()), links if linked else None
                    )
                except _Broken as broken:
                    if broken.links is not None:  # for PostgreSQL to compare
                        link_id, link_undoes, link_first = broken.links
                        # fmt: off
                        write(ImportRow(
                            type_no=type_no, event_no=event_no, place=index, event_id=link_id,
                            undoes=link_undoes, undoes_first=link_first,
                        ))
                        # fmt: on
                    raise broken.within(index) from None
            from_stage, to_stage, qty, at, event_id, undoes, undoes_first, found, move = checked
            target = None
            if found is not None:
                links.moves[found] |= UNDONE
                target = links.events[found]
            if event_id is not None and links.ordered:
                grows = last_id is None or event_id > last_id
                if grows:
                    try:
                        keep_id(event_id)
                    except OverflowError:  # past 64 bits
                        grows = False
                if grows:
                    keep_event(event_no)
                    keep_move(move)
                    last_id = event_id
                else:
                    links.unorder()
                    last_id = None
                    self.unordered_ids = True
            # fmt: off
            write((  # an ImportRow, as a plain tuple (rows.EMPTY_TYPE_COLUMNS)
                type_no, event_no, index, from_stage, to_stage, qty, at, event_id, undoes,
                undoes_first, target, *EMPTY_TYPE_COLUMNS,
            ))
            # fmt: on
            event_no += 1
        self.events = event_no


# A checked event: from_stage, to_stage, qty, at; its id, the id it undoes and whether that
# came first; where UndoLinks has the event it undoes, and its move_code (version 2).
_Event = tuple[
    str | None, str | None, int, datetime, int | None, int | None, bool | None, int | None, int
]


def _plain_event(values: dict[str, Any], linked: bool) -> _Event | None:
    """An event that is not an undo and breaks no rule, in one step; None for anything else.
    (Whether its id was used before is the caller's to ask.)"""
    stages = (values.get("from_stage", _ABSENT), values.get("to_stage"))
    move = FORWARD.get(stages)
    qty = values.get("qty")
    at = values.get("at")
    if move is None or type(qty) is not int or not 0 < qty <= MAX_COUNT or type(at) is not str:
        return None
    event_id = None
    if linked:
        event_id = values.get("id")
        if values.get("undoes") is not None or not (event_id is None or type(event_id) is int):
            return None
    try:
        if len(at) == 20 and at[4::3] == "--T::Z":
            # As export writes it, 2026-11-01T09:00:00Z: the parse checks every digit, which
            # is all _ISO_TIME would, at a fraction of the cost of the match.
            moment = datetime.fromisoformat(at)
        elif _ISO_TIME.fullmatch(at):
            moment = datetime.fromisoformat(at.upper()).astimezone(UTC)
        else:
            return None
    except (ValueError, OverflowError):
        return None
    return *stages, qty, moment, event_id, None, None, None, move | qty


def _judged_event(fields: list[tuple[str, Any]], links: UndoLinks | None) -> _Event:
    """One event judged key by key in file order: its first broken rule, or the event. The
    rule broken carries the event's id and undo link read before it (`links`), if any."""
    is_undo = links is not None and next(
        (v is not None for k, v in reversed(fields) if k == "undoes"), False
    )
    from_stage = to_stage = qty = at = _ABSENT
    event_id = undoes = found = None
    id_at = undoes_at = -1
    for place, (key, value) in enumerate(fields):
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
                id_at = place
                if event_id is not None and links.used_before(event_id):
                    raise _Broken("DUPLICATE_ID")
                continue
            elif key == "undoes":
                undoes = found = None
                undoes = None if value is None else _integer(value)
                undoes_at = place
                if undoes is not None:
                    found, broken_link = links.target(undoes)
                    if broken_link is not None:
                        raise _Broken(broken_link)
                continue
            else:
                continue
        except _Broken as broken:
            raise broken.linked(event_id, undoes, undoes_at < id_at).within(key) from None
        if (
            not is_undo
            and from_stage is not _ABSENT
            and to_stage is not _ABSENT
            and from_stage is not None
            and STAGE_ORDER[to_stage] <= STAGE_ORDER[from_stage]
        ):
            backwards = _Broken("INVALID_TRANSITION", "to_stage")
            raise backwards.linked(event_id, undoes, undoes_at < id_at)
    for key, value in zip(_EVENT_KEYS, (from_stage, to_stage, qty, at), strict=True):
        if value is _ABSENT:
            raise _Broken("MISSING", key).linked(event_id, undoes, undoes_at < id_at)
    move = move_code(from_stage, to_stage, qty)
    if undoes is not None:
        assert links is not None  # an undo link is only read in a linked file
        if found is not None and links.moves[found] & MOVE != move_code(to_stage, from_stage, qty):
            raise _Broken("UNDO_MISMATCH", "undoes")
        move |= UNDO
    return from_stage, to_stage, qty, at, event_id, undoes, undoes_at < id_at, found, move
