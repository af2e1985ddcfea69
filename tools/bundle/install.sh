#!/bin/sh
# Adds Miniatures Progress Tracker to your applications menu (no root needed): a menu entry
# and its icon in your home folder, pointing at this folder. Move the folder? Run it again.
#   ./install.sh             add (or update) the menu entry
#   ./install.sh --uninstall remove it again (your collection's data stays where it is)
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
ENTRY="$DATA/applications/miniatures-tracker.desktop"
ICON="$DATA/icons/hicolor/256x256/apps/miniatures-tracker.png"

refresh() {
  command -v update-desktop-database >/dev/null 2>&1 \
    && update-desktop-database "$DATA/applications" >/dev/null 2>&1 || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 \
    && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" >/dev/null 2>&1 || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$ENTRY" "$ICON"
  refresh
  echo "Removed Miniatures Progress Tracker from the menu."
  exit 0
fi

mkdir -p "$(dirname "$ENTRY")" "$(dirname "$ICON")"
cp "$HERE/MiniaturesTracker.png" "$ICON"
# Exec takes a quoted argument: \ " ` $ escaped inside the quotes, then every \ doubled
# again (the string escape) and % doubled (field codes); Icon is a plain string.
exec_path=$(printf '%s' "$HERE/MiniaturesTracker" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g')
icon_path=$(printf '%s' "$ICON" | sed -e 's/\\/\\\\/g')
while IFS= read -r line; do
  case "$line" in
    Exec=*) printf 'Exec="%s"\n' "$exec_path" ;;
    Icon=*) printf 'Icon=%s\n' "$icon_path" ;;
    *) printf '%s\n' "$line" ;;
  esac
done <"$HERE/MiniaturesTracker.desktop" >"$ENTRY.tmp"
chmod 644 "$ENTRY.tmp"
mv "$ENTRY.tmp" "$ENTRY"
refresh
echo "Added Miniatures Progress Tracker to the menu ($ENTRY)."
