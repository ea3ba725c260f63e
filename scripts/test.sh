#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sets up and runs every test: the C++ unit, integration and fuzz-corpus tests (dev build
# with warnings as errors, then again under ASan+UBSan), the crypto cross-tests against
# the real JavaScript libraries, the test servers' own tests (PassAgent, Passman, Passwork), the extension's
# unit tests, the real-browser end-to-end tests, and the Debian package test.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}

bash scripts/setup.sh || { echo "setup failed"; exit 1; }

passed=0
failed=0
failures=()
stage() {
  local name=$1
  shift
  echo
  echo "=== $name"
  local start=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: passed ($((SECONDS - start)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
  fi
}

build() {
  local preset=$1
  shift
  cmake --preset "$preset" "$@" >/dev/null && cmake --build --preset "$preset" -j "$JOBS"
}

# The optimised build is the one the tests, the browsers and the .deb all use: one
# build instead of a Debug build plus a Release build for the package (the Debug
# preset is for working on the code; CI's 2 cores spend their time better elsewhere).
# Its prefix is the package's, so installer/test-deb.sh packages this very build.
export PAH_HOST_BIN="$ROOT/build/release/host/passagent-host"
export PASSAGENT_HOST_BIN="$PAH_HOST_BIN"

stage "format (lines changed since main, clang-format 14)" bash scripts/check-format.sh
stage "build (release: -O2, -Werror, with tests and benchmarks)" build release -DCMAKE_INSTALL_PREFIX=/usr
# After the build: clang-tidy reads its compile_commands.json. Only the changed sources:
# all of host/src costs about 30 CPU-minutes, too much for CI's 2 cores.
stage "clang-tidy (host sources changed since main, clang-tidy 19)" \
  env TIDY_BUILD=build/release JOBS="$JOBS" bash scripts/check-tidy.sh
stage "ctest (release: unit, integration, fuzz corpora, cross-tests)" \
  ctest --preset release -j "$JOBS" --output-on-failure
stage "build (asan: ASan+UBSan, -Werror)" build asan
stage "ctest (asan)" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset asan -j "$JOBS" --output-on-failure
stage "PassAgent test server (node --test)" bash -c "cd tests/passagent-server && npm test"
stage "Passman test server (node --test)" bash -c "cd tests/passman-server && npm test"
stage "Passwork test server (node --test)" bash -c "cd tests/passwork-server && npm test"
if [ -f extension/package.json ]; then
  stage "extension unit tests (node --test)" bash -c "cd extension && npm test"
  if grep -q '"test:e2e"' extension/package.json; then
    stage "extension end-to-end (headless Chromium and Firefox)" bash -c "cd extension && npm run test:e2e"
  fi
fi
if [ -x installer/test-deb.sh ]; then
  stage "Debian package (cpack, dpkg -i, doctor, Chromium reaches the installed host, dpkg -r)" installer/test-deb.sh "$ROOT/build/release"
fi

echo
if [ "$failed" -gt 0 ]; then
  echo "failed stages: ${failures[*]}"
fi
echo "stages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
