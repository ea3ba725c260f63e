#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian package, installs it with dpkg, checks that the files are where
# browsers look and that `passagent-host doctor --system` finds the Chromium manifest,
# then starts real headless Chromium with the extension, a fresh profile and no
# user-level manifest, and requires the extension to get a `hello` from
# /usr/bin/passagent-host through the system manifest. Then removes the package,
# requires the same launch to say "Specified native messaging host not found", and
# checks that nothing is left.
#
#   installer/test-deb.sh <build-dir>
#
# <build-dir> is configured here if needed (Release, prefix /usr). Needs root and dpkg;
# exits 77 (the ctest "skipped" code) without them. Needs Node.js, Chromium and the
# extension's npm packages (bash scripts/setup.sh installs them): fails without them.
# Changes the system: run it in CI or a throw-away container only.
set -euo pipefail

if [[ $# -ne 1 ]]; then
    echo "usage: $0 <build-dir>" >&2
    exit 2
fi
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$1"

if [[ $(id -u) -ne 0 ]] || ! command -v dpkg >/dev/null || ! command -v dpkg-shlibdeps >/dev/null; then
    echo "test-deb: skipped (needs root, dpkg and dpkg-shlibdeps)"
    exit 77
fi
if dpkg -s passagent-host >/dev/null 2>&1; then
    echo "test-deb: passagent-host is already installed here; refusing to replace it" >&2
    exit 1
fi

fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

# The browser check needs these; say which one is missing before building anything.
chromium_bin="${CHROMIUM_BIN:-/usr/lib/chromium/chromium}"
command -v node >/dev/null || fail "node is not installed (bash scripts/setup.sh installs it)"
[[ -x "$chromium_bin" ]] || fail "no Chromium at $chromium_bin (bash scripts/setup.sh installs Debian's chromium)"
[[ -d "$src/extension/node_modules/puppeteer-core" ]] \
    || fail "extension/node_modules/puppeteer-core is missing (bash scripts/setup.sh runs npm ci)"

# Chromium with the extension, a fresh profile and a temp HOME: it can find the host
# only through the system-wide manifest. $1: found <host> <version> | missing.
browser_check() {
    local start=$EPOCHREALTIME
    (cd "$src/extension" && timeout 120 env -i PATH="$PATH" HOME="$home" CHROMIUM_BIN="$chromium_bin" \
        node test/e2e/installed-host-check.mjs "$@") || return 1
    awk -v a="$start" -v b="$EPOCHREALTIME" -v m="$1" 'BEGIN { printf "test-deb: browser check (%s) took %.1f s\n", m, b - a }'
}

# 1. Build the package.
if [[ ! -f "$build/CMakeCache.txt" ]]; then
    cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr \
          -DPAH_BUILD_TESTS=OFF -DPAH_BUILD_BENCH=OFF
fi
cmake --build "$build" -j2 --target passagent-host
(cd "$build" && cpack -G DEB >/dev/null)
deb="$(ls -t "$build"/passagent-host_*.deb | head -n1)"
[[ -f "$deb" ]] || fail "cpack made no .deb"
echo "test-deb: built $(basename "$deb")"

manifests=(
    /etc/chromium/native-messaging-hosts/ai.passagent.host.json
    /etc/opt/chrome/native-messaging-hosts/ai.passagent.host.json
    /etc/opt/brave/native-messaging-hosts/ai.passagent.host.json
    /etc/opt/edge/native-messaging-hosts/ai.passagent.host.json
    /etc/opt/vivaldi/native-messaging-hosts/ai.passagent.host.json
    /usr/lib/mozilla/native-messaging-hosts/ai.passagent.host.json
    /usr/lib/librewolf/native-messaging-hosts/ai.passagent.host.json
    /usr/lib/waterfox/native-messaging-hosts/ai.passagent.host.json
)
listing="$(dpkg-deb -c "$deb")"
for f in /usr/bin/passagent-host "${manifests[@]}"; do
    grep -q " \.$f\$" <<<"$listing" || fail "$f is not in the package"
done
dpkg-deb -f "$deb" Depends | grep -q libsodium || fail "Depends does not name libsodium"

# 2. Install it; every file in place, every manifest pointing at /usr/bin/passagent-host.
cleanup() { dpkg -r passagent-host >/dev/null 2>&1 || true; }
trap cleanup EXIT
dpkg -i "$deb" >/dev/null
[[ -x /usr/bin/passagent-host ]] || fail "/usr/bin/passagent-host is missing or not executable"
for f in "${manifests[@]}"; do
    [[ -f "$f" ]] || fail "$f was not installed"
    grep -q '"path": "/usr/bin/passagent-host"' "$f" || fail "$f does not point at /usr/bin/passagent-host"
done

# 3. The installed host's own doctor finds the Chromium system manifest and is happy.
home="$(mktemp -d)"
trap 'cleanup; rm -rf "$home"' EXIT
report="$(env -i PATH=/usr/bin:/bin HOME="$home" /usr/bin/passagent-host doctor --system --browser chromium)" \
    || { echo "$report"; fail "doctor --system says Chromium will not start the host"; }
grep -q "chromium: OK.*/etc/chromium/native-messaging-hosts/ai.passagent.host.json" <<<"$report" \
    || { echo "$report"; fail "doctor did not use the system manifest"; }
echo "test-deb: installed; doctor: $report" | tr '\n' ' '; echo

# 4. Chromium itself finds the installed host: the extension's connectNative gets a
#    hello from /usr/bin/passagent-host with the package's version.
version="$(dpkg-deb -f "$deb" Version)"
browser_check found /usr/bin/passagent-host "$version" \
    || fail "Chromium did not reach /usr/bin/passagent-host through /etc/chromium/native-messaging-hosts/ai.passagent.host.json"

# 5. Remove it; nothing is left behind, and the same launch no longer finds a host (the
#    negative control: step 4 passed because of the package).
dpkg -r passagent-host >/dev/null
trap 'rm -rf "$home"' EXIT
[[ ! -e /usr/bin/passagent-host ]] || fail "/usr/bin/passagent-host is still there"
for f in "${manifests[@]}"; do
    [[ ! -e "$f" ]] || fail "$f is still there after dpkg -r"
done
browser_check missing \
    || fail "after dpkg -r Chromium did not report the host missing (another manifest for ai.passagent.host on this machine?)"
echo "test-deb: PASS"
