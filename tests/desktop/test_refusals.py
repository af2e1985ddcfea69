"""Never open to the network by accident: a server that would accept network names or a
non-loopback address without an access key, or with a key too short, refuses to start with one
line naming the fix (exit code 2), and never prints the key. Nothing is bound, so nothing here
listens beyond loopback."""

import subprocess
import sys

import pytest

from backend.settings import REPO_ROOT
from tests.desktop.conftest import LAUNCHER

SHORT_KEY = "only-15-letters"  # one short of the minimum


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("args", "extra", "names"),
    [
        (["--headless", "--host", "0.0.0.0"], {}, "--host 0.0.0.0"),
        (["--headless", "--host", "nas.local", "--port", "0"], {}, "--host nas.local"),
        (["--headless"], {"MINIATURES_ALLOWED_HOSTS": "nas.home"}, "MINIATURES_ALLOWED_HOSTS"),
        (["--headless"], {"MINIATURES_ACCESS_KEY": SHORT_KEY}, "too short"),
        (
            ["--headless", "--host", "0.0.0.0"],
            {"MINIATURES_ACCESS_KEY": SHORT_KEY},
            "too short",
        ),
    ],
)
def test_the_launcher_refuses_to_start_open_without_a_key(
    launcher_env: dict[str, str], args: list[str], extra: dict[str, str], names: str
) -> None:
    done = run([sys.executable, str(LAUNCHER), *args], {**launcher_env, **extra})
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    assert lines[0].startswith("Miniatures Progress Tracker will not start: ")
    assert names in lines[0]
    assert "MINIATURES_ACCESS_KEY" in lines[0]
    assert SHORT_KEY not in done.stdout + done.stderr


def test_the_container_server_refuses_too(launcher_env: dict[str, str]) -> None:
    """`uvicorn --factory backend.main:serve_app`, as the container runs it."""
    command = [sys.executable, "-m", "uvicorn", "--factory", "backend.main:serve_app"]
    for extra in ({"MINIATURES_ALLOWED_HOSTS": "nas.home"}, {"MINIATURES_ACCESS_KEY": SHORT_KEY}):
        env = {**launcher_env, **extra, "DATABASE_URL": "postgresql://nobody@/nothing"}
        done = run([*command, "--host", "127.0.0.1", "--port", "0"], env)
        assert done.returncode == 2
        said = [line for line in done.stderr.splitlines() if "will not start" in line]
        assert len(said) == 1 and "MINIATURES_ACCESS_KEY" in said[0], done.stderr
        assert SHORT_KEY not in done.stdout + done.stderr
