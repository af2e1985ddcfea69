"""One-time pairing codes: shown at this computer (a QR code), good once, for 10 minutes.

Kept in memory, as digests only: a code that was never used is gone with the process, which is
what a person expects of a code on the screen. One code is live at a time; asking for a new one
ends the one before. Codes are short enough to type (12 characters of Crockford's base 32, 60
bits) where a camera cannot scan; guessing is bounded by `backend.attempts`.
"""

import hashlib
import secrets
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

CODE_LIFETIME = timedelta(minutes=10)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's: no I, L, O or U
GROUPS, GROUP_SIZE = 3, 4
# What a person may type for a character that is not in the alphabet.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalise_code(text: str) -> str | None:
    """ABCD-EFGH-JKMN as typed (any case, dashes or spaces, O for 0); None if it cannot be one."""
    if len(text) > 64:
        return None
    plain = "".join(text.split()).replace("-", "").upper().translate(_READ_AS)
    if len(plain) != GROUPS * GROUP_SIZE or any(c not in ALPHABET for c in plain):
        return None
    return plain


def _digest(plain: str) -> bytes:
    return hashlib.sha256(plain.encode()).digest()


class PairingCodes:
    def __init__(self, now: Callable[[], datetime]) -> None:
        self.now = now
        self._lock = threading.Lock()
        self._live: tuple[bytes, datetime] | None = None

    def issue(self) -> tuple[str, datetime]:
        """A new code, shown as ABCD-EFGH-JKMN, and when it expires; the one before is ended."""
        plain = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE))
        expires_at = self.now() + CODE_LIFETIME
        with self._lock:
            self._live = (_digest(plain), expires_at)
        shown = "-".join(plain[i : i + GROUP_SIZE] for i in range(0, len(plain), GROUP_SIZE))
        return shown, expires_at

    def redeem(self, text: str) -> bool:
        """Whether `text` is the live code; a right one is used up at once."""
        plain = normalise_code(text)
        if plain is None:
            return False
        given = _digest(plain)
        with self._lock:
            if self._live is None:
                return False
            live, expires_at = self._live
            if not secrets.compare_digest(given, live):
                return False
            self._live = None
        return self.now() < expires_at
