#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs everything passagent-host needs to build, test and run its demo, from Debian's
# packages and the npm registry only. Safe to run again; used by scripts/test.sh and
# scripts/demo.sh. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config
  nlohmann-json3-dev libsodium-dev libssl-dev libcurl4-openssl-dev catch2 libargon2-dev libpsl-dev
  libsecret-1-dev gnome-keyring libsecret-tools dbus
  dpkg-dev file ca-certificates
  # scripts/check-tidy.sh (a stage of scripts/test.sh): the host's changed sources
  clang-tidy-19
  chromium firefox-esr xvfb xauth
  # bench/host_bench starts browserpass-native beside the host, in the same run
  webext-browserpass
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js: keep a newer one if the machine has it; otherwise Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "setup: Debian packages already present"
fi

# npm packages, from the committed lock files.
for dir in tests/passagent-server tests/passman-server tests/passwork-server tests/crossjs extension; do
  if [ -f "$dir/package-lock.json" ]; then
    if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
      echo "setup: npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  fi
done
echo "setup: done"
