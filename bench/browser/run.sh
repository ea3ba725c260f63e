#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Real-browser benchmark (bench/browser/README.md): prints p50/p95, asserts nothing, not
# part of scripts/test.sh. Installs what only this benchmark needs (KeePassXC and its
# browser extension, Debian packages), builds the release host if it is missing, then
# runs run.mjs with the arguments given (e.g. --loads 30 --browsers chromium).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# --keyring (this script's own): run under a private D-Bus session with a fresh, unlocked
# gnome-keyring (tests/support/with-keyring.sh), as on a desktop, so the popup's "stay
# signed in" is kept and a new host process asks only for the master password.
args=()
keyring=0
for a in "$@"; do
  if [[ "$a" == --keyring ]]; then keyring=1; else args+=("$a"); fi
done

bench_packages=(keepassxc webext-keepassxc-browser xvfb chromium firefox-esr)
((keyring == 0)) || bench_packages+=(dbus gnome-keyring)
missing=()
for pkg in "${bench_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

if [[ ! -d "$here/node_modules/puppeteer-core" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
if [[ ! -d "$repo/tests/passagent-server/node_modules" ]]; then
  (cd "$repo/tests/passagent-server" && npm ci --no-audit --no-fund)
fi

if [[ -z "${PASSAGENT_HOST_BIN:-}" && ! -x "$repo/build/release/host/passagent-host" ]]; then
  echo "bench: building the release host" >&2
  (cd "$repo" && cmake --preset release >/dev/null && cmake --build --preset release --target passagent-host -j2)
fi

cd "$repo"
if ((keyring)); then
  export PASSAGENT_BENCH_KEYRING=1
  exec dbus-run-session -- sh "$repo/tests/support/with-keyring.sh" node "$here/run.mjs" "${args[@]}"
fi
exec node "$here/run.mjs" "${args[@]}"
