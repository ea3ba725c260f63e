#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The product on its built-in demo, from a fresh Debian 12 machine: installs what is
# needed, builds passagent-host (release), starts the project's PassAgent test server
# with the demo account, registers the host in a fresh Chromium profile and opens
# Chromium with the extension on the demo login page.
#   With a display ($DISPLAY or $WAYLAND_DISPLAY): a window for you; the terminal says
#   what to type. Stops the server when you close Chromium.
#   Without one (or with --headless): a headless run fills the demo form through the
#   extension and saves screenshots in build/demo/. Exit code 0 only if it really filled.
# Options: --headless  run headless even with a display
#          --no-setup  skip scripts/setup.sh (packages already installed)
# See docs/demo.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DEMO="$ROOT/build/demo"
CHROMIUM_BIN=${CHROMIUM_BIN:-/usr/lib/chromium/chromium}
EXTENSION_ID=hipcecicbflniiemihoangdnijnmcbnf
GECKO_ID=passagent-host@passagent.ai
# PASSAGENT_HOST_BIN=<path> uses that host instead of building one.
HOST_BIN=${PASSAGENT_HOST_BIN:-}

headless=0
setup=1
for arg in "$@"; do
  case "$arg" in
    --headless) headless=1 ;;
    --no-setup) setup=0 ;;
    -h | --help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  headless=1
fi

say() { printf 'demo: %s\n' "$*"; }
start=$SECONDS

# 1. Packages (Debian and npm), 2. the host.
if [ "$setup" -eq 1 ]; then
  bash scripts/setup.sh
fi
if [ -z "$HOST_BIN" ]; then
  say "building passagent-host (release)"
  HOST_BIN="$ROOT/build/release/host/passagent-host"
  cmake --preset release >/dev/null
  cmake --build --preset release -j "${JOBS:-$(nproc)}" --target passagent-host
fi
HOST_BIN=$(realpath "$HOST_BIN")
[ -x "$HOST_BIN" ] || { say "no host at $HOST_BIN"; exit 1; }

mkdir -p "$DEMO"
server_pid=""
browser_pid=""
cleanup() {
  local rc=$?
  if [ -n "$browser_pid" ] && kill -0 "$browser_pid" 2>/dev/null; then
    kill "$browser_pid" 2>/dev/null || true
    wait "$browser_pid" 2>/dev/null || true
  fi
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 3. The PassAgent test server: a free port, the real key-derivation parameters, its
# state kept in build/demo/server so later runs start at once.
say "starting the PassAgent test server"
: >"$DEMO/server.out"
node tests/passagent-server/serve.mjs --port 0 --data "$DEMO/server" \
  >"$DEMO/server.out" 2>"$DEMO/server.log" &
server_pid=$!
for _ in $(seq 1 600); do
  [ "$(wc -l <"$DEMO/server.out")" -ge 2 ] && break
  kill -0 "$server_pid" 2>/dev/null || { say "the test server exited:"; cat "$DEMO/server.log" >&2; exit 1; }
  sleep 0.1
done
[ "$(wc -l <"$DEMO/server.out")" -ge 2 ] || { say "the test server did not start within 60 s"; exit 1; }
server=$(sed -n '1s/^listening on //p' "$DEMO/server.out")
sed -n '2p' "$DEMO/server.out" >"$DEMO/account.json"
chmod 600 "$DEMO/account.json"
field() { node -e 'const a=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write(String(a[process.argv[2]]))' "$DEMO/account.json" "$1"; }
email=$(field email)
password=$(field password)
master=$(field masterPassword)
anon_key=$(field anonKey)
say "server $server (demo account $email)"

# 4. A fresh Chromium profile with the host registered in it, and the host's config.
profile="$DEMO/chromium-profile"
rm -rf "$profile"
mkdir -p "$profile/NativeMessagingHosts"
cat >"$profile/NativeMessagingHosts/ai.passagent.host.json" <<EOF
{
  "name": "ai.passagent.host",
  "description": "PassAgent native host (demo)",
  "path": "$HOST_BIN",
  "type": "stdio",
  "allowed_origins": ["chrome-extension://$EXTENSION_ID/"]
}
EOF
rm -rf "$DEMO/host-state"
cat >"$DEMO/host-config.json" <<EOF
{
  "allowedOrigins": ["chrome-extension://$EXTENSION_ID/"],
  "allowedExtensions": ["$GECKO_ID"],
  "server": "$server",
  "anonKey": "$anon_key",
  "autoLockMinutes": 15,
  "stateDir": "$DEMO/host-state"
}
EOF
export PASSAGENT_HOST_CONFIG="$DEMO/host-config.json"
rm -f "$DEMO"/demo-*.png

if [ "$headless" -eq 0 ]; then
  # 5. A window for the person.
  cat <<EOF

  ================================================================
   PassAgent demo: Chromium opens on the demo login page.

   1. Click the PassAgent icon in the toolbar (under the puzzle
      piece if it is not pinned) and sign in with:
        Server           $server
        Email            $email
        Password         $password
   2. Unlock with the master password:
        $master
   3. Back on the page, click the Username field and pick
      "Demo login (demo-user)" from the PassAgent list, then
      Sign in: the page says "Signed in as demo-user".
      Also try $server/demo/identifier-first
      and $server/demo/otp (the one-time code).

   Close Chromium to stop the demo (the server stops with it).
   Logs: build/demo/chromium.log, build/demo/server.log
  ================================================================

EOF
  sandbox=()
  [ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox) # Chromium refuses to run as root with its sandbox.
  "$CHROMIUM_BIN" "${sandbox[@]}" --user-data-dir="$profile" --no-first-run --no-default-browser-check \
    --disable-background-networking --disable-component-update --disable-sync \
    --load-extension="$ROOT/extension" --disable-extensions-except="$ROOT/extension" \
    "$server/demo/login" >"$DEMO/chromium.log" 2>&1 &
  browser_pid=$!
  wait "$browser_pid" || true
  browser_pid=""
  say "Chromium closed; stopping the server ($((SECONDS - start)) s in all)"
  exit 0
fi

# 6. Headless: the Node driver fills the demo form through the extension.
say "no display: running the demo headless"
driver_start=$SECONDS
status=0
node scripts/demo/run-demo.mjs --server "$server" --account "$DEMO/account.json" \
  --profile "$profile" --out "$DEMO" || status=$?
say "headless run $((SECONDS - driver_start)) s, everything $((SECONDS - start)) s"
exit "$status"
