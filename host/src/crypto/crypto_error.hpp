// SPDX-License-Identifier: MIT
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace pah {

// What a crypto primitive can say about its input. Backends decide what a failure
// means to the user (e.g. a tag failure on the vault verifier is a wrong master
// password, on one item it is a damaged item).
enum class CryptoErrc {
    BadFormat,    // the input is not what the recipe expects (encoding, sizes, params)
    WrongKey,     // it decrypted, but the result cannot be right (padding, UTF-8, OAEP)
    Tampered,     // the authentication tag does not match (wrong key or changed data)
    Unsupported,  // well-formed, but parameters this host refuses (e.g. silly KDF costs)
    Internal,     // the library failed (allocation, OpenSSL error)
};

// WARNING: `detail` is shown to people and logged; never put secret bytes in it.
struct CryptoError {
    CryptoErrc code = CryptoErrc::Internal;
    std::string detail;
};

template <class T>
using CryptoResult = std::expected<T, CryptoError>;

inline std::unexpected<CryptoError> crypto_fail(CryptoErrc code, std::string detail) {
    return std::unexpected<CryptoError>(CryptoError{code, std::move(detail)});
}

// "BAD_FORMAT", "WRONG_KEY", "TAMPERED", "UNSUPPORTED", "INTERNAL".
std::string_view crypto_errc_name(CryptoErrc code) noexcept;

// BadFormat, WrongKey, Tampered -> ErrorCode::BadFormat (the message says which);
// Unsupported -> ErrorCode::Unsupported; Internal -> ErrorCode::Internal.
Error to_error(const CryptoError& error);

}  // namespace pah
