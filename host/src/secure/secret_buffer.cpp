// SPDX-License-Identifier: MIT
#include "secure/secret_buffer.hpp"

#include <sys/mman.h>

#include <atomic>
#include <new>
#include <utility>

#include <sodium.h>

#include "log/log.hpp"

#if PAH_TEST_HOOKS
#include <map>
#include <mutex>

#include "secure/memory_scan.hpp"
#endif

namespace pah {

namespace {

#if PAH_TEST_HOOKS
// Test builds: the live buffers, so that a memory scan can tell locked copies apart.
std::mutex g_registry_mutex;
std::map<std::uintptr_t, std::size_t>& registry() {
    static auto* live = new std::map<std::uintptr_t, std::size_t>();  // never destroyed: used at exit
    return *live;
}
void register_buffer(const void* ptr, std::size_t size) {
    const std::scoped_lock lock(g_registry_mutex);
    registry()[reinterpret_cast<std::uintptr_t>(ptr)] = size;
}
void unregister_buffer(const void* ptr) {
    const std::scoped_lock lock(g_registry_mutex);
    registry().erase(reinterpret_cast<std::uintptr_t>(ptr));
}
#else
void register_buffer(const void* /*ptr*/, std::size_t /*size*/) {}
void unregister_buffer(const void* /*ptr*/) {}
#endif

std::atomic<bool> g_lock_warned{false};

// sodium_malloc ignores an mlock failure; ask again so that a refusal is seen and
// reported once (RLIMIT_MEMLOCK can be small). The memory stays usable either way.
void check_locked(void* ptr, std::size_t size) {
    if (size == 0) {
        return;
    }
    if (::mlock(ptr, size) != 0 && !g_lock_warned.exchange(true)) {
        log::warn("secure", "could not lock secret memory (RLIMIT_MEMLOCK too small?); "
                            "secrets may be swapped to disk");
    }
}

}  // namespace

SecretBuffer::SecretBuffer(std::size_t size) {
    // sodium_malloc aborts before sodium_init; main() calls it, and so does the first
    // buffer of any other program (tests, fuzz targets). Idempotent and thread-safe.
    static const bool sodium_ready = sodium_init() >= 0;
    if (!sodium_ready) {
        throw std::bad_alloc();
    }
    // sodium_malloc(0) would still cost guard pages; keep a 1-byte allocation so that
    // data() is never null for an allocated buffer.
    capacity_ = size == 0 ? 1 : size;
    void* ptr = sodium_malloc(capacity_);
    if (ptr == nullptr) {
        capacity_ = 0;
        throw std::bad_alloc();
    }
    sodium_memzero(ptr, capacity_);
    check_locked(ptr, capacity_);
    data_ = static_cast<std::uint8_t*>(ptr);
    size_ = size;
    register_buffer(ptr, capacity_);
}

SecretBuffer SecretBuffer::copy_of(std::span<const std::uint8_t> bytes) {
    SecretBuffer out(bytes.size());
    if (!bytes.empty()) {
        std::copy(bytes.begin(), bytes.end(), out.data_);
    }
    return out;
}

SecretBuffer SecretBuffer::copy_of(std::string_view text) {
    return copy_of(std::span<const std::uint8_t>(
        reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept {
    if (this != &other) {
        reset();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

SecretBuffer::~SecretBuffer() { reset(); }

void SecretBuffer::truncate(std::size_t new_size) noexcept {
    if (new_size < size_) {
        sodium_memzero(data_ + new_size, size_ - new_size);
        size_ = new_size;
    }
}

void SecretBuffer::reset() noexcept {
    if (data_ != nullptr) {
        // sodium_free wipes before it unmaps.
        unregister_buffer(data_);
        sodium_free(data_);
        data_ = nullptr;
    }
    size_ = 0;
    capacity_ = 0;
}

bool SecretBuffer::equals(std::span<const std::uint8_t> other) const noexcept {
    if (other.size() != size_) {
        return false;
    }
    if (size_ == 0) {
        return true;
    }
    return sodium_memcmp(data_, other.data(), size_) == 0;
}

#if PAH_TEST_HOOKS
bool in_secret_buffer(std::uintptr_t at) noexcept {
    const std::scoped_lock lock(g_registry_mutex);
    const auto& live = registry();
    auto it = live.upper_bound(at);
    if (it == live.begin()) {
        return false;
    }
    --it;
    return at < it->first + it->second;
}
#endif

}  // namespace pah
