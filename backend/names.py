"""Names: the form stored and shown, and the name key that uniqueness, search and order use
(and, beside them, how a type's notes are stored: `clean_notes`).

Computed in Python because the embedded PostgreSQL has no ICU and its case rules depend on
the locale it was initialised with. The UI's search computes the same key
(ui/src/lib/names.ts); tests/name_keys.json lists names and their keys that both are tested
against.

The invisible characters are Unicode's Default_Ignorable_Code_Point property and the spaces
its White_Space property, as the `regex` module's Unicode tables define them (the same names
that the UI's regular expressions use), not a list of our own. A name is one line of text:
control characters (general category Cc: U+0000-U+001F, U+007F-U+009F, tabs and line breaks
among them) are read as spaces, in the stored name as in the key. NUL never gets this far: a
string holding one is refused as malformed (PostgreSQL text cannot hold it).

Unicode versions: NFKC and case folding come from Python's own tables (Python 3.11: Unicode
14.0), the properties from `regex` and the UI's from the browser, both newer (Unicode 17 in
Chromium 156 and Node 20.20). Characters assigned since Unicode 14 are left as they are here
(unassigned, they have no mapping); the UI leaves them as they are too, from a list generated
from these tables (ui/src/lib/serverUnicode.ts, by tests/server_unicode.py, which a test keeps
current). Without it 154 such characters (Garay, Latin additions such as U+A7CB, Cyrillic
modifier letters, outlined digits) and 20 pairs that newer NFKC composes got another key in
the UI. What the browser's Unicode assigns after `regex`'s is still its own. A newer Python
moves the server's tables: stored keys must then be recomputed by a migration, as 0002 does.
"""

import unicodedata

import regex

_EDGE = regex.compile(r"[\p{White_Space}\p{Default_Ignorable_Code_Point}]+")
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
_CONTROL = regex.compile(r"\p{Cc}")
_SPACES = regex.compile(r"[\p{White_Space}\p{Cc}]+")
_LINE_BREAK = regex.compile(r"\r\n?")
_NOTES_CONTROL = regex.compile(r"[^\P{Cc}\t\n]")  # a control character but a tab or a line feed


def clean_name(name: str) -> str:
    """The name as stored and shown: NFC, control characters made spaces, whitespace and
    invisible characters trimmed."""
    return _trimmed(_CONTROL.sub(" ", unicodedata.normalize("NFC", name)))


def _trimmed(text: str) -> str:
    """Without the whitespace and invisible characters at either end, each end matched from
    that end. (A pattern for the end, searched from the start, tried again from each character
    of a run inside the name: 19 s for a name of 60,000 characters.)"""
    head, tail = _EDGE.match(text), _EDGE.match(text[::-1])
    start, end = (head.end() if head else 0), len(text) - (tail.end() if tail else 0)
    return text[start:end]


def name_key(name: str) -> str:
    """What a person would call the same name: "ＫＮＩＧＨＴＳ\\u200b " and "knights" share it.

    NFKC, invisible characters removed, runs of whitespace and control characters one space
    and trimmed, case-folded, ё read as е. Invisible characters go first so that none can keep
    two letters from composing; NFKC runs again after case folding, which can leave letters
    decomposed (ΐ).
    """
    text = unicodedata.normalize("NFKC", _IGNORABLE.sub("", name))
    text = unicodedata.normalize("NFKC", text.casefold())
    text = _SPACES.sub(" ", _IGNORABLE.sub("", text)).strip(" ")
    return text.replace("ё", "е")


def clean_notes(notes: str) -> str:
    """A type's notes as stored: line breaks (CR LF and CR too) one line feed, tabs kept, every
    other control character a space, trailing whitespace trimmed. Nothing else changes."""
    return _NOTES_CONTROL.sub(" ", _LINE_BREAK.sub("\n", notes)).rstrip()
