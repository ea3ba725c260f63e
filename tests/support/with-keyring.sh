#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a command with a private D-Bus session bus and a fresh, unlocked gnome-keyring
# (its own HOME, so the keyring starts empty):
#   dbus-run-session -- sh tests/support/with-keyring.sh <command> [args...]
set -eu
home=$(mktemp -d "${TMPDIR:-/tmp}/pah-keyring-XXXXXX")
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config"
export XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state"
# gnome-keyring-daemon prints its environment and, as root, a harmless fd-limit warning.
printf 'test' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
# It may return before it owns the Secret Service name on the bus. A client asking
# before then makes the bus start another daemon (its service file), with the bus's
# HOME and a locked, absent keyring that wants a prompt: so wait for the name.
owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'
}
tries=0
until owned; do
  tries=$((tries + 1))
  if [ "$tries" -ge 200 ]; then
    echo "with-keyring: gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s" >&2
    exit 1
  fi
  sleep 0.05
done
"$@"
