"""A smoke test of a built bundle on any system (CI's Windows and macOS runners; on Linux
tests/packaging/test_bundle.py goes further: a normal user, the window, the dialogs).

    python tools/bundle/smoke.py <archive>

Unpacks the archive, starts the program headless on a new data folder, checks that the UI
page and the API answer, adds a type, stops it, starts it again and finds the type.
Standard library only: the bundle needs no Python, and this checks it from outside.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

NAME = "MiniaturesTracker"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(url: str, body: dict[str, object] | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the program stopped with exit code {process.returncode}")
        try:
            if call(f"{url}/api/v1/health")[0] == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"no answer from {url} in {timeout:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> int:
    if os.name == "nt":
        process.terminate()  # Windows has no SIGTERM for another process: a hard stop
    else:
        process.send_signal(signal.SIGTERM)
    return process.wait(60)


def run_once(program: Path, data: Path, check: Callable[[str], None]) -> int:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MINIATURES_DATA_DIR": str(data)}
    process = subprocess.Popen([str(program), "--headless", "--port", str(port)], env=env)
    try:
        wait_healthy(url, process)
        check(url)
    finally:
        code = stop(process)
    return code


def main(archive: Path) -> None:
    folder = Path(tempfile.mkdtemp(prefix="miniatures-smoke-"))
    with tarfile.open(archive) as packed:
        packed.extractall(folder, filter="data")
    program = folder / NAME / (f"{NAME}.exe" if os.name == "nt" else NAME)
    data = folder / "data"

    def first(url: str) -> None:
        status, page = call(url)
        assert status == 200 and b'<div id="app">' in page, "the UI page"
        status, _ = call(f"{url}/api/v1/types", {"name": "Space Marines", "counts": {"IN_BOX": 3}})
        assert status == 201, "adding a type"

    def second(url: str) -> None:
        names = [t["name"] for t in json.loads(call(f"{url}/api/v1/types")[1])]
        assert names == ["Space Marines"], names

    code = run_once(program, data, first)
    if os.name != "nt":
        assert code == 0, f"SIGTERM: exit code {code}"
    run_once(program, data, second)
    print(f"smoke test passed: {archive.name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
