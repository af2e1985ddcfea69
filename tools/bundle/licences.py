"""Prints LICENSES.txt for a built bundle: under which terms it is distributed, then the
licence of everything it carries, read at build time from what was actually installed:
Python itself, every Python distribution the app needs (with the `desktop` extra: Qt, its
binding, the embedded PostgreSQL), and, on Debian-like systems, the system libraries
PyInstaller copied into the bundle.

    python tools/bundle/licences.py <bundle folder>   (run with the build environment's Python)
"""

import re
import shutil
import subprocess
import sys
import sysconfig
from importlib.metadata import Distribution, PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement

APP = "miniatures-tracker"
EXTRAS = ("desktop",)
LICENCE_FILE = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE|AUTHORS|THIRD[-_]PARTY)", re.IGNORECASE)
RULE = "=" * 78

TERMS = """\
Miniatures Progress Tracker {version}, bundle for {platform}

This bundle contains the app and everything it needs to run: a Python interpreter, the
Python packages listed below and, on Linux, Qt with its WebEngine and the PyQt6 binding.
The app's own code is under the MIT licence. PyQt6 is licensed under the GNU General
Public License version 3 only, so the bundle as a whole is distributed under the terms of
the GNU GPL version 3 (GPL-3.0-only); every other part keeps its own licence, all of them
compatible with it. The complete source code of the app, and the instructions to rebuild
this bundle (tools/bundle.sh), are in the app's public repository; the sources of the
other parts are published by their projects (each is listed with its version).
"""


def needed(name: str, extras: tuple[str, ...] = ()) -> dict[str, Distribution]:
    """The distribution and, recursively, what it requires (with these extras) here."""
    found: dict[str, Distribution] = {}
    pending, done = [(name, extras)], set()
    while pending:
        current, wanted = pending.pop()
        if (current, wanted) in done:
            continue
        done.add((current, wanted))
        try:
            dist = distribution(current)
        except PackageNotFoundError:
            continue
        found[current] = dist
        environments = [{"extra": extra} for extra in ("", *wanted)]
        for text in dist.requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker is None or any(marker.evaluate(env) for env in environments):
                key = re.sub(r"[-_.]+", "-", requirement.name).lower()
                pending.append((key, tuple(sorted(requirement.extras))))
    return found


def licence_name(dist: Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return str(meta["License-Expression"])
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    short = (meta.get("License") or "").strip()
    if short and "\n" not in short and len(short) < 80:
        return short
    return ", ".join(classifiers) or "see the text below"


def licence_texts(dist: Distribution) -> list[tuple[str, str]]:
    texts = []
    for file in dist.files or []:
        if ".dist-info/" in str(file) and LICENCE_FILE.match(file.name):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                texts.append((file.name, path.read_text(encoding="utf-8", errors="replace")))
    if not texts and (dist.metadata.get("License") or "").count("\n") > 2:
        texts.append(("License (from the package's metadata)", str(dist.metadata["License"])))
    return texts


def system_libraries(bundle: Path) -> list[tuple[str, str, str]]:
    """(library, Debian package, copyright text) for shared libraries taken from the system."""
    internal = bundle / "_internal"
    libraries = sorted(p.name for p in internal.glob("*.so*") if p.is_file())
    if not libraries or not sys.platform.startswith("linux") or shutil.which("dpkg") is None:
        return []
    answer = subprocess.run(["dpkg", "-S", *libraries], capture_output=True, text=True).stdout
    rows = []
    for line in answer.splitlines():
        package, _, path = line.partition(": ")
        package = package.split(":")[0].split(",")[0]
        copyright_file = Path("/usr/share/doc") / package / "copyright"
        text = copyright_file.read_text(errors="replace") if copyright_file.exists() else ""
        rows.append((Path(path).name, package, text))
    return sorted(set(rows))


def main(bundle: Path) -> None:
    app = distribution(APP)
    dists = needed(APP, EXTRAS)
    out = [TERMS.format(version=app.version, platform=sys.platform), RULE, "Contents", RULE]
    python_licence = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    out.append(f"Python {sys.version.split()[0]:<34} PSF-2.0")
    out += [
        f"{d.metadata['Name']} {d.version:<{40 - len(d.metadata['Name'])}} {licence_name(d)}"
        for _, d in sorted(dists.items())
    ]
    libraries = system_libraries(bundle)
    out += [f"{lib} (system library, Debian package {package})" for lib, package, _ in libraries]

    if python_licence.exists():
        out += ["", RULE, f"Python {sys.version.split()[0]}", RULE, python_licence.read_text()]
    for _, dist in sorted(dists.items()):
        out += ["", RULE, f"{dist.metadata['Name']} {dist.version}: {licence_name(dist)}", RULE]
        for name, text in licence_texts(dist):
            out += [f"--- {name}", text.rstrip()]
    seen: set[str] = set()
    for _, package, text in libraries:
        if package not in seen and text:
            seen.add(package)
            out += ["", RULE, f"Debian package {package} (system libraries)", RULE, text.rstrip()]
    print("\n".join(out))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
