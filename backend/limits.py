"""Every limit a user can meet, in one place. The UI reads its copy, ui/src/api/limits.json,
written from here: `python -m backend.limits ui/src/api/limits.json` (a test keeps it current).
"""

import json
import sys
from pathlib import Path

MAX_COUNT = 1_000_000  # miniatures in one stage of a type; a qty's maximum too
MAX_NAME_LENGTH = 100  # characters of a name, after trimming
MAX_NOTES_LENGTH = 10_000  # characters of a type's notes, after trailing whitespace is trimmed
MAX_UNDO_EVENTS = 1000  # event ids in one undo request
MAX_BODY_BYTES = 64 * 1024  # a request body, but for an import
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # an import's body: the backup file

# Ids in the database's integer columns: a larger one names nothing.
MAX_TYPE_ID = 2**31 - 1
MAX_GROUP_ID = 2**31 - 1
MAX_EVENT_ID = 2**63 - 1

# What the UI checks before it asks (the database's id ranges are the server's business).
UI_LIMITS = {
    "MAX_COUNT": MAX_COUNT,
    "MAX_NAME_LENGTH": MAX_NAME_LENGTH,
    "MAX_NOTES_LENGTH": MAX_NOTES_LENGTH,
    "MAX_UNDO_EVENTS": MAX_UNDO_EVENTS,
    "MAX_BODY_BYTES": MAX_BODY_BYTES,
    "MAX_IMPORT_BYTES": MAX_IMPORT_BYTES,
}


def limits_json() -> str:
    return json.dumps(UI_LIMITS, indent=2) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(limits_json(), encoding="utf-8")
