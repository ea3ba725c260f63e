#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs clang-tidy (19, Debian clang-tidy-19) with the project's .clang-tidy over the
# host's C++ sources: those a change touches (base: $1, else the merge-base with main),
# every one with --all, or the .cpp files named (check-tidy.sh host/src/x/y.cpp ...).
# Needs a configured build's compile_commands.json: build/dev, or the one $TIDY_BUILD names
# (scripts/test.sh passes build/release).
# Exits 1 when clang-tidy warns.
set -uo pipefail
cd "$(dirname "$0")/.."
tidy=$(command -v clang-tidy-19 || true)
[ -n "$tidy" ] || { echo "check-tidy: clang-tidy-19 is missing (apt-get install clang-tidy-19)"; exit 1; }
build=${TIDY_BUILD:-build/dev}
[ -f "$build/compile_commands.json" ] || { echo "check-tidy: configure first: cmake --preset dev"; exit 1; }
if [ "${1:-}" = "--all" ]; then
  files=$(git ls-files 'host/src/*.cpp')
elif [ -f "${1:-}" ]; then
  files="$*"
else
  base=${1:-$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD~1)}
  # A changed header is checked through the source beside it.
  files=$( (git diff --name-only "$base" -- 'host/src/*.cpp' 'host/src/*.hpp'
            git ls-files --others --exclude-standard 'host/src/*.cpp' 'host/src/*.hpp') | sed 's/\.hpp$/.cpp/' | sort -u)
fi
files=$(for f in $files; do [ -f "$f" ] && echo "$f"; done)
[ -n "$files" ] || { echo "check-tidy: no changed host sources"; exit 0; }
jobs=${JOBS:-$(nproc)}
# -Wno-deprecated-declarations: clang 19 flags get_temporary_buffer inside GCC 12's own
# std::stable_sort; the GCC build still reports our deprecated calls.
out=$(printf '%s\n' $files | xargs -P "$jobs" -n 4 "$tidy" -p "$build" --quiet \
  --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-deprecated-declarations 2>/dev/null | grep -E '^[^ ].*: (warning|error):' | sort -u)
if [ -n "$out" ]; then
  echo "$out"
  echo "check-tidy: $(echo "$out" | wc -l) finding(s) in $(echo "$files" | wc -w) file(s)"
  exit 1
fi
echo "check-tidy: ok ($(echo "$files" | wc -w) file(s))"
