#!/usr/bin/env bash
# Runs the demo N times in a row (default 10), each from a fresh clone of this
# repository's HEAD in a new temporary directory, headless, and prints one line per run.
# It is how the demo's "first time, every time" is checked: any run that fails makes the
# script exit 1 and keeps that clone's log.
#   bash scripts/demo-repeat.sh [N]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
case "$runs" in '' | *[!0-9]*) echo "demo-repeat: N must be a number" >&2; exit 2 ;; esac
work=$(mktemp -d)
failed=0
for n in $(seq 1 "$runs"); do
  clone="$work/run-$n"
  git clone -q "$(pwd)" "$clone"
  start=$SECONDS
  (cd "$clone" && env -u DISPLAY -u WAYLAND_DISPLAY bash scripts/demo.sh --headless) >"$work/run-$n.log" 2>&1
  rc=$?
  echo "demo-repeat: run $n of $runs: $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc, log $work/run-$n.log)") in $((SECONDS - start)) s"
  if [ "$rc" -eq 0 ]; then rm -rf "$clone" "$work/run-$n.log"; else failed=$((failed + 1)); fi
done
echo "demo-repeat: $((runs - failed)) of $runs passed"
[ "$failed" -eq 0 ] && rm -rf "$work"
[ "$failed" -eq 0 ]
