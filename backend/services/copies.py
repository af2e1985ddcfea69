"""The app's own copies of the database, in the data folder's backups/.

Each copy is a complete backup file. After its last type it carries one more key, `"copy"`,
with what the listing shows (kind, time, types, miniatures) and a fingerprint of the data it
holds: the listing reads the last few hundred bytes of each file, never the whole file, and
the daily check compares fingerprints instead of exporting (import ignores unknown keys).

A copy is written to a hidden `.….json.partial` file, flushed to disk, then renamed
(`backend.files`); the listing only shows names of the copies' own shape whose trailer reads
back, so a file left half-written by a crash is never listed (and is removed when the app
starts).
"""

import logging
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import text
from sqlalchemy.orm import Session

from backend import errors
from backend.files import replace_durably, write_temporary
from backend.schemas import BackupEntry, CopyKind
from backend.services.backup.export import export_chunks
from backend.times import utc_text

log = logging.getLogger(__name__)


KEPT = {CopyKind.DAILY: 14, CopyKind.BEFORE_IMPORT: 10, CopyKind.MANUAL: 10}

# daily-2026-11-30T020000Z.json; a second copy of the same kind in the same second: …Z-2.json
_NAME = re.compile(
    r"(?P<kind>daily|before-import|manual)-\d{4}-\d{2}-\d{2}T\d{6}Z(?:-(?P<n>[2-9]|[1-9]\d{1,3}))?"
    r"\.json"
)
_PARTIAL_SUFFIX = ".json.partial"
# The trailer is the file's last line but two; 4 KiB is many times its length.
_TAIL_BYTES = 4096
_TRAILER = re.compile(rb',\n  "copy": (\{[^\n]*\})\n\}\n\Z')


class _Trailer(BaseModel):
    model_config = ConfigDict(strict=False, extra="ignore")

    kind: CopyKind
    at: datetime
    types: int
    miniatures: int
    state: str


# What a copy holds, in a few milliseconds at 110k events: every group's id, name and creation
# time, every type's id, name, creation time, group and notes (a hash of them), every count, and
# the events' number and newest id. Events are only ever appended or deleted with their type (or
# all at once by a replace import, which also makes new type ids), so any change of the data
# changes one of these.
STATE_QUERY = text(
    """
    SELECT md5(concat_ws('|',
        (SELECT string_agg(concat_ws(':', id, created_at, name), E'\\n' ORDER BY id)
         FROM groups),
        (SELECT string_agg(
             concat_ws(':', id, created_at, group_id, md5(notes), name), E'\\n' ORDER BY id)
         FROM miniature_types),
        (SELECT string_agg(concat_ws(':', type_id, stage, count), ',' ORDER BY type_id, stage)
         FROM stage_counts),
        (SELECT concat_ws(':', count(*), max(id)) FROM history_events)
    ))
    """
)


def data_state(session: Session) -> str:
    state: str = session.execute(STATE_QUERY).scalar_one()
    return state


def _copy_name_kind(name: str) -> CopyKind | None:
    match = _NAME.fullmatch(name)
    return CopyKind(match["kind"]) if match else None


def _sequence(name: str) -> int:
    match = _NAME.fullmatch(name)
    return int(match["n"] or 1) if match else 0


class PendingCopy:
    """A copy being taken; `entry` is set once it is listed."""

    entry: BackupEntry


