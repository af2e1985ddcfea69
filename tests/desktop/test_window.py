"""The real window on a virtual display (Xvfb), and the browser fallback without one."""

import json
import re
import subprocess
import time
import urllib.parse
from collections.abc import Iterator, Mapping
from pathlib import Path

import httpx
import pytest

from tests.dbserver import postgres_pids
from tests.desktop.conftest import ROOT, free_port, get, wait_until
from tests.desktop.test_launcher_process import create_type
from tests.devtools import QUICK_MOVE_SHOWN, QUICK_MOVES, devtools
from tests.xvfb import virtual_display

ARTIFACTS = Path(__file__).with_name("artifacts")
BUILT_UI = ROOT / "ui" / "dist" / "index.html"


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with virtual_display() as shown_on:
        yield shown_on


def seed_collection(start_launcher) -> None:
    headless = start_launcher(["--headless", "--port", "0"])
    create_type(headless.wait_for_url(), "Space Marines", 10)
    assert headless.terminate() == 0


def window_env(
    launcher_env: dict[str, str], display: str, probe: Mapping[str, object] | None, folder: Path
) -> dict[str, str]:
    """The window on `display`, watched by the desktop probe (without one: open until closed)."""
    # The window and its dialogs go on that display: a QT_QPA_PLATFORM left in the test's own
    # environment (the offscreen dialog tests set one) would put them where no user sees them.
    env = {key: value for key, value in launcher_env.items() if key != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, QTWEBENGINE_DISABLE_SANDBOX="1")
    if probe is not None:
        probe_file = folder / "probe.json"
        probe_file.write_text(json.dumps(probe))
        env["MINIATURES_DESKTOP_PROBE"] = str(probe_file)
    return env


def window_titles(display: str) -> str:
    tree = subprocess.run(
        ["xwininfo", "-display", display, "-root", "-tree"], capture_output=True, text=True
    )
    return tree.stdout


def test_window_shows_the_collection_and_the_bridge_answers(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path, display: str, tmp_path: Path
) -> None:
    assert BUILT_UI.exists(), "build the UI first: (cd ui && npm ci && npm run build)"
    seed_collection(start_launcher)
    old_backup = tmp_path / "old.json"
    old_backup.write_text('{"format": "miniatures-tracker", "version": 1, "types": []}')
    probe = {
        "wait_for_text": "Space Marines",
        "call_bridge": True,
        "save_to": str(tmp_path / "saved.json"),
        "open_from": str(old_backup),
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "close"),
    }
    window = start_launcher([], window_env(launcher_env, display, probe, tmp_path))
    window.wait_for_url()
    assert wait_until(lambda: (tmp_path / "result.json").exists(), timeout=90), window.lines
    result = json.loads((tmp_path / "result.json").read_text())

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "window.png"
    subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True)
    colours = subprocess.run(
        ["identify", "-format", "%k", str(shot)], capture_output=True, text=True, check=True
    )
    assert int(colours.stdout) > 20, "the screenshot is blank"
    assert '"Miniatures Progress Tracker"' in window_titles(display)

    assert result.get("error") is None
    assert result["text_shown"], result["page_text"]
    assert result["bridge_ready"]
    assert result["save"] == {"path": str(tmp_path / "saved.json")}
    saved = json.loads((tmp_path / "saved.json").read_text())
    assert [t["name"] for t in saved["types"]] == ["Space Marines"]
    assert result["open"] == {"name": "old.json", "text": old_backup.read_text()}

    (tmp_path / "close").touch()  # the probe now closes the window, as a user would
    assert window.process.wait(30) == 0
    assert postgres_pids(launch_dir / "pgdata") == []
    assert "Space Marines" not in window_titles(display)


def test_sigterm_closes_the_window_and_stops_everything(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path, display: str, tmp_path: Path
) -> None:
    probe = {
        "wait_for_text": "",
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "never"),
    }
    window = start_launcher([], window_env(launcher_env, display, probe, tmp_path))
    window.wait_for_url()
    assert wait_until(lambda: (tmp_path / "result.json").exists(), timeout=90)
    assert window.terminate(timeout=20) == 0
    assert postgres_pids(launch_dir / "pgdata") == []


