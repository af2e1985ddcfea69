"""An import or a restore, in its order: check the file, hold off writers, take the safety
copy, apply; all in a savepoint, so a failure anywhere leaves the database as it was.

The one place that knows both the import and the automatic copies: the dependencies run one
way (export <- copies <- this flow; the import's own modules know nothing of copies).
"""

import logging

from sqlalchemy.orm import Session
from typing_extensions import Buffer

from backend.schemas import CopyKind, ImportMode, ImportSummary
from backend.services.backup import load
from backend.services.copies import CopyStore
from backend.services.types import has_data

log = logging.getLogger(__name__)


def import_backup(
    *, session: Session, body: Buffer, mode: ImportMode, dry_run: bool, copies: CopyStore
) -> ImportSummary:
    """Checks a backup file and applies it; a dry run checks everything, limits included, and
    writes nothing."""
    replace = mode is ImportMode.REPLACE
    with session.begin_nested():
        checked = load.check_into_tables(session, body)
        load.hold_off_writers(session)
        if not dry_run and (replace or checked.types or checked.groups) and has_data(session):
            # Written under the import's lock before anything changes; kept if it succeeds.
            with copies.taking(session=session, kind=CopyKind.BEFORE_IMPORT) as copy:
                summary = load.apply_checked(session, checked, replace=replace, dry_run=False)
            summary.safety_copy = copy.entry.name
        else:
            summary = load.apply_checked(session, checked, replace=replace, dry_run=dry_run)
        load.drop_import_tables(session)
    # What happened, never what the file holds.
    log.info(
        "import: mode=%s dry_run=%s types_created=%d types_merged=%d events_added=%d "
        "groups_created=%d",
        mode.value,
        dry_run,
        summary.types_created,
        summary.types_merged,
        summary.events_added,
        summary.groups_created,
    )
    return summary
