// SPDX-License-Identifier: MIT
// Unlock (the vault key, the verifier, the key pair, the first sync) and lock.
#include "backends/passagent/backend.hpp"

#include <algorithm>
#include <utility>

#include "backends/passagent/kdf_policy.hpp"
#include "backends/passagent/vault.hpp"
#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"
#include "store/account_facts.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

// The private key opened under the vault key: empty when the account has none (404) or
// it is damaged (shares are then skipped). `decides` says no verifier was there to
// tell a wrong master password apart.
Result<SecretBuffer> open_key_pair(const Result<KeysReply>& keys, const SecretBuffer& key, bool decides) {
    if (!keys) {
        return SecretBuffer{};
    }
    auto der = open_private_key_der(key, to_gcm_box(keys->encrypted_private_key), decides);
    if (der) {
        return std::move(*der);
    }
    if (der.error().code == ErrorCode::WrongMasterPassword) {
        return std::unexpected(der.error());
    }
    log::warn("passagent", "the key pair does not open; shared entries will be skipped");
    return SecretBuffer{};
}

// The Argon2id parameters this account unlocked with before (null: none known). An
// unreadable facts file is logged and read as none: the floor still holds.
json kdf_used_before(const std::filesystem::path& state_dir, const std::string& account) {
    if (state_dir.empty()) {
        return nullptr;
    }
    auto before = store::AccountFactsStore(state_dir).kdf(account);
    if (!before) {
        log::warn("passagent", "the account facts cannot be read; only the KDF floor applies");
        return nullptr;
    }
    return std::move(*before);
}

void remember_kdf(const std::filesystem::path& state_dir, const store::AccountFacts& facts,
                  const KdfParams& kdf) {
    if (state_dir.empty()) {
        return;
    }
    if (auto kept = store::AccountFactsStore(state_dir).put_kdf(facts, kdf_fact(kdf)); !kept) {
        log::warn("passagent", "could not keep the account's KDF parameters: " + kept.error().message);
    }
}

}  // namespace

std::optional<RsaPrivateKey> Vault::private_key() const {
    if (private_der.empty()) {
        return std::nullopt;
    }
    auto loaded = load_private_key(private_der);
    if (!loaded) {
        return std::nullopt;
    }
    return std::move(*loaded);
}

std::optional<VaultEntry> Vault::find(const ItemList* items, std::string_view id) const {
    if (items == nullptr || items->size() != records.size()) {
        return std::nullopt;
    }
    const ItemList& list = *items;
    const auto it = std::lower_bound(by_id.begin(), by_id.end(), id,
                                     [&list](std::uint32_t at, std::string_view wanted) { return list[at].id < wanted; });
    if (it == by_id.end() || list[*it].id != id) {
        return std::nullopt;
    }
    return VaultEntry{&list[*it], &records[*it]};
}

Result<std::size_t> PassAgentBackend::unlock(const Params& params, const Progress& progress) {
    auto master = params::required_secret(params, "masterPassword");
    if (!master) {
        return std::unexpected(master.error());
    }
    // A remembered account of an earlier run signs in again first (remember.cpp).
    if (auto resumed = resume_remembered(); !resumed) {
        return std::unexpected(resumed.error());
    }
    auto api = session();
    if (!api) {
        return std::unexpected(api.error());
    }
    auto salt = (*api)->vault_salt();
    if (!salt) {
        return std::unexpected(seen(salt.error()));
    }
    // Refused before the KDF runs: a key derived this cheaply is never made or used.
    const AccountInfo who = info();
    const std::string account = account_id(kind(), who);
    const json used_before = kdf_used_before(options_.state_dir, account);
    if (auto floor = check_kdf_floor(salt->kdf); !floor) {
        return std::unexpected(floor.error());
    }
    if (auto kept = check_kdf_not_weaker(salt->kdf, used_before); !kept) {
        return std::unexpected(kept.error());
    }
    // The slow part, with no lock held: lock() and other requests go on meanwhile.
    auto key = derive_vault_key((*master)->view(), *salt);
    if (!key) {
        return std::unexpected(key.error());
    }
    if (salt->verifier) {
        if (auto ok = check_verifier(*key, to_gcm_box(*salt->verifier)); !ok) {
            return std::unexpected(ok.error());
        }
    }
    auto keys = (*api)->vault_keys();
    if (!keys && keys.error().code != ErrorCode::NotFound) {
        return std::unexpected(seen(keys.error()));
    }
    auto private_der = open_key_pair(keys, *key, !salt->verifier);
    if (!private_der) {
        return std::unexpected(private_der.error());
    }
    auto vault = std::make_unique<Vault>();
    vault->key = std::move(*key);
    vault->private_der = std::move(*private_der);
    // No verifier and no key pair: the first sync decides the master password.
    auto opened = open_and_sync(std::move(vault), progress, !salt->verifier && !keys);
    if (opened && kdf_fact(salt->kdf) != used_before) {
        // The vault opened: these are its real parameters, the least it takes from now on.
        store::AccountFacts facts;
        facts.account = account;
        facts.backend = "passagent";
        facts.server = who.server;
        facts.user = who.user;
        remember_kdf(options_.state_dir, facts, salt->kdf);
    }
    return opened;
}

void PassAgentBackend::lock() noexcept {
    // Keys first, under the mutex; the records (ciphertext) are freed outside it.
    close_vault([](Vault& vault) {
        vault.key.reset();
        vault.private_der.reset();
    });
}

}  // namespace pah::passagent
