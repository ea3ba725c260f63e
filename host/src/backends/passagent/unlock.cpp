// SPDX-License-Identifier: MIT
// Unlock (the vault key, the verifier, the key pair, the first sync) and lock.
#include "backends/passagent/backend.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "backends/passagent/kdf_policy.hpp"
#include "backends/passagent/local_copy.hpp"
#include "backends/passagent/vault.hpp"
#include "backends/passagent/vault_state.hpp"
#include "log/log.hpp"
#include "protocol/params.hpp"
#include "store/account_facts.hpp"
#include "store/vault_copy.hpp"

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

// The vault's keys from the server's salt reply, fetched now or kept in the local copy.
// Refused before the KDF runs when its parameters are under the floor or weaker than this
// account used before: a key derived this cheaply is never made or used. Then the key, its
// verifier, and the key pair `key_pair()` gives (asked only once the verifier passed; a
// NotFound error means the account has none).
template <class KeyPair>
Result<std::unique_ptr<Vault>> open_vault_keys(std::string_view master, const SaltReply& salt,
                                               const json& used_before, KeyPair key_pair) {
    if (auto floor = check_kdf_floor(salt.kdf); !floor) {
        return std::unexpected(floor.error());
    }
    if (auto kept = check_kdf_not_weaker(salt.kdf, used_before); !kept) {
        return std::unexpected(kept.error());
    }
    // The slow part, with no lock held: lock() and other requests go on meanwhile.
    auto key = derive_vault_key(master, salt);
    if (!key) {
        return std::unexpected(key.error());
    }
    if (salt.verifier) {
        if (auto ok = check_verifier(*key, to_gcm_box(*salt.verifier)); !ok) {
            return std::unexpected(ok.error());
        }
    }
    const Result<KeysReply> keys = key_pair();
    if (!keys && keys.error().code != ErrorCode::NotFound) {
        return std::unexpected(keys.error());
    }
    auto private_der = open_key_pair(keys, *key, !salt.verifier);
    if (!private_der) {
        return std::unexpected(private_der.error());
    }
    auto vault = std::make_unique<Vault>();
    vault->key = std::move(*key);
    vault->private_der = std::move(*private_der);
    vault->salt_text = salt_reply_text(salt);
    vault->keys_text = keys ? keys_reply_text(*keys) : std::string();
    return vault;
}

store::AccountFacts facts_of(const std::string& account, const AccountInfo& who) {
    store::AccountFacts facts;
    facts.account = account;
    facts.backend = "passagent";
    facts.server = who.server;
    facts.user = who.user;
    return facts;
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
    // A remembered account of an earlier run signs in again first (remember.cpp). When
    // the server cannot be reached, the local copy may still open (and sync() signs in
    // again later); a refused sign-in is final.
    auto resumed = resume_remembered();
    if (!resumed && resumed.error().code == ErrorCode::NotLoggedIn) {
        return std::unexpected(resumed.error());
    }
    Result<std::shared_ptr<PassAgentApi>> api =
        resumed ? session() : Result<std::shared_ptr<PassAgentApi>>(std::unexpected(resumed.error()));
    if (!api && resumed) {
        return std::unexpected(api.error());
    }
    const AccountInfo who = info();
    const std::string account = account_id(kind(), who);
    const json used_before = kdf_used_before(options_.state_dir, account);
    std::optional<SaltReply> fetched;
    const auto loading = std::chrono::steady_clock::now();
    if (auto copy = load_copy(account, who.server)) {
        log::info("passagent", "the local copy loaded in " +
                                   std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                      std::chrono::steady_clock::now() - loading)
                                                      .count()) +
                                   " ms");
        const std::string copy_salt = salt_reply_text(copy->salt);
        auto from_copy = unlock_from_copy((*master)->view(), *copy, who, used_before);
        if (from_copy || from_copy.error().code != ErrorCode::WrongMasterPassword || !api) {
            return from_copy;
        }
        // The master password may have changed at the server since the copy was made.
        auto salt = (*api)->vault_salt();
        if (!salt || salt_reply_text(*salt) == copy_salt) {
            return from_copy;
        }
        log::info("passagent",
                  "the vault's salt changed since the local copy was made; unlocking from the server");
        fetched = std::move(*salt);
    }
    if (!api) {
        return std::unexpected(api.error());
    }
    if (!fetched) {
        auto salt = (*api)->vault_salt();
        if (!salt) {
            return std::unexpected(seen(salt.error()));
        }
        fetched = std::move(*salt);
    }
    const SaltReply& salt = *fetched;
    auto vault = open_vault_keys((*master)->view(), salt, used_before, [&]() -> Result<KeysReply> {
        auto keys = (*api)->vault_keys();
        if (!keys && keys.error().code != ErrorCode::NotFound) {
            return std::unexpected(seen(keys.error()));
        }
        return keys;
    });
    if (!vault) {
        return std::unexpected(vault.error());
    }
    // No verifier and no key pair: the first sync decides the master password, so
    // unlock waits for it. Otherwise the vault opens now, empty, and the first sync runs
    // in the background (SyncTimer, as after an unlock from the copy): its pages show as
    // they arrive (sync.cpp) and the copy is written when it completes.
    const bool decides = !salt.verifier && (*vault)->keys_text.empty();
    Result<std::size_t> opened = 0;
    if (decides) {
        opened = open_and_sync(std::move(*vault), progress, true);
    } else {
        open_now(std::move(*vault), std::make_shared<const ItemList>(), 0, std::nullopt);
        std::lock_guard lock(mu_);
        sync_due_ = true;
    }
    if (opened && kdf_fact(salt.kdf) != used_before) {
        // The vault opened: these are its real parameters, the least it takes from now on.
        remember_kdf(options_.state_dir, facts_of(account, who), salt.kdf);
    }
    if (opened && !decides) {
        log::info("passagent", "unlocked; the first sync continues in the background");
    }
    return opened;
}

