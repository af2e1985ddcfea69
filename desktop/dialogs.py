"""The system's file dialogs for backups and spreadsheets: they open where the user last saved
or opened a file.

The first time that is the user's Documents folder; after that the folder last used, kept in
a small settings file so that it holds across runs.
"""

import json
import logging
import sys
import threading
from pathlib import Path
from typing import Any

import platformdirs

from backend.files import write_atomically
from desktop.bridge import DialogKind

log = logging.getLogger(__name__)

SETTINGS_NAME = "dialogs.json"
JSON_FILTER = ("JSON backup (*.json)", "All files (*.*)")
CSV_FILTER = ("CSV (*.csv)", "All files (*.*)")
FILTERS: dict[DialogKind, tuple[str, ...]] = {
    "save": JSON_FILTER,
    "open": JSON_FILTER,
    "save-csv": CSV_FILTER,
}
SAVE_TITLE = "Save file"  # as pywebview's own dialogs are titled


def documents_folder() -> Path:
    """The user's Documents folder, or their home when there is none (a bare server)."""
    documents = platformdirs.user_documents_path()
    return documents if documents.is_dir() else Path.home()


class DialogFolder:
    """Which folder the next dialog opens in, remembered in `settings_file`."""

    def __init__(self, settings_file: Path) -> None:
        self._file = settings_file

    def start(self) -> Path:
        try:
            saved = json.loads(self._file.read_text(encoding="utf-8")).get("last_folder")
        except (OSError, ValueError, AttributeError):
            saved = None  # never chosen yet, or a damaged file: start afresh
        if isinstance(saved, str) and saved and Path(saved).is_dir():
            return Path(saved)
        return documents_folder()

    def remember(self, chosen_file: Path) -> None:
        """Keeps the chosen file's folder; a failure only costs the convenience, so it is logged."""
        folder = chosen_file.resolve().parent
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self._file, json.dumps({"last_folder": str(folder)}).encode())
        except OSError:
            log.warning("could not remember the folder %s", folder, exc_info=True)


def save_dialog(
    parent: Any, folder: Path, suggested: str, filters: tuple[str, ...] = JSON_FILTER
) -> Any:
    """Qt's save dialog, set up as pywebview's own cannot be: with the file's filter offered."""
    from PyQt6.QtWidgets import QFileDialog

    dialog = QFileDialog(parent, SAVE_TITLE, str(folder / suggested), ";;".join(filters))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return dialog


def _qt_save_asker() -> Any:
    """Runs the Qt save dialog on the GUI thread for a caller on any other thread.

    Must be made on the main thread (the GUI thread), before the GUI loop starts.
    """
    from PyQt6.QtCore import QObject, Qt, pyqtSignal

    class SaveAsker(QObject):
        asked = pyqtSignal(object, str, str, object)

        def __init__(self) -> None:
            super().__init__()
            self._lock = threading.Lock()
            self._answer = ""
            # The caller waits until the dialog has answered. (PyQt's stubs miss `type`.)
            blocking = Qt.ConnectionType.BlockingQueuedConnection
            self.asked.connect(self._ask, type=blocking)  # type: ignore[call-arg]

        def _ask(self, parent: Any, folder: str, suggested: str, filters: Any) -> None:
            dialog = save_dialog(parent, Path(folder), suggested, filters)
            chosen = dialog.selectedFiles() if dialog.exec() else []
            self._answer = chosen[0] if chosen else ""

        def ask(
            self, parent: Any, folder: Path, suggested: str, filters: tuple[str, ...] = JSON_FILTER
        ) -> str:
            with self._lock:  # one dialog at a time: the answer slot is shared
                self.asked.emit(parent, str(folder), suggested, filters)
                return self._answer

    return SaveAsker()


class NativeDialogs:
    """The operating system's file dialogs, through the pywebview window (set once it exists)."""

    def __init__(self, folder: DialogFolder) -> None:
        self.folder = folder
        self.window: Any = None
        # pywebview's Qt save dialog drops the file filter: on Linux the app asks Qt itself.
        self._qt_save = _qt_save_asker() if sys.platform.startswith("linux") else None

    def choose(self, kind: DialogKind, suggested: str) -> Path | None:
        import webview

        start = self.folder.start()
        filters = FILTERS[kind]
        if kind != "open" and self._qt_save is not None:
            picked: Any = self._qt_save.ask(self.window.native, start, suggested, filters)
        elif kind != "open":
            picked = self.window.create_file_dialog(
                webview.FileDialog.SAVE,
                directory=str(start),
                save_filename=suggested,
                file_types=filters,
            )
        else:
            picked = self.window.create_file_dialog(
                webview.FileDialog.OPEN, directory=str(start), file_types=filters
            )
        if isinstance(picked, list | tuple):  # pywebview answers a tuple of paths
            picked = picked[0] if picked else None
        if not picked:
            return None
        chosen = Path(picked)
        self.folder.remember(chosen)
        return chosen
