#!/usr/bin/env bash
# The whole test suite from a fresh clone: sets up what it needs, then runs every check.
#   bash tests/run.sh            everything (lint, types, UI unit tests, pytest incl. browser e2e)
#   bash tests/run.sh -k moves   extra arguments go to pytest
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
say() { printf '\n==> %s\n' "$*"; }

# --- System packages: Chromium for the browser tests, Xvfb and Qt's libraries for the window,
# a Docker engine and debootstrap for the stack's test (tests/docker/engine.py), zbar's decoder
# for the pairing QR code.
APT_PACKAGES=(chromium xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 libxcb-shape0 libxcb-randr0
  libxcb-xinerama0 libegl1 libgl1 libnss3 libasound2 libxkbfile1 libxcomposite1 libxdamage1
  libxrandr2 libxtst6 x11-utils imagemagick xdotool docker.io debootstrap faketime zbar-tools)
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

# --- The app's own setup (.venv, the UI's npm packages and build), plus the development tools.
say "Setting up: .venv with the desktop and dev extras, the UI's packages and build"
python3 -c "import launcher; launcher.ensure_environment(('desktop', 'dev'))"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say "Python lint and format (ruff)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

say "Python types (mypy)"
"$VENV/bin/mypy"

say "UI type check and unit tests"
(cd ui && npm run --silent typecheck && npm run --silent test)

# A test never reads the real clock: the unit tests again with the clock set far away (a new
# year's eve about to pass, a leap day, a DST change) and in far time zones.
for clock in "2027-12-31 23:59:30|America/New_York" "2028-02-29 23:30:00|Pacific/Kiritimati" \
  "2027-03-28 01:59:50|Europe/Berlin"; do
  say "UI unit tests with the clock at ${clock%|*} in ${clock#*|}"
  (cd ui && TZ="${clock#*|}" faketime -f "@${clock%|*}" npm run --silent test -- --silent)
done

say "pytest: backend, desktop, docker, security, resilience, fuzzing, browser end-to-end"
export QTWEBENGINE_DISABLE_SANDBOX=1
"$PY" -m pytest "$@"
