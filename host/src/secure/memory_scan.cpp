// SPDX-License-Identifier: MIT
#include "secure/memory_scan.hpp"

#if PAH_TEST_HOOKS

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <sodium.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#endif

namespace pah {

namespace {

// Under ASan with PASSAGENT_HOST_DESCRIBE_HITS=<n> in the environment: where the block
// holding a copy of needle n (0-based) outside locked memory was allocated (and freed, if
// it was), on stderr, to find the code that left it (tests/integration/memory_test.cpp).
void describe_hit([[maybe_unused]] std::size_t needle, [[maybe_unused]] std::uintptr_t address) {
#if defined(__SANITIZE_ADDRESS__)
    static const long wanted = [] {
        const char* env =
            std::getenv("PASSAGENT_HOST_DESCRIBE_HITS");  // NOLINT(concurrency-mt-unsafe): read once
        return env == nullptr ? -1L : std::strtol(env, nullptr, 10);
    }();
    if (wanted >= 0 && static_cast<std::size_t>(wanted) == needle) {
        __asan_describe_address(reinterpret_cast<void*>(address));  // NOLINT(performance-no-int-to-ptr)
    }
#endif
}

struct Region {
    std::uintptr_t begin = 0;
    std::uintptr_t end = 0;
};

// The readable mappings, from /proc/self/maps; the kernel's [vvar]/[vsyscall] pages and
// device mappings are left out.
std::vector<Region> readable_regions() {
    std::vector<Region> out;
    std::FILE* maps = std::fopen("/proc/self/maps", "re");
    if (maps == nullptr) {
        return out;
    }
    char line[4096];
    while (std::fgets(line, sizeof line, maps) != nullptr) {
        unsigned long begin = 0;
        unsigned long end = 0;
        char perms[8] = {};
        int path_at = 0;
        // NOLINTNEXTLINE(cert-err34-c): the kernel writes these numbers
        if (std::sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &begin, &end, perms, &path_at) < 3 ||
            perms[0] != 'r') {
            continue;
        }
        const std::string_view path(line + path_at);
        // Over 1 GiB is no heap or stack of the host's but a sanitizer's shadow memory
        // (terabytes reserved, read as zeroes).
        constexpr unsigned long kLargest = 1UL << 30U;
        if (path.starts_with("[vvar") || path.starts_with("[vsyscall") || path.starts_with("/dev/") ||
            end - begin > kLargest) {
            continue;
        }
        out.push_back({begin, end});
    }
    (void)std::fclose(maps);  // read only: nothing is lost
    return out;
}

}  // namespace

bool test_hooks_built() noexcept { return true; }

std::vector<MemoryScanCount> scan_own_memory(std::span<const SecretBuffer> needles) {
    std::vector<MemoryScanCount> counts(needles.size());
    std::size_t longest = 1;
    for (const auto& needle : needles) {
        longest = std::max(longest, needle.size());
    }
    const int mem = ::open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    if (mem < 0) {
        return counts;
    }
    // The window is a private mapping, left out of the scan and wiped after it.
    constexpr std::size_t kWindow = std::size_t{1} << 20;
    const std::size_t window_size = kWindow + longest;
    void* mapped = ::mmap(nullptr, window_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) {
        ::close(mem);
        return counts;
    }
    auto* window = static_cast<std::uint8_t*>(mapped);
    const auto window_begin = reinterpret_cast<std::uintptr_t>(window);
    const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
    const auto own_buffer = [&](std::uintptr_t at) {
        return std::ranges::any_of(needles, [at](const SecretBuffer& n) {
            const auto begin = reinterpret_cast<std::uintptr_t>(n.data());
            return at >= begin && at < begin + n.size();
        });
    };
    for (const Region& region : readable_regions()) {
        if (region.begin < window_begin + window_size && window_begin < region.end) {
            continue;
        }
        for (std::uintptr_t at = region.begin; at < region.end;) {
            const std::size_t want = std::min<std::uintptr_t>(window_size, region.end - at);
            const ssize_t got = ::pread(mem, window, want, static_cast<off_t>(at));
            if (got <= 0) {
                at = (at + page) & ~(page - 1);  // an unreadable page: skip it
                continue;
            }
            const auto size = static_cast<std::size_t>(got);
            for (std::size_t n = 0; n < needles.size(); ++n) {
                const std::size_t len = needles[n].size();
                if (len == 0 || len > size) {
                    continue;
                }
                // A match starting in the last longest-1 bytes is found by the next read.
                const std::size_t last_start =
                    size == want && at + size < region.end ? size - longest : size - len;
                for (std::size_t i = 0; i <= last_start; ++i) {
                    const void* hit = std::memchr(window + i, needles[n].data()[0], last_start - i + 1);
                    if (hit == nullptr) {
                        break;
                    }
                    i = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - window);
                    if (std::memcmp(window + i, needles[n].data(), len) == 0) {
                        const std::uintptr_t address = at + i;
                        if (!own_buffer(address)) {
                            ++counts[n].total;
                            if (in_secret_buffer(address)) {
                                ++counts[n].locked;
                            } else {
                                describe_hit(n, address);
                            }
                        }
                    }
                }
            }
            const bool more = size == want && at + size < region.end;
            at += more ? size - (longest - 1) : size;
        }
    }
    sodium_memzero(window, window_size);
    ::munmap(mapped, window_size);
    ::close(mem);
    return counts;
}

}  // namespace pah

#else

namespace pah {

bool test_hooks_built() noexcept { return false; }

std::vector<MemoryScanCount> scan_own_memory(std::span<const SecretBuffer> /*needles*/) { return {}; }

bool in_secret_buffer(std::uintptr_t /*address*/) noexcept { return false; }

}  // namespace pah

#endif