class CopyStore:
    """The copies in the data folder's backups/: writing, listing, finding, pruning and
    cleaning up."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # One writer at a time picks a name, renames into it and prunes.
        self._lock = threading.Lock()

    def remove_partials(self) -> None:
        """Half-written copies from a crash: called when the app starts, before any copy."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob(f".*{_PARTIAL_SUFFIX}"):
            log.info("removing a half-written copy: %s", path.name)
            path.unlink(missing_ok=True)

    def listed(self) -> list[BackupEntry]:
        """Every copy whose trailer reads back, newest first."""
        return [entry for entry, _ in self._scan()]

    def newest_state(self) -> str | None:
        """The fingerprint recorded in the newest copy, of any kind."""
        return next((state for _, state in self._scan()), None)

    def _scan(self) -> list[tuple[BackupEntry, str]]:
        if not self.folder.is_dir():
            return []
        found: list[tuple[BackupEntry, str]] = []
        with os.scandir(self.folder) as entries:
            for entry in entries:
                kind = _copy_name_kind(entry.name)
                if kind is None or not entry.is_file(follow_symlinks=False):
                    continue
                read = self._read(Path(entry.path), kind)
                if read is not None:
                    found.append(read)
        found.sort(key=lambda item: (item[0].at, _sequence(item[0].name)), reverse=True)
        return found

    def _read(self, path: Path, kind: CopyKind) -> tuple[BackupEntry, str] | None:
        """The entry and fingerprint from the file's last bytes; None if they do not read."""
        try:
            with path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size
                file.seek(max(0, size - _TAIL_BYTES))
                tail = file.read(_TAIL_BYTES)
        except OSError:
            return None
        match = _TRAILER.search(tail)
        if match is None:
            return None
        try:
            trailer = _Trailer.model_validate_json(match[1])
        except ValidationError:
            return None
        if trailer.kind is not kind:
            return None
        entry = BackupEntry(
            name=path.name,
            kind=kind,
            at=trailer.at.astimezone(UTC),
            bytes=size,
            types=trailer.types,
            miniatures=trailer.miniatures,
        )
        return entry, trailer.state

    def read(self, name: str) -> bytes:
        """The file of a copy the listing shows; any other name is ERR_BACKUP_NOT_FOUND.

        The name is only ever compared with the listing's names, never used as a path itself.
        """
        for entry in self.listed():
            if entry.name == name:
                try:
                    return (self.folder / entry.name).read_bytes()
                except FileNotFoundError:
                    break  # removed between the listing and the read
        raise errors.BackupNotFound()

    def write(self, *, session: Session, kind: CopyKind) -> BackupEntry:
        """Exports the database through `session` into a new copy of `kind`; prunes old ones."""
        with self.taking(session=session, kind=kind) as copy:
            pass
        return copy.entry

    @contextmanager
    def taking(self, *, session: Session, kind: CopyKind) -> Iterator["PendingCopy"]:
        """Writes the copy on entering; it is listed only once the block ends without error.

        An import takes its copy this way: the file is complete before anything changes, and
        an import that fails leaves no copy behind to push an older one out.
        """
        at = datetime.now(UTC)
        state = data_state(session)
        self.folder.mkdir(parents=True, exist_ok=True)
        chunks = self._chunks(session, kind, at, state)
        partial = write_temporary(
            self.folder, chunks, prefix=f".{kind.value}-", suffix=_PARTIAL_SUFFIX
        )
        copy = PendingCopy()
        try:
            yield copy
            with self._lock:
                target = self._free_name(kind, at)
                replace_durably(partial, target)
                read = self._read(target, kind)
                if read is None:  # pragma: no cover - the file was just written
                    raise RuntimeError("a copy just written does not read back")
                copy.entry = read[0]
                self._prune(kind, keep=target.name)
        finally:
            partial.unlink(missing_ok=True)
        log.info("copy written: %s (%d bytes)", copy.entry.name, copy.entry.bytes)

    @staticmethod
    def _chunks(session: Session, kind: CopyKind, at: datetime, state: str) -> Iterator[bytes]:
        def trailer(types: int, miniatures: int) -> dict[str, Any]:
            return {
                "kind": kind.value,
                "at": utc_text(at),
                "types": types,
                "miniatures": miniatures,
                "state": state,
            }

        return export_chunks(session=session, exported_at=at, copy_info=trailer)

    def _free_name(self, kind: CopyKind, at: datetime) -> Path:
        stem = f"{kind.value}-{at:%Y-%m-%dT%H%M%S}Z"
        # After the newest of the second, never in a gap that pruning left: a name once
        # given (in an import's answer, say) never comes to mean another copy.
        taken = [_sequence(path.name) for path in self.folder.glob(f"{stem}*.json")]
        number = max(taken, default=0) + 1
        return self.folder / (f"{stem}.json" if number == 1 else f"{stem}-{number}.json")

    def _prune(self, kind: CopyKind, keep: str) -> None:
        """The newest of `kind` stay, and always `keep` (the copy just written, even if the
        clock was set back)."""
        copies = [
            entry.name for entry in self.listed() if entry.kind is kind and entry.name != keep
        ]
        for old in copies[KEPT[kind] - 1 :]:
            (self.folder / old).unlink(missing_ok=True)
