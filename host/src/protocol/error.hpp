// SPDX-License-Identifier: MIT
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pah {

// The wire error table: append-only. New codes go at the end; a code is never renamed
// or reused. docs/protocol.md lists the same table.
enum class ErrorCode {
    BadFrame,
    BadRequest,
    UnknownAction,
    OriginNotAllowed,
    NotLoggedIn,
    BadCredentials,
    Locked,
    WrongMasterPassword,
    NotFound,
    UrlMismatch,
    NoTotp,
    StepUpRequired,
    RateLimited,
    Forbidden,
    Conflict,
    Gone,
    Validation,
    Network,
    Server,
    TooLarge,
    Unsupported,
    Internal,
    OtpRequired,
    BadFormat,
    WeakKdf,
};

// The stable wire name of a code, e.g. "BAD_FRAME".
std::string_view wire_name(ErrorCode code) noexcept;

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;        // for a person: what happened and what to do
    nlohmann::json extra = {};  // extra wire fields (retryAfter, details, field, ...)

    Error() = default;
    Error(ErrorCode c, std::string msg, nlohmann::json x = {})
        : code(c), message(std::move(msg)), extra(std::move(x)) {}
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorCode code, std::string message, nlohmann::json extra = {}) {
    return std::unexpected<Error>(Error{code, std::move(message), std::move(extra)});
}

// The one place an Error becomes wire JSON: {"code", "message", ...extra}.
nlohmann::json to_wire(const Error& error);

}  // namespace pah
