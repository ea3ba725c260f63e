#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Checks that the C++ lines a change touches follow .clang-format (clang-format 14); the
# rest of the tree is left as it is. Base: $1, else the merge-base with main, else HEAD~1.
# Prints the diff that would fix it and exits 1; fix with: git clang-format-14 <base>.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v git-clang-format-14 >/dev/null || { echo "check-format: git-clang-format-14 is missing (apt-get install clang-format-14)"; exit 1; }
base=${1:-$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD~1)}
# The committed change since base plus what is not committed yet.
out=$(git-clang-format-14 --binary clang-format-14 --style file --diff --extensions cpp,hpp,h "$base" -- host tests bench 2>&1)
case "$out" in
  ""|"no modified files to format"|"clang-format did not modify any files") echo "check-format: ok (since $(git rev-parse --short "$base"))"; exit 0 ;;
esac
echo "$out"
echo "check-format: the lines above do not follow .clang-format; run: git clang-format-14 $base"
exit 1