def test_the_page_gives_its_garbage_back_while_the_user_works(
    start_launcher, launcher_env: dict[str, str], display: str, tmp_path: Path
) -> None:
    """Every quick move leaves the page's last render behind as garbage (about 0.5 MB). Qt
    WebEngine's V8 has a single generation: left to its defaults it collects nothing until its
    heap reaches 512 MB, and the renderer keeps that memory for good. The window starts the heap
    small (desktop.window.V8_FLAGS), so garbage is collected as it comes. The figures over a
    long session are in tests/benchmarks/window_memory.py."""
    headless = start_launcher(["--headless", "--port", "0"])
    create_type(headless.wait_for_url(), "Space Marines", 1000)
    assert headless.terminate() == 0
    port = free_port()
    env = window_env(launcher_env, display, None, tmp_path)
    window = start_launcher([], {**env, "QTWEBENGINE_REMOTE_DEBUGGING": f"127.0.0.1:{port}"})
    window.wait_for_url()
    with devtools(port) as page:
        page.wait_for(QUICK_MOVE_SHOWN)
        took = page.run(QUICK_MOVES, 200, 0)
        js_heap, dom_heap = page.heaps()
        shown = page.evaluate("document.querySelector('[data-testid=count-BUILDING]').textContent")
    assert (len(took), shown) == (200, "200")
    # Never collected, the heaps hold about 95 MB here; collected as they fill, at most 25 MB.
    assert js_heap + dom_heap < 48, f"JS heap {js_heap:.0f} MB, DOM heap {dom_heap:.0f} MB"
    assert window.terminate(timeout=30) == 0


def test_first_start_in_russian_without_that_locale_installed(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path, display: str, tmp_path: Path
) -> None:
    """LANG names a locale the system has not generated: the database is still created (in
    its fixed locale), and the window still follows the user's language, its title too."""
    probe = {
        "wait_for_text": "Трекер миниатюр",
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "close"),
    }
    env = window_env(launcher_env, display, probe, tmp_path)
    env.update(LANG="ru_RU.UTF-8", LC_ALL="ru_RU.UTF-8", LANGUAGE="ru_RU:ru")
    window = start_launcher([], env)
    window.wait_for_url(timeout=120)
    assert wait_until(lambda: (tmp_path / "result.json").exists(), timeout=90), window.lines
    result = json.loads((tmp_path / "result.json").read_text())
    assert result.get("error") is None
    assert result["text_shown"], result["page_text"]
    assert wait_until(lambda: '"Трекер миниатюр"' in window_titles(display), timeout=30)
    (tmp_path / "close").touch()
    assert window.process.wait(30) == 0
    assert postgres_pids(launch_dir / "pgdata") == []


def test_second_launch_brings_the_window_to_the_front(
    start_launcher,
    launcher_env: dict[str, str],
    launch_dir: Path,
    display: str,
    tmp_path: Path,
    browser_stand_in: tuple[str, Path],
) -> None:
    probe = {
        "wait_for_text": "",
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "close"),
    }
    env = window_env(launcher_env, display, probe, tmp_path)
    first = start_launcher([], env)
    url = first.wait_for_url()
    assert wait_until(lambda: (tmp_path / "result.json").exists(), timeout=90)
    postmasters = postgres_pids(launch_dir / "pgdata")

    command, opened = browser_stand_in
    second = start_launcher([], {**env, "BROWSER": command})
    assert second.process.wait(30) == 0
    output = second.output()
    assert f"already running at {url}" in output
    assert "Its window has been brought to the front." in output
    assert not opened.exists()  # no browser tab for a user who has the window
    assert postgres_pids(launch_dir / "pgdata") == postmasters
    log = (launch_dir / "logs" / "miniatures.log").read_text()
    assert "focus requested by a second launch" in log

    (tmp_path / "close").touch()
    assert first.process.wait(30) == 0


