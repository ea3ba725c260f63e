#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs clang-tidy (19, Debian clang-tidy-19) with the project's .clang-tidy over the
# host's C++ sources: those a change touches (base: $1, else the merge-base with main),
# or every one with --all. Needs a configured dev build (compile_commands.json).
# Exits 1 when clang-tidy warns.
set -uo pipefail
cd "$(dirname "$0")/.."
tidy=$(command -v clang-tidy-19 || true)
[ -n "$tidy" ] || { echo "check-tidy: clang-tidy-19 is missing (apt-get install clang-tidy-19)"; exit 1; }
[ -f build/dev/compile_commands.json ] || { echo "check-tidy: configure first: cmake --preset dev"; exit 1; }
if [ "${1:-}" = "--all" ]; then
  files=$(git ls-files 'host/src/*.cpp')
else
  base=${1:-$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD~1)}
  files=$( (git diff --name-only "$base" -- 'host/src/*.cpp'; git ls-files --others --exclude-standard 'host/src/*.cpp') | sort -u)
fi
files=$(for f in $files; do [ -f "$f" ] && echo "$f"; done)
[ -n "$files" ] || { echo "check-tidy: no changed host sources"; exit 0; }
jobs=${JOBS:-$(nproc)}
# -Wno-deprecated-declarations: clang 19 flags get_temporary_buffer inside GCC 12's own
# std::stable_sort; the GCC build still reports our deprecated calls.
out=$(printf '%s\n' $files | xargs -P "$jobs" -n 4 "$tidy" -p build/dev --quiet \
  --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-deprecated-declarations 2>/dev/null | grep -E '^[^ ].*: (warning|error):' | sort -u)
if [ -n "$out" ]; then
  echo "$out"
  echo "check-tidy: $(echo "$out" | wc -l) finding(s) in $(echo "$files" | wc -w) file(s)"
  exit 1
fi
echo "check-tidy: ok ($(echo "$files" | wc -w) file(s))"
