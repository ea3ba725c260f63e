// SPDX-License-Identifier: MIT
#pragma once

// Passwork's legacy API (api3) for one login: form POSTs, a session code on each call,
// a new session (once) when the server says the old one expired.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backends/passwork/wire.hpp"
#include "http/client.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passwork {

class PassworkApi {
public:
    // `server` is the Passwork address (origin, maybe with a sub-path; a trailing
    // "/api3" is dropped). https, or http to a loopback address only. Nothing is sent
    // yet; the email and password are kept (locked memory) to open new sessions.
    static Result<std::unique_ptr<PassworkApi>> create(std::string_view server, std::string_view email,
                                                       std::string_view password, http::ClientOptions options = {});
    ~PassworkApi();
    PassworkApi(const PassworkApi&) = delete;
    PassworkApi& operator=(const PassworkApi&) = delete;

    // openSession. BAD_CREDENTIALS for a refused login, FORBIDDEN for a banned user.
    Result<void> open_session();
    // getGroups.
    Result<std::vector<Group>> groups();
    // getPasswords of one folder, or of the vault's root when `folder_id` is empty.
    Result<PasswordList> passwords(std::string_view group_id, std::string_view folder_id);

    // The master password hash of the latest openSession ("" without client-side
    // encryption).
    [[nodiscard]] std::string hash() const;
    [[nodiscard]] const std::string& server() const noexcept { return server_; }
    // openSession calls so far (for tests).
    [[nodiscard]] std::size_t sessions_opened() const;

private:
    using Params = std::vector<std::pair<std::string_view, std::string_view>>;
    PassworkApi(std::string server, SecretBuffer email, SecretBuffer password, http::ClientOptions options);
    // One POST; the `response` value or its error.
    // `secret_body`, when given, is sent instead of `body`, from locked memory.
    Result<nlohmann::json> post(std::string_view name, std::string body,
                                const SecretBuffer* secret_body = nullptr);
    // A call that needs the session: an expired session is replaced and the call sent
    // once more. A refused login on the way is NOT_LOGGED_IN (the login is gone).
    Result<nlohmann::json> call(std::string_view name, const Params& params);

    std::string server_;
    std::string api_base_;
    SecretBuffer email_;
    SecretBuffer password_;
    std::unique_ptr<http::HttpClient> client_;

    mutable std::mutex mu_;   // session_, hash_, opened_
    std::mutex open_mu_;      // one openSession at a time
    SecretBuffer session_;
    std::string hash_;
    std::size_t opened_ = 0;
};

// The error an HTTP status from Passwork means (its API answers 200 even for errors).
Error passwork_status_error(long status);

}  // namespace pah::passwork
