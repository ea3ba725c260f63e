// SPDX-License-Identifier: MIT
// Every PassAgent reply parser over arbitrary bytes (what a hostile or broken server can
// send): no crash, no exception, and the limits hold.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "backends/passagent/wire.hpp"
#include "fuzz.hpp"

using namespace pah::passagent;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = pah::fuzz::as_text(data, size);
    const std::int64_t now = 1'700'000'000;

    (void)parse_token_reply(body, now);
    (void)jwt_exp(body);
    (void)parse_csrf_reply(body);
    if (const auto salt = parse_salt_reply(body)) {
        if (salt->kdf.memory_kib > 1024U * 1024U || salt->kdf.iterations > 64 || salt->kdf.parallelism > 64 ||
            salt->salt.size() > 64) {
            __builtin_trap();
        }
    }
    (void)parse_keys_reply(body);
    (void)parse_public_key_reply(body);
    if (const auto page = parse_password_page(body, {})) {
        for (const auto& record : page->records) {
            if (!record.is_object() || !record["id"].is_string()) {
                __builtin_trap();
            }
        }
    }
    (void)parse_password_page(body, {.cursor = "c", .page = {}, .limit = 1});
    if (const auto totp = parse_totp_config(body); totp && (totp->digits < 4 || totp->digits > 10 || totp->period < 1)) {
        __builtin_trap();
    }
    (void)parse_totp_code(body);
    (void)parse_shares_list(body);
    (void)parse_share_created(body);
    (void)parse_session_share_created(body);
    (void)parse_session_status_event("status", body);
    (void)parse_twofa_enroll(body);
    (void)parse_twofa_status(body);
    (void)parse_retry_after(body, now);
    (void)decode_base64(body);

    const std::map<std::string, std::string> headers = {{"retry-after", std::string(body.substr(0, 64))},
                                                        {"x-reauth-max-age", std::string(body.substr(0, 16))}};
    for (const long status : {400L, 401L, 403L, 429L, 503L}) {
        for (const Endpoint endpoint : {Endpoint::Api, Endpoint::PasswordGrant, Endpoint::RefreshGrant}) {
            const pah::Error e = map_error(endpoint, status, body, headers, now);
            if (e.message.empty()) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
