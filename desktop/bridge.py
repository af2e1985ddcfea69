"""What the page may ask of the window (`window.pywebview.api`): native file dialogs for
backups and for the spreadsheet export, and the window's title in the UI's language.

Each answer is a JSON object, as agreed with the UI:
save_backup() -> {"path": str | None} or {"code", "params"};
open_backup() -> {"name", "text"}, {"text": None} or {"code", "params"};
save_csv(name, text) -> {"path": str | None} or {"code", "params"}: the page writes the
spreadsheet (its headers are in the user's language), the window only saves it;
set_window_title(name) -> {"title": str} or {"code", "params"};
set_dialog_texts(texts) -> {"texts": {...}} or {"code", "params"}: what the file dialogs say
(their titles and the kinds of file they offer) and the UI's language, for Qt's own words;
access_key() -> the MINIATURES_ACCESS_KEY a `--connect` window was started with, or None: the
page opens its session with it instead of asking;
use_key(key) -> {"used": bool}: the key the user typed into the page, once the page's session
opened with it (the page's cookie is HttpOnly, out of the bridge's reach).

With that key, the bridge's own requests (the export it saves) go with a session of its own,
opened the first time the server asks for one.
"""

import http.cookiejar
import json
import logging
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from email.message import Message
from pathlib import Path
from typing import Any, Literal

from backend.files import write_atomically

# The server's own limit on an import body: a larger file could never be imported.
from backend.limits import MAX_IMPORT_BYTES

log = logging.getLogger(__name__)

# A backup saved or opened, or a spreadsheet saved: each offers its own kind of file.
DialogKind = Literal["save", "open", "save-csv"]
# (kind, suggested file name) -> the chosen path, or None when the user cancelled.
ChooseFile = Callable[[DialogKind, str], Path | None]
# The app's name in the UI's language -> the window's title is set from it.
SetTitle = Callable[[str], None]
Answer = dict[str, Any]
MAX_TITLE_LENGTH = 200  # the app's name in any language is far shorter


@dataclass(frozen=True)
class DialogTexts:
    """What the file dialogs say: English (as pywebview's own dialogs) until the page says
    them in its language."""

    save: str = "Save file"  # the titles
    open: str = "Open file"
    backup: str = "JSON backup"  # the kinds of file offered
    spreadsheet: str = "CSV spreadsheet"
    all: str = "All files"
    language: str = "en"  # for Qt's own words in them (their buttons and labels)


# The page's texts -> the dialogs say them from the next one on.
SetDialogTexts = Callable[[DialogTexts], None]
_DIALOG_TEXT_NAMES = [field.name for field in fields(DialogTexts)]
_LANGUAGE = re.compile(r"[a-z]{2,3}")  # as the page names its languages (ISO 639)
MAX_KEY_LENGTH = 1000  # as POST /session takes it


def _error(code: str, **params: object) -> Answer:
    return {"code": code, "params": params}


FALLBACK_NAME = "miniatures.json"
CSV_FALLBACK_NAME = "miniatures.csv"


def attachment_name(headers: Message) -> str:
    """The file name the server gave the export (dated as the `exported_at` inside it)."""
    name = headers.get_filename()
    return Path(name).name if name else FALLBACK_NAME


