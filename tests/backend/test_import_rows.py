"""The rows the check writes for the import's temporary table: each a whole ImportRow, the
hot path's plain tuples included, with every value in its column."""

import json
from datetime import UTC, datetime

from backend.services.backup.check import check_backup
from backend.services.backup.rows import ImportRow, Row


def rows_of(document: dict[str, object]) -> list[ImportRow]:
    written: list[Row] = []
    checked = check_backup(json.dumps(document).encode(), written.append)
    assert checked.error is None
    return [ImportRow(*row) for row in written]


def test_every_row_fills_its_columns_by_name() -> None:
    at = "2026-11-01T09:00:00Z"
    rows = rows_of(
        {
            "format": "miniatures-tracker",
            "version": 2,
            "types": [
                {
                    "name": " Orks ",
                    "history": [
                        {"id": 7, "from_stage": None, "to_stage": "IN_BOX", "qty": 3, "at": at},
                        {
                            "undoes": 7,
                            "id": 9,
                            "from_stage": "IN_BOX",
                            "to_stage": None,
                            "qty": 3,
                            "at": at,
                        },
                    ],
                    "counts": {"DONE": 0, "IN_BOX": 2},
                }
            ],
        }
    )
    moment = datetime(2026, 11, 1, 9, tzinfo=UTC)
    assert rows == [
        ImportRow(type_no=0, event_no=0, place=0, to_stage="IN_BOX", qty=3, at=moment, event_id=7),
        ImportRow(
            type_no=0,
            event_no=1,
            place=1,
            from_stage="IN_BOX",
            qty=3,
            at=moment,
            event_id=9,
            undoes=7,
            undoes_first=True,
            target=0,
        ),
        ImportRow(
            type_no=0, name="Orks", name_key="orks", name_at=0, counts={"DONE": 0, "IN_BOX": 2}
        ),
    ]
