// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"
#include "totp/totp.hpp"

namespace pah {

// A TOTP secret and its parameters, from an otpauth:// URI or a bare base32 secret.
struct OtpAuth {
    SecretBuffer key;      // the decoded secret (never empty)
    TotpParams params;
    std::string issuer;    // the issuer parameter, else the label's prefix, else ""
    std::string account;   // the label without its issuer prefix
};

// Parses `otpauth://totp/[Issuer:]account?secret=...&issuer=...&algorithm=SHA1|SHA256|SHA512
// &digits=6..8&period=N` (percent-encoding decoded, scheme and host in any case).
// HOTP URIs are refused (this host shows time-based codes only). Errors are
// ErrorCode::BadFormat with a message that says what is wrong; never a secret in it.
Result<OtpAuth> parse_otpauth(std::string_view uri);

// Either an otpauth:// URI or a bare RFC 4648 base32 secret (spaces, dashes, any case,
// padding optional) with the defaults SHA1 / 6 digits / 30 s.
Result<OtpAuth> parse_totp_input(std::string_view text);

}  // namespace pah
