"""Write the app's API description: `python -m backend.openapi PATH` (the UI's types)."""

import json
import sys
from pathlib import Path

from backend.main import create_app
from backend.settings import Settings


def openapi_json() -> str:
    # No database is touched: the engine is created lazily and never connected.
    app = create_app(Settings(database_url="postgresql://localhost/unused"))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(openapi_json(), encoding="utf-8")
