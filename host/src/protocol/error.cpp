// SPDX-License-Identifier: MIT
#include "protocol/error.hpp"

namespace pah {

std::string_view wire_name(ErrorCode code) noexcept {
    switch (code) {
        case ErrorCode::BadFrame: return "BAD_FRAME";
        case ErrorCode::BadRequest: return "BAD_REQUEST";
        case ErrorCode::UnknownAction: return "UNKNOWN_ACTION";
        case ErrorCode::OriginNotAllowed: return "ORIGIN_NOT_ALLOWED";
        case ErrorCode::NotLoggedIn: return "NOT_LOGGED_IN";
        case ErrorCode::BadCredentials: return "BAD_CREDENTIALS";
        case ErrorCode::Locked: return "LOCKED";
        case ErrorCode::WrongMasterPassword: return "WRONG_MASTER_PASSWORD";
        case ErrorCode::NotFound: return "NOT_FOUND";
        case ErrorCode::UrlMismatch: return "URL_MISMATCH";
        case ErrorCode::NoTotp: return "NO_TOTP";
        case ErrorCode::StepUpRequired: return "STEP_UP_REQUIRED";
        case ErrorCode::RateLimited: return "RATE_LIMITED";
        case ErrorCode::Forbidden: return "FORBIDDEN";
        case ErrorCode::Conflict: return "CONFLICT";
        case ErrorCode::Gone: return "GONE";
        case ErrorCode::Validation: return "VALIDATION";
        case ErrorCode::Network: return "NETWORK";
        case ErrorCode::Server: return "SERVER";
        case ErrorCode::TooLarge: return "TOO_LARGE";
        case ErrorCode::Unsupported: return "UNSUPPORTED";
        case ErrorCode::Internal: return "INTERNAL";
        case ErrorCode::OtpRequired: return "OTP_REQUIRED";
        case ErrorCode::BadFormat: return "BAD_FORMAT";
        case ErrorCode::WeakKdf: return "WEAK_KDF";
    }
    return "INTERNAL";
}

nlohmann::json to_wire(const Error& error) {
    nlohmann::json out = nlohmann::json::object();
    if (error.extra.is_object()) {
        for (const auto& [key, value] : error.extra.items()) {
            out[key] = value;
        }
    }
    out["code"] = wire_name(error.code);
    out["message"] = error.message;
    return out;
}

}  // namespace pah
