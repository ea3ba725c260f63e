// SPDX-License-Identifier: MIT
// The Passman backend: options, login, unlock (choosing the vault), lock.
#include "backends/passman/backend.hpp"

#include <algorithm>
#include <utility>

#include "backends/passman/vault_state.hpp"
#include "crypto/encoding.hpp"
#include "crypto/sjcl.hpp"
#include "log/log.hpp"
#include "protocol/envelope.hpp"
#include "protocol/params.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

bool is_wrong_key(const CryptoError& error) {
    return error.code == CryptoErrc::Tampered || error.code == CryptoErrc::WrongKey;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}


}  // namespace

PassmanBackend::PassmanBackend(BackendOptions options)
    : TableBackend(Error{ErrorCode::NotLoggedIn, "You are not signed in to Passman. Sign in first."},
                   Error{ErrorCode::Locked, "The Passman vault is locked. Unlock it with its vault key."}),
      options_(std::move(options)) {}

PassmanBackend::~PassmanBackend() { lock(); }

Result<json> PassmanBackend::login(const Params& params) {
    auto login = new_login_client<PassmanApi>(
        params, options_,
        {.no_server = "Say which Nextcloud server to sign in to (params.server).",
         .user_field = "username",
         .other_user_field = "email",
         .no_user = "Enter your Nextcloud user name."});
    if (!login) {
        return std::unexpected(login.error());
    }
    auto& [user, api] = *login;
    // Basic auth has no session to open: listing the vaults proves the login.
    auto vaults = api->vaults();
    if (!vaults) {
        Error error = vaults.error();
        if (error.code == ErrorCode::NotLoggedIn) {
            error.code = ErrorCode::BadCredentials;
        }
        return std::unexpected(not_found_is_bad_server(std::move(error)));
    }
    json list = json::array();
    for (const auto& vault : *vaults) {
        list.push_back({{"guid", vault.guid}, {"name", vault.name}});
    }
    signed_in(api, user);
    log::info("passman", "signed in; " + std::to_string(vaults->size()) + " vaults");
    return json{{"user", user}, {"server", api->server()}, {"vaults", std::move(list)}};
}

Error PassmanBackend::seen(Error error) {
    return SessionBackend::seen(
        std::move(error), options_.push, "Nextcloud no longer accepts the login",
        "Nextcloud no longer accepts this login (password changed or app password revoked). Sign in again.");
}

Result<std::size_t> PassmanBackend::unlock(const Params& params, const Progress& progress) {
    auto wanted = params::optional_string(params, "vault");
    if (!wanted) {
        return std::unexpected(wanted.error());
    }
    auto vault_key = params::optional_secret(params, "vaultKey");
    if (!vault_key) {
        return std::unexpected(vault_key.error());
    }
    if (*vault_key == nullptr) {
        vault_key = params::optional_secret(params, "masterPassword");
        if (!vault_key) {
            return std::unexpected(vault_key.error());
        }
    }
    if (*vault_key == nullptr || (*vault_key)->empty()) {
        return fail(ErrorCode::BadRequest, "Enter the vault key of your Passman vault.", {{"field", "vaultKey"}});
    }
    auto vault = std::make_unique<Vault>();
    vault->key = SecretBuffer::copy_of((*vault_key)->span());

    if (auto resumed = resume_remembered(); !resumed) {
        return std::unexpected(resumed.error());
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto vaults = (*api)->vaults();
    if (!vaults) {
        return std::unexpected(seen(vaults.error()));
    }
    const VaultInfo* chosen = nullptr;
    if (wanted->has_value() && !(*wanted)->empty()) {
        for (const auto& candidate : *vaults) {
            if (ascii_iequals(candidate.guid, **wanted)) {
                chosen = &candidate;
                break;
            }
        }
        for (const auto& candidate : *vaults) {
            if (chosen == nullptr && candidate.name == **wanted) {
                chosen = &candidate;
            }
        }
    } else if (vaults->size() == 1) {
        chosen = &vaults->front();
    }
    if (chosen == nullptr) {
        std::string names;
        for (const auto& candidate : *vaults) {
            names += names.empty() ? "" : ", ";
            names += "\"" + candidate.name + "\"";
        }
        const bool named = wanted->has_value() && !(*wanted)->empty();
        return fail(named ? ErrorCode::NotFound : ErrorCode::BadRequest,
                    std::string(named ? "There is no such Passman vault." : "Say which Passman vault to open.") +
                        (names.empty() ? " This account has no vault." : " Your vaults: " + names + "."),
                    {{"field", "vault"}});
    }
    vault->guid = chosen->guid;
    vault->name = chosen->name;

    // challenge_password: a field of the vault's own test credential; it opens with the
    // right key only.
    const bool checked = !chosen->challenge.empty() && chosen->challenge != "null";
    if (checked) {
        auto opened = sjcl_decrypt(vault->key.span(), chosen->challenge, &vault->cache);
        if (!opened) {
            if (is_wrong_key(opened.error())) {
                return std::unexpected(wrong_vault_key(vault->name));
            }
            return std::unexpected(to_error(opened.error()));
        }
    }

    return open_and_sync(std::move(vault), progress, !checked);
}

void PassmanBackend::lock() noexcept {
    close_vault([](Vault& vault) {
        vault.key.reset();
        vault.cache.clear();
    });
}

}  // namespace pah::passman
