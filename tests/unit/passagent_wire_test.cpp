// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <string>

#include <sodium.h>

#include "backends/passagent/wire.hpp"

using nlohmann::json;
using pah::ErrorCode;
using namespace pah::passagent;

namespace {

std::string b64(std::string_view bytes, int variant) {
    std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      variant);
    out.resize(out.find('\0'));
    return out;
}
std::string b64url(std::string_view bytes) { return b64(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }
std::string b64std(std::string_view bytes) { return b64(bytes, sodium_base64_VARIANT_ORIGINAL); }

std::string jwt(const json& payload) {
    return b64url(R"({"alg":"HS256","typ":"JWT"})") + "." + b64url(payload.dump()) + "." + b64url("signature");
}

json box_json() { return {{"iv", b64std(std::string(12, 'i'))}, {"ciphertext", b64std(std::string(40, 'c'))}}; }

pah::Error api_error(long status, const json& body, HeaderMap headers = {}) {
    return map_error(Endpoint::Api, status, body.dump(), headers, 1'700'000'000);
}

}  // namespace

// ---------------------------------------------------------------- URLs

TEST_CASE("endpoints accept the server with or without /api and trailing slashes", "[passagent][wire]") {
    for (const char* server : {"https://passagent.ai", "https://passagent.ai/", "https://passagent.ai/api",
                               "https://passagent.ai/api/"}) {
        const auto e = make_endpoints(server);
        REQUIRE(e.has_value());
        CHECK(e->api_base == "https://passagent.ai/api");
        CHECK(e->auth_base == "https://passagent.ai/auth/v1");
    }
}

TEST_CASE("the auth URL defaults to the server origin and may be elsewhere", "[passagent][wire]") {
    const auto local = make_endpoints("http://localhost:3000/api");
    const auto split = make_endpoints("https://passagent.ai", "https://abc.supabase.co/auth/v1/");

    REQUIRE(local.has_value());
    CHECK(local->api_base == "http://localhost:3000/api");
    CHECK(local->auth_base == "http://localhost:3000/auth/v1");
    REQUIRE(split.has_value());
    CHECK(split->auth_base == "https://abc.supabase.co/auth/v1");
    CHECK(token_url(*split, "password") == "https://abc.supabase.co/auth/v1/token?grant_type=password");
    CHECK(logout_url(*split) == "https://abc.supabase.co/auth/v1/logout");
    CHECK(api_url(*split, "/vault/salt") == "https://passagent.ai/api/vault/salt");
}

TEST_CASE("endpoints refuse plain http to a remote host, for the server and the auth URL", "[passagent][wire]") {
    CHECK(make_endpoints("http://127.0.0.1:8080").has_value());
    CHECK(make_endpoints("http://[::1]:8080").has_value());
    CHECK_FALSE(make_endpoints("http://passagent.ai").has_value());
    CHECK_FALSE(make_endpoints("https://passagent.ai", "http://auth.example.com").has_value());
    CHECK_FALSE(make_endpoints("https://passagent.ai/api?x=1").has_value());
    CHECK_FALSE(make_endpoints("").has_value());
}

TEST_CASE("ids become one inert path segment", "[passagent][wire]") {
    CHECK(segment("pwd_123") == "pwd_123");
    CHECK(segment("../../auth/v1/logout") == "..%2F..%2Fauth%2Fv1%2Flogout");
}

TEST_CASE("request bodies are valid JSON whatever the password holds", "[passagent][wire]") {
    const std::string password = "p\"w\\d\n\x01\xC3\xA9";

    const pah::SecretBuffer locked = password_grant_body("a@b.c", password);
    const json body = json::parse(locked.view());
    const json refresh = json::parse(refresh_grant_body("r-token"));

    CHECK(body["email"] == "a@b.c");
    CHECK(body["password"] == password);
    CHECK(refresh["refresh_token"] == "r-token");
}

// ---------------------------------------------------------------- tokens

TEST_CASE("jwt_exp reads exp from the base64url payload", "[passagent][wire]") {
    CHECK(jwt_exp(jwt({{"exp", 1'900'000'000}, {"sub", "u"}})) == 1'900'000'000);
    CHECK(jwt_exp(jwt({{"exp", 1'900'000'000.7}})) == 1'900'000'000);
    CHECK_FALSE(jwt_exp(jwt({{"sub", "u"}})).has_value());
    CHECK_FALSE(jwt_exp(jwt({{"exp", "soon"}})).has_value());
    CHECK_FALSE(jwt_exp("not-a-jwt").has_value());
    CHECK_FALSE(jwt_exp("a.b").has_value());
    CHECK_FALSE(jwt_exp("a.!!!.c").has_value());
    CHECK_FALSE(jwt_exp("a.b.c.d").has_value());
}

TEST_CASE("the token reply gives tokens in secret buffers and exp from the JWT", "[passagent][wire]") {
    const std::string access = jwt({{"exp", 1'700'003'600}, {"aal", "aal1"}});
    const json reply = {{"access_token", access},  {"token_type", "bearer"}, {"expires_in", 3600},
                        {"expires_at", 1},         {"refresh_token", "rt-1"},
                        {"user", {{"id", "u-1"}, {"email", "a@b.c"}, {"factors", json::array()}}}};

    const auto parsed = parse_token_reply(reply.dump(), 1'700'000'000);

    REQUIRE(parsed.has_value());
    CHECK(parsed->access_token.view() == access);
    CHECK(parsed->refresh_token.view() == "rt-1");
    CHECK(parsed->expires_at == 1'700'003'600);
    CHECK(parsed->user_id == "u-1");
    CHECK(parsed->email == "a@b.c");
    CHECK_FALSE(parsed->mfa_pending);
}

TEST_CASE("without a readable JWT exp the token reply falls back to expires_at, then expires_in", "[passagent][wire]") {
    json reply = {{"access_token", "opaque"}, {"refresh_token", "rt"}, {"expires_at", 1'700'000'500}, {"expires_in", 60}};

    CHECK(parse_token_reply(reply.dump(), 1'700'000'000)->expires_at == 1'700'000'500);
    reply.erase("expires_at");
    CHECK(parse_token_reply(reply.dump(), 1'700'000'000)->expires_at == 1'700'000'060);
    reply.erase("expires_in");
    CHECK(parse_token_reply(reply.dump(), 1'700'000'000)->expires_at == 1'700'003'600);
}

TEST_CASE("a verified factor with an aal1 token means the second step is pending", "[passagent][wire]") {
    const json user = {{"id", "u"}, {"factors", json::array({{{"factor_type", "totp"}, {"status", "verified"}}})}};
    const json aal1 = {{"access_token", jwt({{"exp", 2'000'000'000}, {"aal", "aal1"}})}, {"refresh_token", "r"}, {"user", user}};
    const json aal2 = {{"access_token", jwt({{"exp", 2'000'000'000}, {"aal", "aal2"}})}, {"refresh_token", "r"}, {"user", user}};

    CHECK(parse_token_reply(aal1.dump(), 0)->mfa_pending);
    CHECK_FALSE(parse_token_reply(aal2.dump(), 0)->mfa_pending);
}

TEST_CASE("token replies without usable tokens are BAD_FORMAT", "[passagent][wire]") {
    const char* bodies[] = {"", "[]", R"({"refresh_token":"r"})", R"({"access_token":"a"})",
                            R"({"access_token":"a b","refresh_token":"r"})",
                            R"({"access_token":"a\r\nX-Evil: 1","refresh_token":"r"})",
                            R"({"access_token":"a","refresh_token":"r","token_type":"mac"})"};
    for (const char* body : bodies) {
        const auto parsed = parse_token_reply(body, 0);
        REQUIRE_FALSE(parsed.has_value());
        CHECK(parsed.error().code == ErrorCode::BadFormat);
    }
}

// ---------------------------------------------------------------- errors

TEST_CASE("every Supabase sign-in error shape for a wrong password is BAD_CREDENTIALS", "[passagent][wire]") {
    const json shapes[] = {
        {{"error", "invalid_grant"}, {"error_description", "Invalid login credentials"}},
        {{"code", 400}, {"error_code", "invalid_credentials"}, {"msg", "Invalid login credentials"}},
        {{"code", "invalid_credentials"}, {"message", "Invalid login credentials"}},
    };
    for (const auto& body : shapes) {
        const auto e = map_error(Endpoint::PasswordGrant, 400, body.dump(), {}, 0);
        CHECK(e.code == ErrorCode::BadCredentials);
        CHECK(e.extra["httpStatus"] == 400);
    }
}

TEST_CASE("a refused refresh ends the session, saying why when the token was reused", "[passagent][wire]") {
    const auto gone = map_error(Endpoint::RefreshGrant, 400,
                                R"({"error":"invalid_grant","error_description":"Refresh Token Not Found"})", {}, 0);
    const auto reused = map_error(Endpoint::RefreshGrant, 400,
                                  R"({"code":400,"error_code":"refresh_token_already_used","msg":"Already Used"})", {}, 0);

    CHECK(gone.code == ErrorCode::NotLoggedIn);
    CHECK(reused.code == ErrorCode::NotLoggedIn);
    CHECK(reused.message.find("twice") != std::string::npos);
}

TEST_CASE("PassAgent's {error, code, status} envelope maps by status", "[passagent][wire]") {
    CHECK(api_error(401, {{"error", "Invalid or expired token"}, {"code", "UNAUTHORIZED"}, {"status", 401}}).code ==
          ErrorCode::NotLoggedIn);
    CHECK(api_error(403, {{"error", "Invalid CSRF token"}, {"code", "FORBIDDEN"}}).code == ErrorCode::Forbidden);
    CHECK(api_error(404, {{"error", "Password not found"}, {"code", "NOT_FOUND"}}).code == ErrorCode::NotFound);
    CHECK(api_error(409, {{"error", "dup"}, {"code", "CONFLICT"}}).code == ErrorCode::Conflict);
    CHECK(api_error(410, {{"error", "client-side"}, {"code", "GONE"}}).code == ErrorCode::Gone);
    CHECK(api_error(422, {{"error", "revoked"}, {"code", "UNPROCESSABLE"}}).code == ErrorCode::Validation);
    CHECK(api_error(413, {{"error", "big"}}).code == ErrorCode::TooLarge);
    CHECK(api_error(500, {{"error", "boom"}, {"code", "INTERNAL_ERROR"}}).code == ErrorCode::Server);
    CHECK(api_error(503, json()).code == ErrorCode::Server);
    CHECK(api_error(418, json()).code == ErrorCode::BadRequest);

    const auto e = api_error(404, {{"error", "Password not found"}, {"code", "NOT_FOUND"}, {"status", 404}});
    CHECK(e.message == "Password not found");
}

TEST_CASE("a validation error keeps its details as [{field, message}]", "[passagent][wire]") {
    const json body = {{"error", "Validation failed"},
                       {"code", "VALIDATION_ERROR"},
                       {"details", json::array({{{"field", "password"}, {"message", "Too short"}},
                                                {{"path", json::array({"tags", 0})}, {"message", "Expected string"}},
                                                42})}};

    const auto e = api_error(400, body);

    CHECK(e.code == ErrorCode::Validation);
    REQUIRE(e.extra["details"].size() == 2);
    CHECK(e.extra["details"][0] == json({{"field", "password"}, {"message", "Too short"}}));
    CHECK(e.extra["details"][1]["field"] == "tags.0");
}

TEST_CASE("step-up is STEP_UP_REQUIRED with maxAgeSeconds, from the body or the headers", "[passagent][wire]") {
    const auto from_body = api_error(401, {{"error", "Recent authentication required"},
                                           {"code", "STEP_UP_AUTH_REQUIRED"},
                                           {"maxAgeSeconds", 300}});
    const auto from_headers = api_error(401, json(), {{"x-require-reauth", "true"}, {"x-reauth-max-age", "120"}});

    CHECK(from_body.code == ErrorCode::StepUpRequired);
    CHECK(from_body.extra["maxAgeSeconds"] == 300);
    CHECK(from_headers.code == ErrorCode::StepUpRequired);
    CHECK(from_headers.extra["maxAgeSeconds"] == 120);
}

TEST_CASE("MFA_REQUIRED is OTP_REQUIRED and a wrong 2FA code is BAD_CREDENTIALS", "[passagent][wire]") {
    CHECK(api_error(401, {{"error", "Two-factor authentication required"}, {"code", "MFA_REQUIRED"}}).code ==
          ErrorCode::OtpRequired);
    CHECK(api_error(401, {{"error", "Invalid verification code"}, {"verified", false}}).code ==
          ErrorCode::BadCredentials);
}

TEST_CASE("429 in every body shape is RATE_LIMITED with retryAfter from the header", "[passagent][wire]") {
    const json bodies[] = {{{"error", "Too many requests"}, {"code", "RATE_LIMITED"}, {"status", 429}},
                           {{"error", "Maximum 10 shares"}, {"error_code", "rate_limit_exceeded"}},
                           {{"code", 429}, {"error_code", "over_request_rate_limit"}, {"msg", "Request rate limit reached"}},
                           {{"error", "over_request_rate_limit"}, {"error_description", "Request rate limit reached"}},
                           json()};
    for (const auto& body : bodies) {
        const auto e = api_error(429, body, {{"retry-after", "42"}});
        CHECK(e.code == ErrorCode::RateLimited);
        CHECK(e.extra["retryAfter"] == 42);
    }
    CHECK_FALSE(api_error(429, json()).extra.contains("retryAfter"));
    CHECK(map_error(Endpoint::PasswordGrant, 429, "{}", {{"retry-after", "5"}}, 0).code == ErrorCode::RateLimited);
}

TEST_CASE("Retry-After is read as seconds or as any HTTP-date form", "[passagent][wire]") {
    const std::int64_t now = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT

    CHECK(parse_retry_after("120", now) == 120);
    CHECK(parse_retry_after(" 0 ", now) == 0);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", now) == 60);
    CHECK(parse_retry_after("Sunday, 06-Nov-94 08:49:47 GMT", now) == 10);
    CHECK(parse_retry_after("Sun Nov  6 08:49:39 1994", now) == 2);
    CHECK(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now) == 0);  // in the past
    CHECK_FALSE(parse_retry_after("", now).has_value());
    CHECK_FALSE(parse_retry_after("-5", now).has_value());
    CHECK_FALSE(parse_retry_after("soon", now).has_value());
    CHECK_FALSE(parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", now).has_value());
    CHECK(parse_retry_after("99999999999999999999", now) > 0);
}

TEST_CASE("only 500, 502, 503 and 504 are worth a retry", "[passagent][wire]") {
    CHECK(is_retryable_status(500));
    CHECK(is_retryable_status(502));
    CHECK(is_retryable_status(503));
    CHECK(is_retryable_status(504));
    CHECK_FALSE(is_retryable_status(501));
    CHECK_FALSE(is_retryable_status(429));
    CHECK_FALSE(is_retryable_status(404));
}

// ---------------------------------------------------------------- replies

TEST_CASE("base64 is read in both alphabets, padded or not", "[passagent][wire]") {
    const std::string bytes = "\xfb\xff\xfe hello";

    CHECK(decode_base64(b64std(bytes)).value() == std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    CHECK(decode_base64(b64url(bytes)).value() == std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    CHECK_FALSE(decode_base64("ab+c-d").has_value());
    CHECK_FALSE(decode_base64("a").has_value());
    CHECK_FALSE(decode_base64("ab$c").has_value());
}

TEST_CASE("an {iv, ciphertext} box is read as an object or as JSON text", "[passagent][wire]") {
    const json object = box_json();

    const auto a = parse_box(object);
    const auto b = parse_box(json(object.dump()));

    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->iv.size() == 12);
    CHECK(a->ciphertext.size() == 40);
    CHECK(a->ciphertext == b->ciphertext);
    CHECK_FALSE(parse_box(json{{"iv", b64std("short")}, {"ciphertext", b64std(std::string(40, 'c'))}}).has_value());
    CHECK_FALSE(parse_box(json{{"iv", b64std(std::string(12, 'i'))}, {"ciphertext", b64std("no tag")}}).has_value());
    CHECK_FALSE(parse_box(json("not json")).has_value());
    CHECK_FALSE(parse_box(json(42)).has_value());
}

TEST_CASE("the CSRF reply gives a header-safe token", "[passagent][wire]") {
    CHECK(parse_csrf_reply(R"({"csrfToken":"abc_DEF-123"})").value() == "abc_DEF-123");
    CHECK_FALSE(parse_csrf_reply(R"({"csrfToken":"a\r\nb"})").has_value());
    CHECK_FALSE(parse_csrf_reply(R"({"csrfToken":""})").has_value());
    CHECK_FALSE(parse_csrf_reply(R"({"token":"x"})").has_value());
}

TEST_CASE("the salt reply gives salt bytes, KDF parameters and the verifier", "[passagent][wire]") {
    const json reply = {{"salt", b64url(std::string(16, 's'))},
                        {"kdf", {{"algorithm", "argon2id"}, {"memoryKiB", 8192}, {"iterations", 1}, {"parallelism", 1}}},
                        {"verifier", box_json()}};

    const auto parsed = parse_salt_reply(reply.dump());

    REQUIRE(parsed.has_value());
    CHECK(parsed->salt == std::vector<std::uint8_t>(16, 's'));
    CHECK(parsed->kdf.memory_kib == 8192);
    CHECK(parsed->kdf.iterations == 1);
    CHECK(parsed->kdf.parallelism == 1);
    CHECK(parsed->verifier.has_value());
}

TEST_CASE("the salt reply defaults the KDF to the public parameters and bounds hostile ones", "[passagent][wire]") {
    const auto defaults = parse_salt_reply(json{{"salt", b64url(std::string(16, 's'))}}.dump());
    REQUIRE(defaults.has_value());
    CHECK(defaults->kdf.memory_kib == 65536);
    CHECK(defaults->kdf.iterations == 3);
    CHECK(defaults->kdf.parallelism == 4);
    CHECK_FALSE(defaults->verifier.has_value());

    const json huge = {{"salt", b64url(std::string(16, 's'))}, {"kdf", {{"memoryKiB", 1LL << 40}}}};
    const json scrypt = {{"salt", b64url(std::string(16, 's'))}, {"kdf", {{"algorithm", "scrypt"}}}};
    CHECK(parse_salt_reply(huge.dump()).error().code == ErrorCode::BadFormat);
    CHECK(parse_salt_reply(scrypt.dump()).error().code == ErrorCode::Unsupported);
    CHECK_FALSE(parse_salt_reply(json{{"salt", b64url("tiny")}}.dump()).has_value());
}

TEST_CASE("the keys reply gives DER bytes and the encrypted private key", "[passagent][wire]") {
    const json reply = {{"publicKey", b64std("DER bytes")}, {"encryptedPrivateKey", box_json().dump()}};

    const auto parsed = parse_keys_reply(reply.dump());

    REQUIRE(parsed.has_value());
    CHECK(parsed->public_key_der.size() == 9);
    CHECK(parsed->encrypted_private_key.iv.size() == 12);
    CHECK_FALSE(parse_keys_reply(R"({"publicKey":"QUJD"})").has_value());
    CHECK(parse_public_key_reply(R"({"publicKey":"QUJD"})").value().size() == 3);
}

TEST_CASE("a cursor page gives its records and the next cursor", "[passagent][wire]") {
    const json body = {{"data", json::array({{{"id", "a"}}, {{"id", "b"}}, "junk", {{"name", "no id"}}})},
                       {"pagination", {{"limit", 2}, {"nextCursor", "b"}, {"hasMore", true}}}};

    const auto page = parse_password_page(body.dump(), {});

    REQUIRE(page.has_value());
    CHECK(page->style == PagingStyle::Cursor);
    CHECK(page->records.size() == 2);
    CHECK(page->skipped == 2);
    CHECK(page->next_cursor == "b");
    CHECK_FALSE(page->next_page.has_value());
}

TEST_CASE("the last cursor page has no next cursor", "[passagent][wire]") {
    const json body = {{"data", json::array({{{"id", "z"}}})},
                       {"pagination", {{"limit", 50}, {"nextCursor", nullptr}, {"hasMore", false}}}};

    const auto page = parse_password_page(body.dump(), {});

    REQUIRE(page.has_value());
    CHECK(page->style == PagingStyle::Cursor);
    CHECK_FALSE(page->next_cursor.has_value());
}

TEST_CASE("a numbered page gives the next page until the total is reached", "[passagent][wire]") {
    const json first = {{"data", json::array({{{"id", "1"}}, {{"id", "2"}}})},
                        {"pagination", {{"page", 1}, {"limit", 2}, {"total", 3}}}};
    const json last = {{"data", json::array({{{"id", 3}}})}, {"pagination", {{"page", 2}, {"limit", 2}, {"total", 3}}}};

    const auto p1 = parse_password_page(first.dump(), {});
    const auto p2 = parse_password_page(last.dump(), {.cursor = {}, .page = 2, .limit = 2});

    REQUIRE(p1.has_value());
    CHECK(p1->style == PagingStyle::Page);
    CHECK(p1->next_page == 2);
    CHECK(p1->total == 3);
    REQUIRE(p2.has_value());
    CHECK_FALSE(p2->next_page.has_value());
    CHECK(p2->records[0]["id"] == "3");  // numeric ids become text
}

TEST_CASE("bare arrays and {passwords: [...]} are lists without paging", "[passagent][wire]") {
    const auto bare = parse_password_page(R"([{"id":"a"},{"id":"b"}])", {.cursor = {}, .page = {}, .limit = 100});
    const auto named = parse_password_page(R"({"passwords":[{"id":"a"}]})", {});
    const auto full = parse_password_page(R"([{"id":"a"},{"id":"b"}])", {.cursor = {}, .page = {}, .limit = 2});

    REQUIRE(bare.has_value());
    CHECK(bare->style == PagingStyle::Unpaged);
    CHECK(bare->records.size() == 2);
    CHECK_FALSE(bare->next_cursor.has_value());
    REQUIRE(named.has_value());
    CHECK(named->records.size() == 1);
    REQUIRE(full.has_value());
    CHECK(full->next_cursor == "b");  // a full page may have more: ask after its last id
    CHECK_FALSE(parse_password_page(R"({"data":{}})", {}).has_value());
    CHECK_FALSE(parse_password_page("<html>", {}).has_value());
}

TEST_CASE("passwords_path asks for a cursor or a page, limit at most 100", "[passagent][wire]") {
    CHECK(passwords_path({}) == "/passwords?limit=100");
    CHECK(passwords_path({.cursor = "a b", .page = {}, .limit = 500}) == "/passwords?limit=100&cursor=a%20b");
    CHECK(passwords_path({.cursor = {}, .page = 3, .limit = 50}) == "/passwords?limit=50&page=3");
}

TEST_CASE("the TOTP config is read for zero-trust, legacy and absent TOTP", "[passagent][wire]") {
    const json zero_trust = {{"hasTotp", true}, {"zeroTrust", true}, {"secretEncrypted", box_json()},
                             {"algorithm", "SHA-256"}, {"digits", 8}, {"period", 60}};
    const json legacy = {{"hasTotp", true}, {"zeroTrust", false}, {"algorithm", "SHA-1"}, {"digits", 6}, {"period", 30}};

    const auto z = parse_totp_config(zero_trust.dump());
    const auto l = parse_totp_config(legacy.dump());
    const auto none = parse_totp_config(R"({"hasTotp":false})");

    REQUIRE(z.has_value());
    CHECK(z->zero_trust);
    CHECK(z->secret_encrypted.has_value());
    CHECK(z->algorithm == "SHA256");
    CHECK(z->digits == 8);
    CHECK(z->period == 60);
    REQUIRE(l.has_value());
    CHECK_FALSE(l->zero_trust);
    CHECK(l->algorithm == "SHA1");
    REQUIRE(none.has_value());
    CHECK_FALSE(none->has_totp);
    CHECK_FALSE(parse_totp_config(R"({"hasTotp":true,"zeroTrust":true})").has_value());
    CHECK(parse_totp_config(R"({"hasTotp":true,"zeroTrust":false,"algorithm":"MD5"})").error().code ==
          ErrorCode::Unsupported);
    CHECK_FALSE(parse_totp_config(R"({"hasTotp":true,"zeroTrust":false,"digits":99})").has_value());
}

TEST_CASE("the legacy TOTP code must be digits", "[passagent][wire]") {
    CHECK(parse_totp_code(R"({"code":"123456","remaining":18})")->remaining == 18);
    CHECK_FALSE(parse_totp_code(R"({"code":"12a456"})").has_value());
}

TEST_CASE("the share list keeps shares with ids and reads setup_required", "[passagent][wire]") {
    const json body = {{"shares", json::array({{{"id", "shr_1"}, {"account", {{"id", "pwd_1"}}}},
                                               {{"id", "shr_2"}, {"account", "bogus"}},
                                               {{"status", "active"}}})},
                       {"setup_required", true}};

    const auto list = parse_shares_list(body.dump());

    REQUIRE(list.has_value());
    CHECK(list->shares.size() == 1);
    CHECK(list->skipped == 2);
    CHECK(list->setup_required);
    CHECK_FALSE(parse_shares_list(R"({"data":[]})").has_value());
}

TEST_CASE("created shares and session shares must carry their ids", "[passagent][wire]") {
    CHECK(parse_share_created(R"({"success":true,"share":{"id":"shr_1"}})").value()["id"] == "shr_1");
    CHECK_FALSE(parse_share_created(R"({"success":true})").has_value());
    CHECK(parse_session_share_created(R"({"id":"sess_1","shareToken":"t","shareUrl":"/s/t"})").has_value());
    CHECK_FALSE(parse_session_share_created(R"({"id":"sess_1","shareUrl":"/s/t"})").has_value());
}

TEST_CASE("session status events are JSON and complete ends the stream", "[passagent][wire]") {
    const auto status = parse_session_status_event("status", R"({"type":"status","status":"active"})");
    const auto done = parse_session_status_event("complete", R"({"type":"complete","status":"active"})");
    const auto untyped = parse_session_status_event("message", R"({"type":"complete"})");

    REQUIRE(status.has_value());
    CHECK_FALSE(status->final);
    CHECK(status->data["status"] == "active");
    REQUIRE(done.has_value());
    CHECK(done->final);
    CHECK(untyped->type == "complete");
    CHECK_FALSE(parse_session_status_event("status", "not json").has_value());
}

TEST_CASE("2FA replies are checked", "[passagent][wire]") {
    CHECK(parse_twofa_enroll(R"({"qrCodeUri":"otpauth://x","secret":"S","recoveryCodes":["a"]})").has_value());
    CHECK_FALSE(parse_twofa_enroll(R"({"qrCodeUri":"otpauth://x","secret":"S","recoveryCodes":[1]})").has_value());
    CHECK(parse_twofa_status(R"({"enrolled":false,"method":null})").has_value());
    CHECK_FALSE(parse_twofa_status(R"({"method":"totp"})").has_value());
}
