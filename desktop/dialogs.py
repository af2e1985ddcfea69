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
from desktop.bridge import DialogKind, DialogTexts

log = logging.getLogger(__name__)

SETTINGS_NAME = "dialogs.json"


def name_filters(texts: DialogTexts, kind: DialogKind) -> tuple[str, str]:
    """The kinds of file a dialog offers: its own, then all files."""
    own = f"{texts.spreadsheet} (*.csv)" if kind == "save-csv" else f"{texts.backup} (*.json)"
    return own, f"{texts.all} (*.*)"


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


def file_dialog(
    parent: Any, kind: DialogKind, folder: Path, suggested: str, texts: DialogTexts
) -> Any:
    """Qt's file dialog, set up as pywebview's cannot be: titled and offering the kinds of file
    in the page's language, with the file's own kind first."""
    from PyQt6.QtWidgets import QFileDialog

    saving = kind != "open"
    start = str(folder / suggested) if suggested else str(folder)
    title = texts.save if saving else texts.open
    dialog = QFileDialog(parent, title, start, ";;".join(name_filters(texts, kind)))
    if saving:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


class QtLanguage:
    """Qt's own words in its dialogs (their buttons and labels) in the page's language: Qt's
    translation of them, installed on the GUI thread before a dialog is made."""

    def __init__(self) -> None:
        self.language = "en"  # Qt's own
        self._translator: Any = None

    def use(self, language: str) -> None:
        from PyQt6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

        if language == self.language:
            return
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None
        translator = QTranslator()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if language != "en" and translator.load(f"qtbase_{language}", folder):
            QCoreApplication.installTranslator(translator)
            self._translator = translator
        self.language = language  # (one Qt has no translation for: its English words)


def _qt_asker() -> Any:
    """Runs a Qt file dialog on the GUI thread for a caller on any other thread.

    Must be made on the main thread (the GUI thread), before the GUI loop starts.
    """
    from PyQt6.QtCore import QObject, Qt, pyqtSignal

    class Asker(QObject):
        asked = pyqtSignal(object, str, str, str, object)

        def __init__(self) -> None:
            super().__init__()
            self._lock = threading.Lock()
            self._answer = ""
            self._language = QtLanguage()
            # The caller waits until the dialog has answered. (PyQt's stubs miss `type`.)
            blocking = Qt.ConnectionType.BlockingQueuedConnection
            self.asked.connect(self._ask, type=blocking)  # type: ignore[call-arg]

        def _ask(self, parent: Any, kind: Any, folder: str, suggested: str, texts: Any) -> None:
            self._language.use(texts.language)
            dialog = file_dialog(parent, kind, Path(folder), suggested, texts)
            chosen = dialog.selectedFiles() if dialog.exec() else []
            self._answer = chosen[0] if chosen else ""

        def ask(
            self, parent: Any, kind: DialogKind, folder: Path, suggested: str, texts: DialogTexts
        ) -> str:
            with self._lock:  # one dialog at a time: the answer slot is shared
                self.asked.emit(parent, kind, str(folder), suggested, texts)
                return self._answer

    return Asker()


class NativeDialogs:
    """The operating system's file dialogs, through the pywebview window (set once it exists).

    On Linux the app asks Qt itself: pywebview's save dialog drops the file filter, and its
    titles are fixed when the window is made. Elsewhere pywebview's dialogs say English: it
    reads the kinds of file with a pattern that refuses punctuation ("JSON-Sicherung").
    """

    def __init__(self, folder: DialogFolder) -> None:
        self.folder = folder
        self.window: Any = None
        self.texts = DialogTexts()
        self._qt = _qt_asker() if sys.platform.startswith("linux") else None

    def set_texts(self, texts: DialogTexts) -> None:
        self.texts = texts

    def choose(self, kind: DialogKind, suggested: str) -> Path | None:
        import webview

        start = self.folder.start()
        english = name_filters(DialogTexts(), kind)
        if self._qt is not None:
            picked: Any = self._qt.ask(self.window.native, kind, start, suggested, self.texts)
        elif kind != "open":
            picked = self.window.create_file_dialog(
                webview.FileDialog.SAVE,
                directory=str(start),
                save_filename=suggested,
                file_types=english,
            )
        else:
            picked = self.window.create_file_dialog(
                webview.FileDialog.OPEN, directory=str(start), file_types=english
            )
        if isinstance(picked, list | tuple):  # pywebview answers a tuple of paths
            picked = picked[0] if picked else None
        if not picked:
            return None
        chosen = Path(picked)
        self.folder.remember(chosen)
        return chosen
