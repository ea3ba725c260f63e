// SPDX-License-Identifier: MIT
#include "crypto/crypto_error.hpp"

namespace pah {

std::string_view crypto_errc_name(CryptoErrc code) noexcept {
    switch (code) {
    case CryptoErrc::BadFormat:
        return "BAD_FORMAT";
    case CryptoErrc::WrongKey:
        return "WRONG_KEY";
    case CryptoErrc::Tampered:
        return "TAMPERED";
    case CryptoErrc::Unsupported:
        return "UNSUPPORTED";
    case CryptoErrc::Internal:
        return "INTERNAL";
    }
    return "INTERNAL";
}

Error to_error(const CryptoError& error) {
    switch (error.code) {
    case CryptoErrc::BadFormat:
        return Error(ErrorCode::BadFormat, "malformed encrypted data: " + error.detail);
    case CryptoErrc::WrongKey:
        return Error(ErrorCode::BadFormat,
                     "the data does not decrypt with this key (wrong key?): " + error.detail);
    case CryptoErrc::Tampered:
        return Error(ErrorCode::BadFormat,
                     "the data failed its integrity check (wrong key or damaged data): " +
                         error.detail);
    case CryptoErrc::Unsupported:
        return Error(ErrorCode::Unsupported, "unsupported crypto parameters: " + error.detail);
    case CryptoErrc::Internal:
        break;
    }
    return Error(ErrorCode::Internal, "crypto library failure: " + error.detail);
}

}  // namespace pah