class DesktopBridge:
    """Exposed to the page as js_api: only the public methods are reachable from JavaScript."""

    def __init__(
        self,
        base_url: str,
        choose_file: ChooseFile,
        set_title: SetTitle | None = None,
        *,
        key: str | None = None,
        set_dialog_texts: SetDialogTexts | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._choose_file = choose_file
        self._set_title = set_title
        self._set_dialog_texts = set_dialog_texts
        self._key = key
        self._http = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def access_key(self) -> str | None:
        return self._key

    def use_key(self, key: object) -> Answer:
        """Takes the key the page opened its session with, for the bridge's own requests."""
        if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
            return {"used": False}
        self._key = key
        return {"used": True}

    def set_window_title(self, name: object) -> Answer:
        """The app's name as the UI now says it ("Miniaturen-Tracker"): the window's title
        follows the language the user chose in the page."""
        if not isinstance(name, str):
            return _error("ERR_VALIDATION", fields=["name"])
        title = " ".join(name.split())  # no line breaks or control spacing in a title bar
        if not title or len(title) > MAX_TITLE_LENGTH:
            return _error("ERR_VALIDATION", fields=["name"])
        if self._set_title is not None:
            self._set_title(title)
        return {"title": title}

    def set_dialog_texts(self, texts: object) -> Answer:
        """What the file dialogs say, in the language the user chose in the page: every text
        of DialogTexts, each one line (control spacing becomes a space), and that language."""
        if not isinstance(texts, dict) or sorted(texts) != sorted(_DIALOG_TEXT_NAMES):
            return _error("ERR_VALIDATION", fields=["texts"])
        if not isinstance(texts["language"], str) or not _LANGUAGE.fullmatch(texts["language"]):
            return _error("ERR_VALIDATION", fields=["language"])
        said: dict[str, str] = {}
        for name in _DIALOG_TEXT_NAMES:
            value = texts[name]
            said[name] = " ".join(value.split()) if isinstance(value, str) else ""
            if not said[name] or len(said[name]) > MAX_TITLE_LENGTH:
                return _error("ERR_VALIDATION", fields=[name])
        texts_said = DialogTexts(**said)
        if self._set_dialog_texts is not None:
            self._set_dialog_texts(texts_said)
        return {"texts": asdict(texts_said)}

    def save_backup(self) -> Answer:
        try:
            data, name = self._fetch_export()
        except urllib.error.HTTPError as error:
            return self._server_error(error)
        except OSError:  # refused, reset, timed out: the server is not there (now)
            log.exception("export request failed")
            return _error("ERR_NETWORK")
        target = self._choose_file("save", name)
        if target is None:
            return {"path": None}
        if not target.suffix:
            target = target.with_suffix(".json")
        try:
            write_atomically(target, data)
        except OSError:
            log.exception("writing the backup to %s failed", target)
            return _error("ERR_BACKUP_WRITE_FAILED")
        return {"path": str(target.resolve())}

    def open_backup(self) -> Answer:
        source = self._choose_file("open", "")
        if source is None:
            return {"text": None}
        try:
            with source.open("rb") as file:
                if os.fstat(file.fileno()).st_size > MAX_IMPORT_BYTES:
                    return _error("ERR_IMPORT_TOO_LARGE", max_bytes=MAX_IMPORT_BYTES)
                raw = file.read(MAX_IMPORT_BYTES + 1)  # the file may grow while we read
        except OSError:
            log.exception("reading %s failed", source)
            return _error("ERR_BACKUP_READ_FAILED")
        if len(raw) > MAX_IMPORT_BYTES:
            return _error("ERR_IMPORT_TOO_LARGE", max_bytes=MAX_IMPORT_BYTES)
        try:
            text = raw.decode("utf-8-sig")  # tolerate the BOM some editors add
            json.loads(text)
        except ValueError:
            return _error("ERR_IMPORT_INVALID", path="", rule="NOT_JSON")
        return {"name": source.name, "text": text}

    def save_csv(self, name: str, text: str) -> Answer:
        """Saves the spreadsheet the page made where the user chooses, suggesting `name`."""
        if not isinstance(name, str) or not isinstance(text, str):
            return _error("ERR_FILE_WRITE_FAILED")  # the page sends text; anything else is a bug
        target = self._choose_file("save-csv", Path(name).name or CSV_FALLBACK_NAME)
        if target is None:
            return {"path": None}
        if not target.suffix:
            target = target.with_suffix(".csv")
        try:
            # As the page wrote it: the byte order mark and CR LF line ends are in the text.
            write_atomically(target, text.encode("utf-8", errors="replace"))
        except OSError:
            log.exception("writing the spreadsheet to %s failed", target)
            return _error("ERR_FILE_WRITE_FAILED")
        return {"path": str(target.resolve())}

    def _fetch_export(self) -> tuple[bytes, str]:
        request = urllib.request.Request(f"{self._base_url}/api/v1/export")
        try:
            return self._read_export(request)
        except urllib.error.HTTPError as error:
            if error.code != 401 or self._key is None:
                raise
            error.close()
        self._open_session()
        return self._read_export(request)

    def _read_export(self, request: urllib.request.Request) -> tuple[bytes, str]:
        with self._http.open(request, timeout=120) as response:
            data: bytes = response.read()
            return data, attachment_name(response.headers)

    def _open_session(self) -> None:
        body = json.dumps({"key": self._key}).encode()
        request = urllib.request.Request(
            f"{self._base_url}/api/v1/session",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "Desktop window"},
        )
        with self._http.open(request, timeout=30):
            pass

    @staticmethod
    def _server_error(error: urllib.error.HTTPError) -> Answer:
        """The server's own error envelope, passed on as it is."""
        try:
            body = json.loads(error.read())
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("code"), str):
            return {"code": body["code"], "params": body.get("params") or {}}
        return _error("ERR_INTERNAL")
