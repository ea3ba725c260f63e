// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace pah {

// WARNING: the only place a key or a decrypted secret may live. Memory comes from
// sodium_malloc (guard pages, mlock'ed, MADV_DONTDUMP) and is wiped when the buffer is
// released. Move-only; a moved-from buffer is empty. Never copy its bytes into a
// std::string that outlives the call that needs them.
class SecretBuffer {
public:
    SecretBuffer() noexcept = default;
    // Allocates `size` zeroed bytes. Throws std::bad_alloc when memory is exhausted.
    explicit SecretBuffer(std::size_t size);
    // Copies `bytes` into a new buffer (the source stays the caller's to wipe).
    static SecretBuffer copy_of(std::span<const std::uint8_t> bytes);
    static SecretBuffer copy_of(std::string_view text);

    SecretBuffer(SecretBuffer&& other) noexcept;
    SecretBuffer& operator=(SecretBuffer&& other) noexcept;
    SecretBuffer(const SecretBuffer&) = delete;
    SecretBuffer& operator=(const SecretBuffer&) = delete;
    ~SecretBuffer();

    [[nodiscard]] std::uint8_t* data() noexcept { return data_; }
    [[nodiscard]] const std::uint8_t* data() const noexcept { return data_; }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
    [[nodiscard]] std::span<std::uint8_t> span() noexcept { return {data_, size_}; }
    [[nodiscard]] std::span<const std::uint8_t> span() const noexcept { return {data_, size_}; }
    [[nodiscard]] std::string_view view() const noexcept {
        return {reinterpret_cast<const char*>(data_), size_};
    }

    // Shortens the visible size (e.g. to the real plaintext length); the tail is wiped.
    void truncate(std::size_t new_size) noexcept;
    // Wipes and frees now.
    void reset() noexcept;
    // Constant-time comparison.
    [[nodiscard]] bool equals(std::span<const std::uint8_t> other) const noexcept;

private:
    std::uint8_t* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t capacity_ = 0;
};

}  // namespace pah
