"""`launcher.py --connect URL`: a window onto an app already serving, here a real headless one."""

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.connect import (
    ServerCheckFailed,
    connection_folder,
    normalise_server_url,
    usable_version,
)
from tests.dbserver import postgres_pids
from tests.desktop.conftest import free_port, get, stop_leftover_postgres, wait_until
from tests.desktop.test_launcher_process import create_type, type_names
from tests.desktop.test_window import window_env, window_titles
from tests.xvfb import virtual_display

BANNER = "document.querySelector('[data-testid=connection-banner]')"


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with virtual_display() as shown_on:
        yield shown_on


@pytest.fixture
def server_dir(launch_dir: Path) -> Iterator[Path]:
    """The headless server's own data folder, apart from the window's."""
    folder = launch_dir / "server"
    folder.mkdir()
    yield folder
    stop_leftover_postgres(folder / "pgdata")


@pytest.fixture
def start_server(start_launcher, launcher_env: dict[str, str], server_dir: Path):
    def start(port: int, data_dir: Path = server_dir):
        server = start_launcher(
            ["--headless", "--port", str(port)],
            {**launcher_env, "MINIATURES_DATA_DIR": str(data_dir)},
        )
        server.wait_for_url()
        return server

    return start


class PlainHandler(http.server.BaseHTTPRequestHandler):
    """Some other program on the port: answers every path, as many web servers do."""

    body = b"<html><body>Hello</body></html>"
    content_type = "text/html"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


class FutureAppHandler(PlainHandler):
    body = json.dumps({"status": "ok", "version": "99.0.0"}).encode()
    content_type = "application/json"


@pytest.fixture
def plain_server(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = getattr(request, "param", PlainHandler)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def failure_line(start_launcher, args: list[str], env: dict[str, str] | None = None) -> str:
    launcher = start_launcher(args, env)
    assert launcher.process.wait(30) == 2
    lines = launcher.output().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# --- The check before anything opens -------------------------------------------------


def test_a_url_that_refuses_exits_2_naming_it(start_launcher, launch_dir: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    line = failure_line(start_launcher, ["--connect", url])
    assert line == f"Cannot connect to {url}: nothing answers there (connection refused)."
    assert not (launch_dir / "pgdata").exists()


def test_the_environment_variable_connects_too(
    start_launcher, launcher_env: dict[str, str]
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    line = failure_line(start_launcher, [], {**launcher_env, "MINIATURES_SERVER_URL": url})
    assert line.startswith(f"Cannot connect to {url}: nothing answers there")


def test_a_server_that_is_not_this_app_exits_2(start_launcher, plain_server: str) -> None:
    line = failure_line(start_launcher, ["--connect", plain_server])
    assert line == (
        f"Cannot connect to {plain_server}: it answers, but not as Miniatures Progress "
        "Tracker (an answer that is not the app's for /api/v1/health)."
    )


@pytest.mark.parametrize("plain_server", [FutureAppHandler], indirect=True)
def test_a_version_it_cannot_use_exits_2(start_launcher, plain_server: str) -> None:
    line = failure_line(start_launcher, ["--connect", plain_server])
    assert line == (
        f"Cannot connect to {plain_server}: it runs version 99.0.0, and this window works "
        "with version 1.x (update the older one)."
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("ftp://127.0.0.1:8000", "that is not a valid URL (use http:// or https://)"),
        (
            "http://127.0.0.1:8000/app",
            "the app is served at the root of its server; give only http://host:port",
        ),
    ],
)
def test_a_malformed_url_exits_2_naming_it(start_launcher, url: str, problem: str) -> None:
    assert (
        failure_line(start_launcher, ["--connect", url]) == f"Cannot connect to {url}: {problem}."
    )


def test_urls_are_read_as_a_user_writes_them() -> None:
    assert normalise_server_url("127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert normalise_server_url(" HTTP://NAS.local:8000/ ") == "http://nas.local:8000"
    assert normalise_server_url("https://[::1]:8443") == "https://[::1]:8443"
    for bad, problem in [
        ("http://127.0.0.1:99999", "that is not a valid URL (Port out of range 0-65535)"),
        ("http://", "that is not a valid URL (it names no host)"),
        ("http://a b:8000", "that is not a valid URL"),
        ("http://user:secret@nas:8000", "the app takes no user name or password in its URL"),
        ("http://nas/?q=1", "the app is served at the root of its server"),
        ("", "that is not a valid URL"),
    ]:
        with pytest.raises(ServerCheckFailed, match=r"^Cannot connect to .+: .+\.$") as raised:
            normalise_server_url(bad)
        assert problem in str(raised.value)


def test_versions_are_usable_within_one_major_version() -> None:
    assert usable_version("1.4.2", own="1.0.0")
    assert not usable_version("2.0.0", own="1.0.0")
    assert not usable_version("", own="1.0.0")
    assert not usable_version("latest", own="1.0.0")


def test_each_server_has_its_own_folder(tmp_path: Path) -> None:
    first = connection_folder(tmp_path, "http://127.0.0.1:8000")
    assert first == connection_folder(tmp_path, "http://127.0.0.1:8000")
    assert first != connection_folder(tmp_path, "http://127.0.0.1:8001")
    assert first.parent == tmp_path / "connections"
    assert first.name.startswith("http-127-0-0-1-8000-")


# --- Against a real server -----------------------------------------------------------


def test_browser_mode_opens_the_server_and_leaves(
    start_server, start_launcher, launcher_env, launch_dir: Path, browser_stand_in
) -> None:
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}"
    command, opened = browser_stand_in
    env = {**launcher_env, "BROWSER": command}

    browser = start_launcher(["--connect", url, "--browser"], env)
    assert browser.process.wait(30) == 0
    # No display: the window cannot open, so the browser gets the server and nothing waits.
    no_display = start_launcher([], {**env, "MINIATURES_SERVER_URL": f"127.0.0.1:{port}/"})
    assert no_display.process.wait(30) == 0
    assert "No native window: no graphical display is available." in no_display.output()
    assert opened.read_text().split() == [url, url]
    assert not (launch_dir / "pgdata").exists()
    assert get(f"{url}/api/v1/health")[0] == 200
    assert server.terminate() == 0


def test_window_shows_the_server_and_backups_round_trip_through_it(
    start_server,
    start_launcher,
    launcher_env: dict[str, str],
    launch_dir: Path,
    display: str,
    tmp_path: Path,
    browser_stand_in,
) -> None:
    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}"
    create_type(url, "Space Marines", 10)
    saved = tmp_path / "saved.json"
    probe = {
        "wait_for_text": "Space Marines",
        "call_bridge": True,
        "save_to": str(saved),
        "open_from": str(saved),
        "import_opened": True,
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "never"),
    }
    env = window_env(launcher_env, display, probe, tmp_path)
    window = start_launcher(["--connect", url], env)
    window.wait_for(f"is connected to {url};")
    assert wait_until(lambda: (tmp_path / "result.json").exists(), timeout=180), window.lines
    result = json.loads((tmp_path / "result.json").read_text())

    assert result.get("error") is None
    assert result["text_shown"], result["page_text"]
    assert result["save"] == {"path": str(saved)}
    exported = json.loads(saved.read_text())
    assert [t["counts"]["IN_BOX"] for t in exported["types"]] == [10]
    assert result["open"]["name"] == "saved.json"
    assert result["imported"]["status"] == 200, result["imported"]
    assert result["imported"]["body"]["types_merged"] == 1
    listed = json.loads(get(f"{url}/api/v1/types")[1])
    assert [(t["name"], t["counts"]["IN_BOX"]) for t in listed] == [("Space Marines", 20)]
    assert f'"Miniatures Progress Tracker — 127.0.0.1:{port}"' in window_titles(display)
    assert not (launch_dir / "pgdata").exists()
    assert postgres_pids(launch_dir / "pgdata") == []

    # A second launch on the same server brings this window to the front, and opens nothing.
    command, opened = browser_stand_in
    second = start_launcher(["--connect", f"{url}/"], {**env, "BROWSER": command})
    assert second.process.wait(30) == 0
    output = second.output()
    assert f"already has a window on {url} (process {window.process.pid})" in output
    assert "Its window has been brought to the front." in output
    assert not opened.exists()

    assert window.terminate() == 0
    assert get(f"{url}/api/v1/health")[0] == 200  # the server is left running
    assert type_names(url) == ["Space Marines"]
    assert server.terminate() == 0