std::optional<OpenedCopy> PassAgentBackend::load_copy(const std::string& account,
                                                      const std::string& server) const {
    if (options_.state_dir.empty()) {
        return std::nullopt;
    }
    auto opened = load_vault_copy(store::VaultCopyStore(options_.state_dir), account, server);
    if (!opened) {
        if (opened.error().code != ErrorCode::NotFound) {
            log::warn("passagent", "the local copy is not used: " + opened.error().message);
        }
        return std::nullopt;
    }
    return std::move(*opened);
}

// The same checks as from the server (open_vault_keys), on what the copy kept of the
// server's replies; then the copy's entries are the open vault.
Result<std::size_t> PassAgentBackend::unlock_from_copy(std::string_view master, OpenedCopy& copy,
                                                       const AccountInfo& who, const json& used_before) {
    const auto started = std::chrono::steady_clock::now();
    auto opened_keys = open_vault_keys(master, copy.salt, used_before, [&]() -> Result<KeysReply> {
        if (copy.keys) {
            return *copy.keys;
        }
        return fail(ErrorCode::NotFound, "no key pair");
    });
    if (!opened_keys) {
        return std::unexpected(opened_keys.error());
    }
    std::unique_ptr<Vault> vault = std::move(*opened_keys);
    const auto derived = std::chrono::steady_clock::now();

    // The usernames of V3 entries and shares were not kept: they are opened again here.
    const std::optional<RsaPrivateKey> private_key = vault->private_key();
    const RecordKeys record_keys = vault->keys(private_key ? &*private_key : nullptr);
    SecretBuffer scratch;
    auto list = std::make_shared<ItemList>();
    std::vector<EncryptedRecord> records;
    list->reserve(copy.records.size());
    records.reserve(copy.records.size());
    std::size_t skipped = copy.skipped;
    for (ParsedRecord& record : copy.records) {
        auto username = open_username(record, record_keys, scratch);
        if (!username) {
            ++skipped;
            continue;
        }
        record.summary.username = std::move(*username);
        list->push_back(std::move(record.summary));
        records.push_back(std::move(record.sealed));
    }
    copy.records.clear();
    copy.records.shrink_to_fit();
    if (!copy.salt.verifier && !copy.keys && list->empty() && skipped > 0) {
        return std::unexpected(wrong_master_password());
    }
    vault->by_id = index_by_id(*list, records);
    vault->records = std::move(records);
    vault->totp = std::move(copy.totp);
    vault->synced = true;
    vault->cursor = std::move(copy.cursor);
    vault->full_listing_at = copy.full_listing_at;
    const std::size_t count = list->size();
    open_now(std::move(vault), std::move(list), skipped, copy.saved_at);
    {
        std::lock_guard lock(mu_);
        sync_due_ = true;  // SyncTimer brings it up to date at once
    }
    const std::string account = account_id(kind(), who);
    if (kdf_fact(copy.salt.kdf) != used_before) {
        remember_kdf(options_.state_dir, facts_of(account, who), copy.salt.kdf);
    }
    const auto ms = [](auto from, auto to) {
        return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count());
    };
    log::info("passagent", "unlocked from the local copy: " + std::to_string(count) + " entries, skipped " +
                               std::to_string(skipped) + "; key " + ms(started, derived) + " ms, entries " +
                               ms(derived, std::chrono::steady_clock::now()) + " ms");
    return count;
}

void PassAgentBackend::lock() noexcept {
    // A write's reply did not wait for the local copy: it is written before the vault goes.
    flush_copy_save();
    // Keys first, under the mutex; the records (ciphertext) are freed outside it.
    close_vault([](Vault& vault) {
        vault.key.reset();
        vault.private_der.reset();
    });
}

}  // namespace pah::passagent
