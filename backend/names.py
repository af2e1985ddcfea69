"""Names: the form stored and shown, and the name key that uniqueness, search and order use.

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

The limit of "both sides compute the same key": NFKC and case folding come from Python's own
Unicode tables (Python 3.11: Unicode 14.0), the properties from `regex` and the UI's from the
browser, both newer (Unicode 17 in Chromium 156 and Node 20.20). The two keys agree on every
character Unicode 14 assigned (every shared vector included). Of the characters assigned since,
154 get another key in the UI: letters with a case or compatibility mapping that Unicode 14
cannot know (Garay, Latin additions such as U+A7CB, Cyrillic modifier letters U+1E030-U+1E06D,
outlined letters U+1CCD6-U+1CCF9, ...), and 20 pairs that newer NFKC composes (U+16D67 U+16D67
is U+16D68). For such a name the UI's own filter may match where the server's `q` does not, or
the reverse; uniqueness and order are the server's alone. A newer Python moves the server's
tables, and then existing keys must be recomputed by a migration, as 0002 does.
"""

import unicodedata

import regex

MAX_NAME_LENGTH = 100

_EDGE = r"[\p{White_Space}\p{Default_Ignorable_Code_Point}]+"
_EDGES = regex.compile(rf"^{_EDGE}|{_EDGE}$")
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
_CONTROL = regex.compile(r"\p{Cc}")
_SPACES = regex.compile(r"[\p{White_Space}\p{Cc}]+")


def clean_name(name: str) -> str:
    """The name as stored and shown: NFC, control characters made spaces, whitespace and
    invisible characters trimmed."""
    return _EDGES.sub("", _CONTROL.sub(" ", unicodedata.normalize("NFC", name)))


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
