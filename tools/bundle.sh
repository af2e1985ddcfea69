#!/usr/bin/env bash
# Builds the app as a bundle that needs no Python and no Node.js on the user's machine:
# PyInstaller onedir, packed as dist/bundle/MiniaturesTracker-<version>-<os>-<arch>.tar.gz,
# which unpacks to MiniaturesTracker/ (the program MiniaturesTracker, a .desktop entry and
# its icon, install.sh for the menu, LICENSES.txt).
#   bash tools/bundle.sh        prints the archive's path on its last line
# Everything it needs it installs itself, into build/bundle/venv (kept between builds while
# pyproject.toml and tools/bundle/requirements.txt stay the same). Node.js builds the UI when
# ui/dist is missing or stale (the wheel's build step, see setup.py).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
HERE="$ROOT/tools/bundle"
WORK="$ROOT/build/bundle"
OUT="$ROOT/dist/bundle"
VENV="$WORK/venv"
NAME=MiniaturesTracker
PYTHON=${PYTHON:-python3}
say() { printf '==> %s\n' "$*" >&2; }
started=$(date +%s)

case "$(uname -s)" in
  Linux) OS=linux; BIN="$VENV/bin" ;;
  Darwin) OS=macos; BIN="$VENV/bin" ;;
  MINGW* | MSYS* | CYGWIN*) OS=windows; BIN="$VENV/Scripts" ;;
  *) echo "bundle.sh: unsupported system $(uname -s)" >&2; exit 1 ;;
esac
ARCH=$(uname -m)
case "$ARCH" in amd64 | AMD64) ARCH=x86_64 ;; aarch64) ARCH=arm64 ;; esac

# --- The build environment: the project's desktop extra and PyInstaller, pinned.
stamp=$(cat pyproject.toml "$HERE/requirements.txt" | "$PYTHON" -c \
  'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ "$(cat "$WORK/venv.stamp" 2>/dev/null)" != "$stamp" ]; then
  say "Creating the build environment ($VENV)"
  rm -rf "$VENV" "$WORK/venv.stamp"
  "$PYTHON" -m venv "$VENV"
  "$BIN/python" -m pip install -q --disable-pip-version-check -r "$HERE/requirements.txt" \
    ".[desktop]" >&2
  echo "$stamp" >"$WORK/venv.stamp"
fi
# The app itself, fresh each time, as its wheel installs it (built UI and migrations inside).
say "Installing the app into the build environment"
"$BIN/python" -m pip install -q --disable-pip-version-check --no-deps --force-reinstall . >&2
VERSION=$("$BIN/python" -c 'from importlib.metadata import version; print(version("miniatures-tracker"))')

say "Freezing with PyInstaller"
"$BIN/pyinstaller" --noconfirm --log-level WARN --distpath "$WORK/dist" \
  --workpath "$WORK/pyinstaller" "$HERE/$NAME.spec" >&2
APP="$WORK/dist/$NAME"

say "Adding the menu entry, install.sh and the licences"
cp "$HERE/install.sh" "$APP/install.sh"
chmod 755 "$APP/install.sh"
cp "$HERE/$NAME.desktop" "$APP/$NAME.desktop"
cp "$ROOT/desktop/icon.png" "$APP/$NAME.png"
"$BIN/python" "$HERE/licences.py" "$APP" >"$APP/LICENSES.txt"

mkdir -p "$OUT"
ARCHIVE="$OUT/$NAME-$VERSION-$OS-$ARCH.tar.gz"
say "Packing $ARCHIVE"
rm -f "$ARCHIVE"
tar -C "$WORK/dist" -czf "$ARCHIVE.part" "$NAME"
mv "$ARCHIVE.part" "$ARCHIVE"
say "Built in $(($(date +%s) - started)) s: $(du -sm "$APP" | cut -f1) MB unpacked, $(du -m "$ARCHIVE" | cut -f1) MB packed"
echo "$ARCHIVE"
