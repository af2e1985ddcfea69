"""Files written whole or not at all, the one way every file of the app is written: a hidden
temporary file beside the target, flushed to disk, renamed over the target, and the folder
flushed so that the rename itself survives a crash. A reader sees the old file or the new one,
never a part."""

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def sync_folder(folder: Path) -> None:
    """Makes a rename in `folder` durable; Windows has no directory handles to flush."""
    if os.name == "nt":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def write_temporary(folder: Path, chunks: Iterable[bytes], *, prefix: str, suffix: str) -> Path:
    """The chunks in a new file in `folder`, flushed to disk; removed again if writing fails."""
    handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def replace_durably(temporary: Path, target: Path) -> None:
    """Renames a file written by write_temporary over `target`, for good."""
    os.replace(temporary, target)
    sync_folder(target.parent)


def write_atomically(target: Path, data: bytes | Iterable[bytes]) -> None:
    """`target` holds `data` afterwards, or (after any failure) what it held before."""
    chunks = [data] if isinstance(data, bytes) else data
    temporary = write_temporary(target.parent, chunks, prefix=f".{target.name}.", suffix=".tmp")
    try:
        replace_durably(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
