"""Times as the contract writes them, in one place: ISO 8601 in UTC with Z, and the UTC date
that names a file (an export, a spreadsheet: dated as the `exported_at` inside it)."""

from datetime import UTC, datetime


def utc_text(moment: datetime) -> str:
    """2026-11-26T10:00:00Z (a fraction only when there is one), as pydantic writes answers."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def file_date(moment: datetime) -> str:
    """2026-11-26: the UTC date, whatever the zone of the machine that names the file."""
    return f"{moment.astimezone(UTC):%Y-%m-%d}"
