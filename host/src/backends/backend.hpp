// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "match/item.hpp"
#include "protocol/error.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

// A decrypted entry, released for one request and then wiped.
struct Credential {
    std::string username;
    SecretBuffer password;
    SecretBuffer notes;
    std::vector<std::string> urls;
};

// A TOTP secret to compute codes from here (zero-trust, Passman, Passwork) ...
struct TotpSecret {
    SecretBuffer key;  // raw key bytes (base32-decoded)
    std::string algorithm = "SHA1";
    int digits = 6;
    int period = 30;
};
// ... or a code the server computed (PassAgent legacy entries).
struct ServerTotpCode {
    std::string code;
    int remaining = 0;
    int period = 30;
    int digits = 6;
    std::string algorithm = "SHA1";
};
using TotpSource = std::variant<TotpSecret, ServerTotpCode>;

struct AccountInfo {
    std::string user;
    std::string server;
    bool logged_in = false;
    bool unlocked = false;
    std::size_t items = 0;
    std::optional<std::int64_t> last_sync;  // Unix seconds
};

using Progress = std::function<void(std::string_view event, nlohmann::json data)>;

// One login to one password manager. Implementations are thread-safe: requests run
// concurrently, and lock() may come from the auto-lock timer at any moment.
// WARNING: hold a key only inside a short critical section; never across a network call,
// or lock() waits on the network.
class Backend {
public:
    virtual ~Backend() = default;

    [[nodiscard]] virtual std::string_view kind() const noexcept = 0;
    // session.login's params (server, email|username, password, otp?, ...). → {user, ...}
    virtual Result<nlohmann::json> login(const nlohmann::json& params) = 0;
    virtual Result<void> logout() = 0;
    // vault.unlock's params. Returns the number of readable items.
    virtual Result<std::size_t> unlock(const nlohmann::json& params, const Progress& progress) = 0;
    // Wipes every key and decrypted value. Never fails, never blocks on the network.
    virtual void lock() noexcept = 0;
    virtual Result<std::size_t> sync(const Progress& progress) = 0;
    // The unlocked vault's entries; null while locked.
    [[nodiscard]] virtual std::shared_ptr<const ItemList> items() const = 0;
    virtual Result<Credential> decrypt(std::string_view id) = 0;
    virtual Result<TotpSource> totp(std::string_view id) = 0;
    [[nodiscard]] virtual AccountInfo info() const = 0;

    // Records that the user saw ("password_viewed") or copied ("password_copied") a
    // received share. Returns once the server has it; the caller queues failures.
    virtual Result<void> send_share_view(std::string_view share_id, std::string_view action) {
        (void)share_id;
        (void)action;
        return fail(ErrorCode::Unsupported, "This password manager has no shared-view log.");
    }

    // Backend-specific actions (shares.*, sessionShares.*, twoFactor.*, totp.set, ...).
    virtual Result<nlohmann::json> call(std::string_view action, const nlohmann::json& params,
                                        const Progress& progress) {
        (void)params;
        (void)progress;
        return fail(ErrorCode::Unsupported,
                    "\"" + std::string(action) + "\" is not available for " +
                        std::string(kind()) + " accounts.");
    }
};

}  // namespace pah
