// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <type_traits>

#include "secure/secret_buffer.hpp"

using namespace pah;

TEST_CASE("a new secret buffer is zeroed and has the asked size", "[secure]") {
    SecretBuffer buffer(64);
    REQUIRE(buffer.size() == 64);
    for (auto byte : buffer.span()) {
        REQUIRE(byte == 0);
    }
}

TEST_CASE("a secret buffer moves but never copies", "[secure]") {
    STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<SecretBuffer>);
    STATIC_REQUIRE_FALSE(std::is_copy_assignable_v<SecretBuffer>);
    SecretBuffer a = SecretBuffer::copy_of("key material");
    const std::uint8_t* where = a.data();
    SecretBuffer b = std::move(a);
    REQUIRE(b.data() == where);
    REQUIRE(b.view() == "key material");
    REQUIRE(a.empty());  // NOLINT(bugprone-use-after-move): moved-from is specified empty
    REQUIRE(a.data() == nullptr);
}

TEST_CASE("truncate shortens a buffer and wipes the tail", "[secure]") {
    SecretBuffer buffer = SecretBuffer::copy_of("plaintext+padding");
    buffer.truncate(9);
    REQUIRE(buffer.view() == "plaintext");
    REQUIRE(buffer.data()[9] == 0);
    buffer.truncate(100);
    REQUIRE(buffer.size() == 9);
}

TEST_CASE("equals compares contents in constant time and by length", "[secure]") {
    SecretBuffer buffer = SecretBuffer::copy_of("abc");
    const std::uint8_t same[] = {'a', 'b', 'c'};
    const std::uint8_t other[] = {'a', 'b', 'd'};
    REQUIRE(buffer.equals(same));
    REQUIRE_FALSE(buffer.equals(other));
    REQUIRE_FALSE(buffer.equals(std::span<const std::uint8_t>(same, 2)));
}

TEST_CASE("reset frees the memory and leaves an empty buffer", "[secure]") {
    SecretBuffer buffer(32);
    buffer.reset();
    REQUIRE(buffer.empty());
    REQUIRE(buffer.data() == nullptr);
    SecretBuffer empty(0);
    REQUIRE(empty.size() == 0);
    REQUIRE(empty.data() != nullptr);
}
