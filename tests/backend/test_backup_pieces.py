"""The import reads a file a piece at a time: whatever the pieces' size, the check reads the
same tokens as from the whole file, and no piece ends inside a string or a number, so a long
one is read once, not again from its start with each piece (tests/security/test_hostile_input.py
has the 20 MiB strings)."""

import json
from typing import Any

import ijson
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.services.backup.check import _BodyFile

# JSON values with the characters that matter at a cut: quotes, backslashes, control
# characters (escaped), non-ASCII text of two to four bytes, and numbers of every form.
text = st.text(st.sampled_from('"\\/\n\t\x00 aZ9-.eяé€😀'), max_size=12)
numbers = st.integers(-(10**30), 10**30) | st.floats(allow_nan=False, allow_infinity=False)
leaf = st.none() | st.booleans() | numbers
values = st.recursive(
    leaf | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


WORD = frozenset(b"-+.0123456789eEtrufalsn")  # what numbers and literals are made of


def ends_of_tokens(body: bytes) -> set[int]:
    """The places between tokens: not inside a string, nor inside a number or a literal."""
    places, in_string, escaped = set(), False, False
    for at, byte in enumerate(body):
        if in_string:
            if escaped:
                escaped = False
            elif byte == ord("\\"):
                escaped = True
            elif byte == ord('"'):
                in_string = False
            continue
        if not (at and body[at - 1] in WORD and byte in WORD):
            places.add(at)
        in_string = byte == ord('"')
    return places | {len(body)}


def pieces(body: bytes, size: int) -> list[bytes]:
    reader, read = _BodyFile(body), []
    while piece := reader.read(size):
        read.append(piece)
    return read


@settings(max_examples=300, deadline=None)
@given(values, st.booleans(), st.integers(1, 24))
def test_pieces_of_any_size_read_as_the_whole_file(value: Any, ascii: bool, size: int) -> None:
    body = json.dumps(value, ensure_ascii=ascii).encode()
    whole = list(ijson.basic_parse(body))
    assert list(ijson.basic_parse(_BodyFile(body), buf_size=size)) == whole
    read = pieces(body, size)
    assert b"".join(read) == body
    places, at = ends_of_tokens(body), 0
    for piece in read:
        assert len(piece) >= min(size, len(body) - at)
        at += len(piece)
        assert at in places, f"a piece ends inside a token: {body[:at]!r} | {body[at:]!r}"


def test_a_string_that_never_ends_is_one_piece_to_the_end() -> None:
    body = b'{"a": "' + "я".encode() * 50 + b'\\"'
    assert pieces(body, 10) == [body]
