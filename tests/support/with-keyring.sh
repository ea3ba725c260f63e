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
"$@"