def test_the_banner_shows_while_the_server_is_away_and_clears_when_it_is_back(
    start_server,
    start_launcher,
    launcher_env: dict[str, str],
    launch_dir: Path,
    display: str,
    tmp_path: Path,
) -> None:
    # The server runs on the window's own data folder: an embedded instance beside it is fine.
    port = free_port()
    server = start_server(port, launch_dir)
    url = f"http://127.0.0.1:{port}"
    create_type(url, "Orks", 3)
    shown, gone = tmp_path / "banner-shown.json", tmp_path / "banner-gone.json"
    probe = {
        "wait_for_text": "Orks",
        "result": str(tmp_path / "result.json"),
        "close_file": str(tmp_path / "never"),
        "steps": [
            # A user coming back to the window: focus reloads the list.
            {
                "until": f"!!{BANNER}",
                "nudge": "window.dispatchEvent(new Event('focus'))",
                "done": str(shown),
            },
            {"until": f"!{BANNER} && document.body.innerText.includes('Orks')", "done": str(gone)},
        ],
    }
    window = start_launcher(["--connect", url], window_env(launcher_env, display, probe, tmp_path))
    window.wait_for(f"is connected to {url};")
    assert wait_until(lambda: (tmp_path / "result.json").exists(), timeout=180), window.lines
    assert json.loads((tmp_path / "result.json").read_text())["text_shown"]

    assert server.terminate() == 0
    assert wait_until(shown.exists, timeout=200)
    assert json.loads(shown.read_text()) == {"reached": True}
    assert not gone.exists()

    again = start_server(port, launch_dir)
    assert wait_until(gone.exists, timeout=200)
    assert json.loads(gone.read_text()) == {"reached": True}
    assert window.process.poll() is None
    assert window.terminate() == 0
    assert get(f"{url}/api/v1/health")[0] == 200
    assert again.terminate() == 0
