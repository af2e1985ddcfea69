"""Test and benchmark hook, on only when MINIATURES_DESKTOP_PROBE names a JSON file.

That file says which paths the "dialogs" answer and which text the page must show. Once
the page shows it, the hook calls the bridge from inside the page, writes what it saw to
"result", waits for "close_file" to appear (when given), then closes the window as a user
would. "calls" names bridge methods to call in turn (a name, or [name, arguments...]; answers
in "calls"); with "real_dialogs" they open the system's dialogs instead of answering from the
file. With "import_opened", the opened file is also imported (merge) from the page, as the
UI does. Each of "steps" ({"until": script, "nudge": script, "done": path}) then waits until
its script is true, running "nudge" meanwhile (e.g. a focus event, as a user coming back to
the window), and writes whether it got there to "done".
"""

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from backend.files import write_atomically
from desktop.bridge import DesktopBridge, DialogKind

log = logging.getLogger(__name__)

TIMEOUT = 60.0
BRIDGE_READY = "!!(window.pywebview && window.pywebview.api && window.pywebview.api.open_backup)"
IMPORT_OPENED = """window.pywebview.api.open_backup().then((opened) =>
  fetch('/api/v1/import?mode=merge', {
    method: 'POST', headers: {'Content-Type': 'application/json'}, body: opened.text,
  }).then((response) => response.json().then((body) => ({status: response.status, body}))))"""


class Probe:
    def __init__(self, config_path: Path) -> None:
        self.config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))

    def choose_file(self, kind: DialogKind, suggested: str) -> Path | None:
        picked = self.config.get({"save": "save_to", "save-csv": "csv_to"}.get(kind, "open_from"))
        return Path(picked) if picked else None

    def _wait_for(
        self, window: Any, script: str, nudge: str | None = None, timeout: float = TIMEOUT
    ) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not window.events.closed.is_set():
            if window.evaluate_js(script):
                return True
            if nudge:
                window.evaluate_js(nudge)
            time.sleep(0.05 if nudge is None else 0.5)
        return False

    @staticmethod
    def _call_in_page(window: Any, script: str) -> Any:
        """Runs a script that answers a promise; returns what the promise resolved to."""
        answered = threading.Event()
        answer: list[Any] = []

        def resolved(value: Any) -> None:
            answer.append(value)
            answered.set()

        window.evaluate_js(script, resolved)
        if not answered.wait(TIMEOUT):
            raise TimeoutError(script)
        return answer[0]

    def run(self, window: Any, bridge: DesktopBridge) -> None:
        result: dict[str, Any] = {}
        try:
            wanted = json.dumps(self.config.get("wait_for_text", ""))
            result["text_shown"] = self._wait_for(
                window, f"document.body && document.body.innerText.includes({wanted})"
            )
            result["shown_at"] = time.time()
            result["bridge_ready"] = self._wait_for(window, BRIDGE_READY)
            result["page_text"] = window.evaluate_js("document.body.innerText")
            if self.config.get("call_bridge"):
                result["save"] = self._call_in_page(window, "window.pywebview.api.save_backup()")
                result["open"] = self._call_in_page(window, "window.pywebview.api.open_backup()")
            for call in self.config.get("calls", []):  # with the real dialogs, say
                name, *args = [call] if isinstance(call, str) else call  # ["name", arg, ...]
                script = f"window.pywebview.api.{name}({', '.join(map(json.dumps, args))})"
                result.setdefault("calls", []).append(self._call_in_page(window, script))
            if self.config.get("import_opened"):
                result["imported"] = self._call_in_page(window, IMPORT_OPENED)
        except Exception as error:  # reported to the test, which fails on it
            log.exception("probe failed")
            result["error"] = repr(error)
        self._write(Path(self.config["result"]), result)
        for step in self.config.get("steps", []):
            reached = self._wait_for(window, step["until"], step.get("nudge"), timeout=180)
            self._write(Path(step["done"]), {"reached": reached})
        close_file = self.config.get("close_file")
        deadline = time.monotonic() + TIMEOUT
        while close_file and not Path(close_file).exists() and time.monotonic() < deadline:
            if window.events.closed.wait(0.05):
                return  # closed by something else (a stop request): nothing left to do
        window.destroy()

    @staticmethod
    def _write(path: Path, result: dict[str, Any]) -> None:
        write_atomically(path, json.dumps(result).encode())