def test_without_a_display_the_browser_opens_instead(
    start_launcher, launch_dir: Path, browser_stand_in: tuple[str, Path], launcher_env
) -> None:
    command, opened = browser_stand_in
    launcher = start_launcher([], {**launcher_env, "BROWSER": command})
    url = launcher.wait_for_url()
    line = launcher.wait_for(r"^No native window")
    assert line.string == (
        "No native window: no graphical display is available. "
        "Opening the app in your web browser instead."
    )
    assert wait_until(lambda: opened.exists() and opened.read_text().split() == [url])
    assert get(f"{url}/api/v1/health")[0] == 200
    assert launcher.terminate() == 0
    assert postgres_pids(launch_dir / "pgdata") == []


def test_without_display_or_browser_it_keeps_serving(
    start_launcher, launch_dir: Path, tmp_path: Path, launcher_env
) -> None:
    broken = tmp_path / "no-browser.sh"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    launcher = start_launcher([], {**launcher_env, "BROWSER": str(broken)})
    url = launcher.wait_for_url()
    launcher.wait_for(re.escape(f"No web browser was found: open {url} yourself."))
    assert get(f"{url}/api/v1/health")[0] == 200
    assert launcher.terminate() == 0


def test_browser_mode_opens_the_url(
    start_launcher, browser_stand_in: tuple[str, Path], launcher_env
) -> None:
    command, opened = browser_stand_in
    launcher = start_launcher(["--browser"], {**launcher_env, "BROWSER": command})
    url = launcher.wait_for_url()
    assert wait_until(lambda: opened.exists() and opened.read_text().split() == [url])
    assert get(url)[0] == 200  # the UI itself
    assert launcher.terminate() == 0


QR_SHOWN = "!!document.querySelector('[data-testid=phone-qr] svg')"
OPEN_PHONE_DIALOG = "document.querySelector('[data-testid=phone-button]')?.click()"


def test_use_on_your_phone_shows_a_qr_code_that_pairs(
    start_launcher, launcher_env: dict[str, str], launch_dir: Path, display: str, tmp_path: Path
) -> None:
    """The real window: 'Use on your phone' (the listener on since the last run, on its kept
    port) shows a QR code that zbar reads off the screen, and the link in it pairs a device
    (reached here at 127.0.0.1 on the listener's port, never at the address in the link)."""
    port = free_port()
    (launch_dir / "network.json").write_text(json.dumps({"enabled": True, "port": port}))
    shown = tmp_path / "shown.json"
    probe = {
        "wait_for_text": "",
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "close"),
        "steps": [{"until": QR_SHOWN, "nudge": OPEN_PHONE_DIALOG, "done": str(shown)}],
    }
    window = start_launcher([], window_env(launcher_env, display, probe, tmp_path))
    url = window.wait_for_url()
    assert wait_until(shown.exists, timeout=120), window.lines
    assert json.loads(shown.read_text())["reached"]

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "window-phone-dialog.png"
    text = None
    for _ in range(40):  # the code is in the page; the screen shows it a few frames later
        subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True)
        found = subprocess.run(
            ["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, timeout=60
        )
        if found.returncode == 0:
            text = found.stdout.strip()
            break
        time.sleep(0.5)
    assert text is not None, "zbar found no QR code on the screen"
    link = urllib.parse.urlsplit(text)
    assert link.scheme == "http" and link.port == port and link.path == "/"
    assert link.fragment.startswith("pair=")
    code = link.fragment.removeprefix("pair=")

    with httpx.Client(timeout=10) as phone:
        paired = phone.post(f"http://127.0.0.1:{port}/api/v1/session", json={"pair": code})
        assert paired.status_code == 204
        assert phone.get(f"http://127.0.0.1:{port}/api/v1/types").status_code == 200
    devices = httpx.get(f"{url}/api/v1/devices").json()["devices"]
    assert len(devices) == 1

    (tmp_path / "close").touch()
    assert window.process.wait(30) == 0
    assert postgres_pids(launch_dir / "pgdata") == []
