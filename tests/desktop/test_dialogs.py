"""Where the backup dialogs open, and Qt's save dialog with the JSON filter."""

import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.bridge import DialogTexts
from desktop.dialogs import DialogFolder, QtLanguage, _qt_asker, file_dialog
from tests.desktop.test_window import window_env
from tests.xvfb import virtual_display


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's home with a Documents folder and no user-dirs.dirs."""
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    return folder


def test_the_first_dialog_opens_in_documents(home: Path, tmp_path: Path) -> None:
    assert DialogFolder(tmp_path / "data" / "dialogs.json").start() == home / "Documents"


def test_without_documents_the_home_folder(home: Path, tmp_path: Path) -> None:
    (home / "Documents").rmdir()
    assert DialogFolder(tmp_path / "dialogs.json").start() == home


def test_the_last_folder_is_remembered_across_runs(home: Path, tmp_path: Path) -> None:
    settings = tmp_path / "data" / "dialogs.json"
    elsewhere = tmp_path / "backups"
    elsewhere.mkdir()
    DialogFolder(settings).remember(elsewhere / "miniatures-2026-11-30.json")
    assert DialogFolder(settings).start() == elsewhere  # a new run reads the same file
    DialogFolder(settings).remember(home / "Documents" / "old.json")
    assert DialogFolder(settings).start() == home / "Documents"
    assert json.loads(settings.read_text()) == {"last_folder": str(home / "Documents")}
    assert [p.name for p in settings.parent.iterdir()] == ["dialogs.json"]  # no temporary left


def test_a_folder_that_is_gone_falls_back_to_documents(home: Path, tmp_path: Path) -> None:
    settings = tmp_path / "dialogs.json"
    gone = tmp_path / "usb-stick"
    gone.mkdir()
    DialogFolder(settings).remember(gone / "backup.json")
    gone.rmdir()
    assert DialogFolder(settings).start() == home / "Documents"


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"last_folder": 5}', '{"x": 1}'])
def test_a_damaged_settings_file_is_ignored(home: Path, tmp_path: Path, content: str) -> None:
    settings = tmp_path / "dialogs.json"
    settings.write_text(content)
    assert DialogFolder(settings).start() == home / "Documents"
    DialogFolder(settings).remember(tmp_path / "a.json")
    assert DialogFolder(settings).start() == tmp_path  # and replaced by the next choice


