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
#include "protocol/params.hpp"
#include "secure/secret_buffer.hpp"

namespace pah {

namespace store {
class SecretStore;
class AccountFactsStore;
struct AccountFacts;
}  // namespace store

// Where a remembered sign-in is kept (docs/local-store.md): what signs the account in
// again in the desktop's Secret Service, the rest (not secret) in the state dir.
struct SignInStores {
    std::shared_ptr<store::SecretStore> secrets;
    std::shared_ptr<store::AccountFactsStore> facts;
};

// A custom field of an entry (protocol Field {name, value, hidden}).
struct Field {
    std::string name;
    SecretBuffer value;
    bool hidden = false;
};

// A decrypted entry, released for one request and then wiped.
struct Credential {
    std::string username;
    SecretBuffer password;
    SecretBuffer notes;
    std::vector<std::string> urls;
    std::vector<Field> fields;
};

// What credentials.create / credentials.update ask to write. Unset members: create
// leaves them empty, update keeps what the entry has.
struct ItemDraft {
    std::optional<std::string> name;
    std::optional<std::string> url;
    std::optional<std::string> username;
    std::optional<SecretBuffer> password;
    std::optional<SecretBuffer> notes;
    std::optional<std::vector<Field>> fields;
    std::optional<std::string> expected_updated_at;  // update: CONFLICT if the server's differs
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
    bool remembered = false;                // its sign-in is kept in the Secret Service
    bool syncing = false;                   // a sync is running
    bool from_copy = false;                 // opened without a sync (local copy, first sync due)
};

using Progress = std::function<void(std::string_view event, nlohmann::json data)>;

// The host's id of an account: "<kind>:<user>@<server>" ("passagent:alice@example.com@https://host").
inline std::string account_id(std::string_view kind, const AccountInfo& info) {
    return std::string(kind) + ":" + info.user + "@" + info.server;
}

// One login to one password manager. Implementations are thread-safe: requests run
// concurrently, and lock() may come from the auto-lock timer at any moment.
// WARNING: hold a key only inside a short critical section; never across a network call,
// or lock() waits on the network.
class Backend {
public:
    virtual ~Backend() = default;

    [[nodiscard]] virtual std::string_view kind() const noexcept = 0;
    // session.login's params (server, email|username, password, otp?, ...). → {user, ...}
    // The secrets (password, otp) are read from `params` in locked memory.
    virtual Result<nlohmann::json> login(const Params& params) = 0;
    virtual Result<void> logout() = 0;
    // vault.unlock's params. Returns the number of readable items.
    virtual Result<std::size_t> unlock(const Params& params, const Progress& progress) = 0;
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

    // ---- writes (credentials.create / update / delete). The backend encrypts as its own
    // client does and updates its open vault at once. Default: UNSUPPORTED.
    virtual Result<ItemSummary> create_item(const ItemDraft& draft) {
        (void)draft;
        return std::unexpected(writes_unsupported());
    }
    virtual Result<ItemSummary> update_item(std::string_view id, const ItemDraft& draft) {
        (void)id;
        (void)draft;
        return std::unexpected(writes_unsupported());
    }
    virtual Result<void> remove_item(std::string_view id) {
        (void)id;
        return std::unexpected(writes_unsupported());
    }
    [[nodiscard]] virtual Error writes_unsupported() const {
        return {ErrorCode::Unsupported, "Entries of " + std::string(kind()) + " accounts cannot be changed from here."};
    }

    // ---- remembered sign-in (session.login's `remember`). Default: UNSUPPORTED.
    // Keeps what signs this login in again in `stores.secrets` under `account`, and
    // keeps it current. UNSUPPORTED saying why (the backend cannot; no Secret Service).
    virtual Result<void> remember(const SignInStores& stores, const std::string& account) {
        (void)stores;
        (void)account;
        return fail(ErrorCode::Unsupported, "Sign-ins to " + std::string(kind()) +
                                                " accounts cannot be remembered: they last only minutes.");
    }
    // In a later host: the login of the remembered account `facts`, which its first
    // unlock signs in again from the stored secret.
    virtual Result<void> restore(const store::AccountFacts& facts, const SignInStores& stores) {
        (void)facts;
        (void)stores;
        return fail(ErrorCode::Unsupported, "This password manager has no remembered sign-in.");
    }

    // Backend-specific actions (shares.*, sessionShares.*, twoFactor.*, totp.set, ...).
    virtual Result<nlohmann::json> call(std::string_view action, const Params& params,
                                        const Progress& progress) {
        (void)params;
        (void)progress;
        return fail(ErrorCode::Unsupported,
                    "\"" + std::string(action) + "\" is not available for " +
                        std::string(kind()) + " accounts.");
    }
};

}  // namespace pah
