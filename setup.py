"""The wheel carries what the app serves and applies besides its code: the built UI, the
migrations and their Alembic config, in backend/_resources (found by backend/resources.py).

Node.js is needed only here, to build the UI from ui/ when its build is missing or older than
its sources (the launcher's own rule), never to install or run the wheel. The sdist carries
the UI's sources and the migrations (MANIFEST.in), so a wheel built from it is the same.
"""

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

ROOT = Path(__file__).resolve().parent
UI = ROOT / "ui"


def built_ui(log: Path) -> Path:
    if (UI / "package.json").exists():
        sys.path.insert(0, str(ROOT))
        import launcher

        try:
            launcher.build_ui(UI, log)
        except launcher.SetupError as error:
            raise SetupError(str(error)) from None
    dist = UI / "dist"
    if not (dist / "index.html").exists():
        raise SetupError("the wheel needs the UI: ui/ with its sources (and Node.js), or ui/dist")
    return dist


class BuildPyWithResources(build_py):
    def run(self) -> None:
        if not getattr(self, "editable_mode", False):
            # The packages exactly as the sources are now: setuptools copies into build/lib
            # over an earlier build, which would keep a module since moved or deleted.
            for package in ("backend", "desktop"):
                shutil.rmtree(Path(self.build_lib, package), ignore_errors=True)
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install serves them from the source tree instead
        for needed in ("migrations/env.py", "alembic.ini"):
            if not (ROOT / needed).exists():
                raise SetupError(f"the wheel needs {needed}, which is missing from the sources")
        target = Path(self.build_lib, "backend", "_resources")
        skip = shutil.ignore_patterns("__pycache__", "*.pyc")
        log = Path(self.get_finalized_command("build").build_temp, "ui-build.log")
        shutil.copytree(built_ui(log), target / "ui")
        shutil.copytree(ROOT / "migrations", target / "migrations", ignore=skip)
        shutil.copy2(ROOT / "alembic.ini", target / "alembic.ini")


setup(cmdclass={"build_py": BuildPyWithResources})
