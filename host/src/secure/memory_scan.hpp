// SPDX-License-Identifier: MIT
#pragma once

// TEST BUILDS ONLY (CMake option PAH_TEST_HOOKS, on in the dev and asan presets, off in
// release): counts the copies of given byte strings in this process's own memory, to
// prove that no secret is left after lock (tests/integration/memory_test.cpp). A process
// may read its own /proc/self/mem although it is not dumpable, so the hardening stays on.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "secure/secret_buffer.hpp"

namespace pah {

// Whether this build has the test hooks (the scan, the SecretBuffer registry).
bool test_hooks_built() noexcept;

struct MemoryScanCount {
    std::size_t total = 0;   // copies in readable memory (the needles' own buffers left out)
    std::size_t locked = 0;  // of those, inside a live SecretBuffer
};

// Every readable mapping of this process up to 1 GiB (larger ones are a sanitizer's
// shadow), read through /proc/self/mem (an unreadable page is skipped, never a fault).
// Empty when the hooks are not built.
std::vector<MemoryScanCount> scan_own_memory(std::span<const SecretBuffer> needles);

// Whether `address` lies in a live SecretBuffer (false without the hooks).
bool in_secret_buffer(std::uintptr_t address) noexcept;

}  // namespace pah
