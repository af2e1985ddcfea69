"""The window's bridge with real files and the real server; only the OS dialog is a stand-in."""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.limits import MAX_IMPORT_BYTES
from desktop.bridge import DesktopBridge, DialogKind, DialogTexts
from tests.desktop.conftest import free_port
from tests.desktop.test_launcher_process import create_type


class Dialog:
    """Answers like the OS dialog would: a chosen path, or None for Cancel."""

    def __init__(self, answer: Path | None) -> None:
        self.answer = answer
        self.asked: list[tuple[DialogKind, str]] = []

    def __call__(self, kind: DialogKind, suggested: str) -> Path | None:
        self.asked.append((kind, suggested))
        return self.answer


@pytest.fixture
def collection(live_server: str, reset_db: None) -> Iterator[str]:
    create_type(live_server, "Space Marines", 10)
    yield live_server


def test_save_writes_the_export_where_the_user_chose(collection: str, tmp_path: Path) -> None:
    dialog = Dialog(tmp_path / "my backup.json")
    answer = DesktopBridge(collection, dialog).save_backup()

    assert answer == {"path": str(tmp_path / "my backup.json")}
    backup = json.loads((tmp_path / "my backup.json").read_text(encoding="utf-8"))
    # The name the server gave it: dated as the file says it was exported (UTC).
    assert dialog.asked == [("save", f"miniatures-{backup['exported_at'][:10]}.json")]
    assert backup["format"] == "miniatures-tracker"
    assert [t["name"] for t in backup["types"]] == ["Space Marines"]
    assert os.listdir(tmp_path) == ["my backup.json"]  # no temporary file left behind