def test_a_folder_that_cannot_be_remembered_costs_nothing_else(
    home: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings = blocker / "dialogs.json"  # its "folder" is a file: writing fails
    DialogFolder(settings).remember(tmp_path / "a.json")
    assert DialogFolder(settings).start() == home / "Documents"
    assert "could not remember the folder" in caplog.text


@pytest.fixture(scope="module")
def qt_app() -> Iterator[object]:
    from PyQt6.QtWidgets import QApplication

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("QT_QPA_PLATFORM", "offscreen")  # no display needed
        yield QApplication.instance() or QApplication([])


GERMAN = DialogTexts(
    save="Datei speichern",
    open="Datei öffnen",
    backup="JSON-Sicherung",
    spreadsheet="CSV-Tabelle",
    all="Alle Dateien",
    language="de",
)


def test_the_save_dialog_offers_the_json_filter_in_the_start_folder(
    qt_app: object, tmp_path: Path
) -> None:
    from PyQt6.QtWidgets import QFileDialog

    dialog = file_dialog(None, "save", tmp_path, "miniatures-2026-11-30.json", DialogTexts())
    assert dialog.windowTitle() == "Save file"
    assert dialog.nameFilters() == ["JSON backup (*.json)", "All files (*.*)"]
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert Path(dialog.directory().absolutePath()) == tmp_path
    assert dialog.selectedFiles() == [str(tmp_path / "miniatures-2026-11-30.json")]


def test_the_spreadsheet_save_dialog_offers_the_csv_filter(qt_app: object, tmp_path: Path) -> None:
    dialog = file_dialog(None, "save-csv", tmp_path, "miniatures-2026-11-30.csv", DialogTexts())
    assert dialog.nameFilters() == ["CSV spreadsheet (*.csv)", "All files (*.*)"]
    assert dialog.selectedFiles() == [str(tmp_path / "miniatures-2026-11-30.csv")]


def test_the_dialogs_say_the_pages_language(qt_app: object, tmp_path: Path) -> None:
    from PyQt6.QtWidgets import QFileDialog

    opening = file_dialog(None, "open", tmp_path, "", GERMAN)
    assert opening.windowTitle() == "Datei öffnen"
    assert opening.nameFilters() == ["JSON-Sicherung (*.json)", "Alle Dateien (*.*)"]
    assert opening.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
    assert opening.fileMode() == QFileDialog.FileMode.ExistingFile
    assert Path(opening.directory().absolutePath()) == tmp_path
    saving = file_dialog(None, "save-csv", tmp_path, "miniatures-2026-11-30.csv", GERMAN)
    assert saving.windowTitle() == "Datei speichern"
    assert saving.nameFilters() == ["CSV-Tabelle (*.csv)", "Alle Dateien (*.*)"]


def test_qts_own_words_in_a_dialog_follow_the_pages_language(
    qt_app: object, tmp_path: Path
) -> None:
    from PyQt6.QtWidgets import QFileDialog

    def words() -> tuple[str, str]:
        dialog = file_dialog(None, "save", tmp_path, "a.json", GERMAN)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as under Xvfb
        labels = QFileDialog.DialogLabel
        return dialog.labelText(labels.Accept), dialog.labelText(labels.Reject)

    language = QtLanguage()
    try:
        language.use("ru")
        assert words() == ("&Сохранить", "Отмена")
        language.use("de")
        assert words() == ("S&peichern", "Abbrechen")
    finally:
        language.use("en")
    assert words() == ("&Save", "Cancel")


def test_the_save_dialog_answers_a_caller_on_another_thread(qt_app: object, tmp_path: Path) -> None:
    """The bridge asks from a worker thread; Qt aborts on a dialog made off the GUI thread."""
    from PyQt6.QtCore import QTimer
    from PyQt6.QtWidgets import QApplication, QDialog

    asker = _qt_asker()
    answers: list[str] = []

    def accept_when_shown() -> None:
        shown = QApplication.activeModalWidget()
        if not isinstance(shown, QDialog):
            QTimer.singleShot(20, accept_when_shown)
            return
        shown.accept()

    def quit_when_answered() -> None:
        if worker.is_alive():
            QTimer.singleShot(20, quit_when_answered)
        else:
            QApplication.quit()

    worker = threading.Thread(
        target=lambda: answers.append(
            asker.ask(None, "save-csv", tmp_path, "backup.json", DialogTexts())
        ),
        daemon=True,
    )
    QTimer.singleShot(0, accept_when_shown)
    QTimer.singleShot(0, quit_when_answered)
    QTimer.singleShot(60_000, QApplication.quit)  # a broken asker fails the test, never hangs it
    worker.start()
    QApplication.exec()  # may also end as the dialog, its last window, closes
    worker.join(10)
    assert answers == [str(tmp_path / "backup.json")]


def answer_dialog(display: str, title: str, typed: str) -> None:
    """Types into the system dialog as a user would (its file name field has the focus)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            found = subprocess.run(
                ["xdotool", "search", "--sync", "--onlyvisible", "--name", f"^{title}$"],
                env={**os.environ, "DISPLAY": display},
                capture_output=True,
                text=True,
                timeout=max(1.0, deadline - time.monotonic()),
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"no dialog {title!r} was shown on the window's display {display}")
        # xdotool gives up on a window that closed while it looked at it (X's BadWindow), as
        # the previous dialog does at that moment: look again.
        if found.stdout.split():
            break
        assert "BadWindow" in found.stderr, found.stderr
        if time.monotonic() > deadline:
            pytest.fail(f"no dialog {title!r} was found on the window's display {display}")
    dialog = found.stdout.split()[0]
    for command in (
        ["windowfocus", "--sync", dialog],
        ["type", "--delay", "20", typed],
        ["key", "Return"],
    ):
        subprocess.run(["xdotool", *command], env={**os.environ, "DISPLAY": display}, check=True)


def test_the_real_dialogs_start_in_documents_then_where_the_user_went(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path, home: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = elsewhere / "old.json"
    old.write_text('{"format": "miniatures-tracker", "version": 1, "types": []}')
    probe = {
        "wait_for_text": "",
        "real_dialogs": True,
        "calls": ["save_backup", "open_backup", "save_backup"],
        "result": str(tmp_path / "result.json"),
    }
    with virtual_display() as display:
        env = {**window_env(launcher_env, display, probe, tmp_path), "HOME": str(home)}
        env["XDG_CONFIG_HOME"] = str(home / ".config")
        window = start_launcher([], env)
        answer_dialog(display, "Save file", "first.json")  # the suggested name is selected
        answer_dialog(display, "Open file", str(old))
        answer_dialog(display, "Save file", "second")
        assert window.process.wait(90) == 0
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["calls"] == [
        {"path": str(home / "Documents" / "first.json")},
        {"name": "old.json", "text": old.read_text()},
        {"path": str(elsewhere / "second.json")},
    ]
    assert DialogFolder(launch_dir / "dialogs.json").start() == elsewhere  # for the next run


def test_the_real_dialogs_say_what_the_page_gives_them(
    start_launcher, launcher_env: dict[str, str], home: Path, tmp_path: Path
) -> None:
    """The page gives its language's texts (Vitest checks it does, on each switch): the
    window's next dialogs are titled with them."""
    russian = {
        "save": "Сохранить файл",
        "open": "Открыть файл",
        "backup": "Резервная копия JSON",
        "spreadsheet": "Таблица CSV",
        "all": "Все файлы",
        "language": "ru",
    }
    old = tmp_path / "old.json"
    old.write_text('{"format": "miniatures-tracker", "version": 1, "types": []}')
    probe = {
        "wait_for_text": "",
        "real_dialogs": True,
        "calls": [["set_dialog_texts", russian], "save_backup", "open_backup"],
        "result": str(tmp_path / "result.json"),
    }
    with virtual_display() as display:
        env = {**window_env(launcher_env, display, probe, tmp_path), "HOME": str(home)}
        env["XDG_CONFIG_HOME"] = str(home / ".config")
        window = start_launcher([], env)
        answer_dialog(display, "Сохранить файл", "russian.json")
        answer_dialog(display, "Открыть файл", str(old))
        assert window.process.wait(90) == 0
    result = json.loads((tmp_path / "result.json").read_text())
    assert result["calls"] == [
        {"texts": russian},
        {"path": str(home / "Documents" / "russian.json")},
        {"name": "old.json", "text": old.read_text()},
    ]
