"""The bundle as a user gets it, for its test and its benchmark: built by tools/bundle.sh,
unpacked and run by a normal user (made when the caller is root, as in CI) with an empty
PATH: no Python, no Node.js."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAME = "MiniaturesTracker"
USER = "miniatures-tester"


def build_bundle() -> tuple[Path, float]:
    """The archive tools/bundle.sh prints on its last line, and how long the build took."""
    started = time.monotonic()
    built = subprocess.run(
        ["bash", str(ROOT / "tools" / "bundle.sh")], capture_output=True, text=True, timeout=1800
    )
    if built.returncode != 0:
        raise RuntimeError(f"tools/bundle.sh failed:\n{built.stderr[-5000:]}")
    return Path(built.stdout.strip().splitlines()[-1]), time.monotonic() - started


def normal_user() -> pwd.struct_passwd:
    """This user, or as root one made for the purpose."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    try:
        return pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", USER], check=True)
        return pwd.getpwnam(USER)


def as_user(user: pwd.struct_passwd) -> list[str]:
    """The command prefix that runs a program as that user (nothing when it is us)."""
    if os.geteuid() == user.pw_uid:
        return []
    setpriv = shutil.which("setpriv") or "setpriv"  # absolute: the user's PATH is empty
    return [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", "--"]


def unpack(archive: Path, user: pwd.struct_passwd) -> Path:
    """A new folder of the user's under /tmp, with the archive unpacked in it by the user."""
    folder = Path(tempfile.mkdtemp(prefix="miniatures-bundle-", dir="/tmp"))
    shutil.copy(archive, folder / archive.name)
    for path in (folder, folder / archive.name):
        os.chown(path, user.pw_uid, user.pw_gid)
    subprocess.run([*as_user(user), "tar", "-xzf", archive.name], cwd=folder, check=True)
    (folder / archive.name).unlink()
    return folder


def user_env(user: pwd.struct_passwd, folder: Path, **extra: str) -> dict[str, str]:
    """Nothing but the user's basics, and an empty folder as PATH."""
    empty = folder / "empty-path"
    empty.mkdir(exist_ok=True)
    os.chown(empty, user.pw_uid, user.pw_gid)
    return {
        "PATH": str(empty),
        "HOME": user.pw_dir,
        "USER": user.pw_name,
        "LANG": "C.UTF-8",
        "MINIATURES_DATA_DIR": str(folder / "data"),
        **extra,
    }


def program(user: pwd.struct_passwd, folder: Path) -> list[str]:
    return [*as_user(user), str(folder / NAME / NAME)]