def test_save_replaces_an_existing_file_whole(collection: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.json"
    target.write_text("x" * 100_000)
    DesktopBridge(collection, Dialog(target)).save_backup()
    assert json.loads(target.read_text())["types"][0]["name"] == "Space Marines"


def test_save_adds_the_json_extension_when_the_user_typed_none(
    collection: str, tmp_path: Path
) -> None:
    answer = DesktopBridge(collection, Dialog(tmp_path / "backup")).save_backup()
    assert answer == {"path": str(tmp_path / "backup.json")}
    assert (tmp_path / "backup.json").exists()


def test_save_cancelled_writes_nothing(collection: str, tmp_path: Path) -> None:
    assert DesktopBridge(collection, Dialog(None)).save_backup() == {"path": None}
    assert os.listdir(tmp_path) == []


def test_failed_write_leaves_no_partial_file(collection: str, tmp_path: Path) -> None:
    blocked = tmp_path / "taken.json"
    blocked.mkdir()  # a folder of that name: the final rename must fail
    (blocked / "inside.txt").write_text("keep")
    answer = DesktopBridge(collection, Dialog(blocked)).save_backup()
    assert answer == {"code": "ERR_BACKUP_WRITE_FAILED", "params": {}}
    assert sorted(os.listdir(tmp_path)) == ["taken.json"]
    assert (blocked / "inside.txt").read_text() == "keep"


def test_save_into_a_missing_folder_is_a_write_failure(collection: str, tmp_path: Path) -> None:
    answer = DesktopBridge(collection, Dialog(tmp_path / "gone" / "b.json")).save_backup()
    assert answer["code"] == "ERR_BACKUP_WRITE_FAILED"


def test_save_says_when_the_server_cannot_be_reached(tmp_path: Path) -> None:
    dialog = Dialog(tmp_path / "b.json")
    # Nothing listens there: the app's server is not reachable (a connected one went away).
    answer = DesktopBridge(f"http://127.0.0.1:{free_port()}", dialog).save_backup()
    assert answer == {"code": "ERR_NETWORK", "params": {}}
    assert dialog.asked == []  # no dialog for a backup that cannot be made


def test_open_answers_the_files_name_and_text(tmp_path: Path) -> None:
    source = tmp_path / "old backup.json"
    text = '{"format": "miniatures-tracker", "version": 1, "types": [{"name": "Ёжики"}]}'
    source.write_text(text, encoding="utf-8")
    dialog = Dialog(source)
    assert DesktopBridge("http://unused", dialog).open_backup() == {
        "name": "old backup.json",
        "text": text,
    }
    assert dialog.asked == [("open", "")]


def test_open_accepts_a_byte_order_mark(tmp_path: Path) -> None:
    source = tmp_path / "bom.json"
    source.write_bytes(b'\xef\xbb\xbf{"types": []}')
    assert DesktopBridge("http://unused", Dialog(source)).open_backup()["text"] == '{"types": []}'


def test_open_cancelled(tmp_path: Path) -> None:
    assert DesktopBridge("http://unused", Dialog(None)).open_backup() == {"text": None}


def test_open_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as file:
        file.truncate(MAX_IMPORT_BYTES + 1)
    assert DesktopBridge("http://unused", Dialog(big)).open_backup() == {
        "code": "ERR_IMPORT_TOO_LARGE",
        "params": {"max_bytes": 20_971_520},
    }


def test_open_accepts_a_file_exactly_at_the_limit(tmp_path: Path) -> None:
    exact = tmp_path / "exact.json"
    exact.write_bytes(b'"' + b"a" * (MAX_IMPORT_BYTES - 2) + b'"')
    answer = DesktopBridge("http://unused", Dialog(exact)).open_backup()
    assert len(answer["text"]) == MAX_IMPORT_BYTES


def test_open_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "not-a-file.json"
    folder.mkdir()
    for unreadable in (folder, tmp_path / "deleted-meanwhile.json"):
        answer = DesktopBridge("http://unused", Dialog(unreadable)).open_backup()
        assert answer == {"code": "ERR_BACKUP_READ_FAILED", "params": {}}


@pytest.mark.parametrize("content", [b"not json at all", b'{"types": [', b"\xff\xfe{}", b""])
def test_open_non_json(tmp_path: Path, content: bytes) -> None:
    source = tmp_path / "notes.json"
    source.write_bytes(content)
    assert DesktopBridge("http://unused", Dialog(source)).open_backup() == {
        "code": "ERR_IMPORT_INVALID",
        "params": {"path": "", "rule": "NOT_JSON"},
    }


CSV = '\ufeffName,Notes\r\nOrks,"Goff, red"\r\nЁлки,\'=1+1\r\n'


def test_save_csv_writes_the_pages_text_where_the_user_chose(tmp_path: Path) -> None:
    dialog = Dialog(tmp_path / "collection.csv")
    answer = DesktopBridge("http://unused", dialog).save_csv("miniatures-2026-12-01.csv", CSV)
    assert answer == {"path": str(tmp_path / "collection.csv")}
    assert dialog.asked == [("save-csv", "miniatures-2026-12-01.csv")]
    # Byte for byte as the page made it: the byte order mark, UTF-8, CR LF.
    assert (tmp_path / "collection.csv").read_bytes() == CSV.encode("utf-8")
    assert (tmp_path / "collection.csv").read_bytes().startswith(b"\xef\xbb\xbfName")
    assert os.listdir(tmp_path) == ["collection.csv"]


def test_save_csv_adds_the_extension_and_suggests_only_a_name(tmp_path: Path) -> None:
    dialog = Dialog(tmp_path / "collection")
    answer = DesktopBridge("http://unused", dialog).save_csv("../../etc/m.csv", CSV)
    assert answer == {"path": str(tmp_path / "collection.csv")}
    assert dialog.asked == [("save-csv", "m.csv")]


def test_save_csv_cancelled_or_failing_writes_nothing(tmp_path: Path) -> None:
    assert DesktopBridge("http://unused", Dialog(None)).save_csv("m.csv", CSV) == {"path": None}
    answer = DesktopBridge("http://unused", Dialog(tmp_path / "gone" / "m.csv")).save_csv(
        "m.csv", CSV
    )
    assert answer == {"code": "ERR_FILE_WRITE_FAILED", "params": {}}
    # Text that is not text (a bug in the page) is refused before any dialog.
    dialog = Dialog(tmp_path / "m.csv")
    bridge = DesktopBridge("http://unused", dialog)
    assert bridge.save_csv("m.csv", None)["code"] == "ERR_FILE_WRITE_FAILED"  # type: ignore[arg-type]
    assert dialog.asked == []
    assert os.listdir(tmp_path) == []


def test_only_the_file_calls_the_title_and_the_key_are_exposed_to_the_page() -> None:
    bridge = DesktopBridge("http://unused", Dialog(None), lambda name: None)
    public = [name for name in dir(bridge) if not name.startswith("_")]
    assert public == [
        "access_key",
        "open_backup",
        "save_backup",
        "save_csv",
        "set_dialog_texts",
        "set_window_title",
        "use_key",
    ]
    assert bridge.access_key() is None  # a window on its own server has no key to give


def test_the_window_title_follows_the_name_the_page_gives() -> None:
    titles: list[str] = []
    bridge = DesktopBridge("http://127.0.0.1:1", Dialog(None), titles.append)
    assert bridge.set_window_title("Miniaturen-Tracker") == {"title": "Miniaturen-Tracker"}
    assert bridge.set_window_title("  Suivi de\nfigurines ") == {"title": "Suivi de figurines"}
    assert titles == ["Miniaturen-Tracker", "Suivi de figurines"]


@pytest.mark.parametrize("name", [None, 42, "", " \n ", "x" * 201])
def test_a_title_that_is_no_name_is_refused(name: object) -> None:
    titles: list[str] = []
    bridge = DesktopBridge("http://127.0.0.1:1", Dialog(None), titles.append)
    assert bridge.set_window_title(name) == {
        "code": "ERR_VALIDATION",
        "params": {"fields": ["name"]},
    }
    assert titles == []


GERMAN = {
    "save": "Datei speichern",
    "open": "Datei öffnen",
    "backup": "JSON-Sicherung",
    "spreadsheet": "CSV-Tabelle",
    "all": "Alle Dateien",
    "language": "de",
}


def test_the_dialogs_take_the_texts_the_page_gives() -> None:
    given: list[DialogTexts] = []
    bridge = DesktopBridge("http://127.0.0.1:1", Dialog(None), set_dialog_texts=given.append)
    assert bridge.set_dialog_texts({**GERMAN, "save": " Datei\nspeichern "}) == {"texts": GERMAN}
    assert given == [DialogTexts(**GERMAN)]


@pytest.mark.parametrize(
    "texts",
    [
        None,
        ["Datei speichern"],
        {key: value for key, value in GERMAN.items() if key != "all"},
        {**GERMAN, "extra": "x"},
        {**GERMAN, "open": " \n "},
        {**GERMAN, "backup": 42},
        {**GERMAN, "all": "x" * 201},
        {**GERMAN, "language": "Deutsch"},
        {**GERMAN, "language": ""},
        {**GERMAN, "language": None},
    ],
)
def test_texts_that_are_not_each_a_line_are_refused(texts: object) -> None:
    given: list[DialogTexts] = []
    bridge = DesktopBridge("http://127.0.0.1:1", Dialog(None), set_dialog_texts=given.append)
    answer = bridge.set_dialog_texts(texts)
    assert answer["code"] == "ERR_VALIDATION"
    assert given == []


def test_with_the_servers_key_the_export_opens_a_session_of_its_own(
    settings, engine, tmp_path: Path, reset_db: None
) -> None:  # type: ignore[no-untyped-def]
    """A `--connect` window on a server with an access key: the bridge's own request (the
    export it saves) needs a session too, and opens one with the key it was given."""
    from backend.settings import Settings
    from tests.network_servers import run_servers

    key = "the-servers-access-key-0123"
    keyed = settings.model_copy(update={"access_key": Settings(access_key=key).access_key})
    servers = run_servers(keyed, engine, tmp_path / "data")
    near = next(servers)
    try:
        url = str(near.loopback.base_url)
        assert DesktopBridge(url, Dialog(tmp_path / "a.json"), key=key).access_key() == key
        without = DesktopBridge(url, Dialog(tmp_path / "b.json")).save_backup()
        assert without == {"code": "ERR_AUTH_REQUIRED", "params": {}}
        answer = DesktopBridge(url, Dialog(tmp_path / "a.json"), key=key).save_backup()
        assert answer == {"path": str(tmp_path / "a.json")}
        assert json.loads((tmp_path / "a.json").read_text())["format"] == "miniatures-tracker"
        assert not (tmp_path / "b.json").exists()
        # A window started without the key, where the user typed it into the page: the page
        # hands it over once its session opened, and the export goes through.
        typed = DesktopBridge(url, Dialog(tmp_path / "c.json"))
        assert typed.use_key(None) == typed.use_key("") == {"used": False}
        assert typed.use_key("k" * 1001) == {"used": False}
        assert typed.save_backup() == {"code": "ERR_AUTH_REQUIRED", "params": {}}
        assert typed.use_key(key) == {"used": True}
        assert typed.save_backup() == {"path": str(tmp_path / "c.json")}
        assert json.loads((tmp_path / "c.json").read_text())["format"] == "miniatures-tracker"
    finally:
        servers.close()
