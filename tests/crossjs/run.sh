#!/bin/sh
# SPDX-License-Identifier: MIT
# The cross-test ctest: JS makes cases, C++ opens them and seals its own, JS opens those.
#   tests/crossjs/run.sh <path to unit_tests>
# Needs node and this folder's node_modules (`npm ci` here first). PAH_CROSSJS_SEED
# repeats a run; PAH_CROSSJS_COUNT changes the cases per recipe (default 200).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
unit_tests=${1:?usage: run.sh <unit_tests binary>}

if ! command -v node >/dev/null 2>&1; then
    echo "crossjs: node is not installed; the cross-tests need Node.js 20+" >&2
    exit 1
fi
for pkg in sjcl crypto-js base32 otpauth hash-wasm; do
    if [ ! -d "$here/node_modules/$pkg" ]; then
        echo "crossjs: $here/node_modules/$pkg is missing: run \`npm ci\` in tests/crossjs first" >&2
        exit 1
    fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/pah-crossjs.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

seed_args=""
if [ -n "${PAH_CROSSJS_SEED:-}" ]; then
    seed_args="--seed $PAH_CROSSJS_SEED"
fi
# shellcheck disable=SC2086
node "$here/gen.mjs" "$work" $seed_args --count "${PAH_CROSSJS_COUNT:-200}"
PAH_CROSSJS_DIR="$work" "$unit_tests" "[crossjs]" --order decl
node "$here/check.mjs" "$work"
