#!/usr/bin/env bash
# The whole test suite from a fresh clone: sets up what it needs, then runs every check.
#   bash tests/run.sh            everything (lint, types, UI unit tests, pytest incl. browser e2e)
#   bash tests/run.sh -k moves   extra arguments go to pytest
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
say() { printf '\n==> %s\n' "$*"; }

# --- System packages: Chromium for the browser tests, Xvfb and Qt's libraries for the window.
APT_PACKAGES=(chromium xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0
  libxcb-xinerama0 libegl1 libgl1 libnss3 libasound2 libxkbfile1 libxcomposite1 libxdamage1
  libxrandr2 libxtst6)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "Installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  if ! command -v apt-get >/dev/null; then
    echo "These Debian packages are needed: ${missing[*]} (no apt-get here: install them by hand)." >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- Node.js 20+ for the UI.
if ! command -v npm >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js 20 or newer (with npm) is needed to build and test the UI." >&2
  exit 1
fi

# --- Python virtual environment with the app, the window and the development tools.
stamp="$VENV/.tests-installed"
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "Setting up the Python environment (.venv)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[desktop,dev]"
  echo "$want" > "$stamp"
fi
PY="$VENV/bin/python"

# --- UI packages.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "Installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

say "Python lint and format (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

say "Python types (mypy)"
"$VENV/bin/mypy"

say "UI type check, unit tests and build"
(cd ui && npm run --silent typecheck && npm run --silent test && npm run --silent build)

say "pytest: backend, desktop, docker, security, resilience, fuzzing, browser end-to-end"
export QTWEBENGINE_DISABLE_SANDBOX=1
"$PY" -m pytest "$@"
