// SPDX-License-Identifier: MIT
#pragma once

// Passman's extension API for one Nextcloud login: HTTP Basic auth on every request
// (there is no session to open), JSON replies checked by wire.hpp.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/passman/wire.hpp"
#include "http/client.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah::passman {

class PassmanApi {
public:
    // `server` is the Nextcloud address (origin, maybe with a sub-path; a trailing
    // "/index.php" is dropped). https, or http to a loopback address only. Nothing is
    // sent yet.
    static Result<std::unique_ptr<PassmanApi>> create(std::string_view server, std::string_view username,
                                                      std::string_view password, http::ClientOptions options = {});
    ~PassmanApi();
    PassmanApi(const PassmanApi&) = delete;
    PassmanApi& operator=(const PassmanApi&) = delete;

    // GET /vaults. A refused login is NOT_LOGGED_IN (the caller decides whether that is
    // a bad sign-in or an ended one).
    Result<std::vector<VaultInfo>> vaults();
    // GET /vaults/{guid}; NOT_FOUND when the user has no such vault.
    Result<VaultContents> vault(std::string_view guid);

    // writes.cpp: GET of the vault as JSON (every field of every credential, as stored),
    // and POST/PATCH of a credential. 401 {"msg":"Not authorized"} (no write right on
    // that credential) is FORBIDDEN, not a refused login.
    Result<nlohmann::json> vault_json(std::string_view guid);
    Result<nlohmann::json> send_credential(std::string_view method, const std::string& path, const std::string& body);

    // The password this client signs in with (to remember the sign-in), in locked memory.
    [[nodiscard]] SecretBuffer password_copy() const;

    // The normalised server address ("https://cloud.example.com/nextcloud").
    [[nodiscard]] const std::string& server() const noexcept { return server_; }

private:
    PassmanApi(std::string server, SecretBuffer authorization, http::ClientOptions options);
    // A 2xx body, or the error its status means.
    Result<std::string> get(const std::string& path);

    std::string server_;
    std::string api_base_;
    SecretBuffer authorization_;  // "Basic base64(user:password)"
    std::unique_ptr<http::HttpClient> client_;
};

// The error an HTTP status from Passman (Nextcloud) means. Exposed for tests.
Error passman_status_error(long status, const std::string* retry_after);

}  // namespace pah::passman
