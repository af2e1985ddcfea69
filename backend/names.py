"""The normalised name key: one function for uniqueness, search and order.

Computed in Python because the embedded PostgreSQL has no ICU and its case rules depend on
the locale it was initialised with.
"""

import unicodedata

MAX_NAME_LENGTH = 100


def clean_name(name: str) -> str:
    """The name as stored and shown: trimmed, in NFC."""
    return unicodedata.normalize("NFC", name.strip())


def name_key(name: str) -> str:
    """Trimmed, NFC, case-folded, with ё read as е."""
    folded = unicodedata.normalize("NFC", clean_name(name).casefold())
    return folded.replace("ё", "е")
