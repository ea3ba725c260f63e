// SPDX-License-Identifier: MIT
#include "store/account_facts.hpp"

#include <algorithm>

#include "store/json_bounded.hpp"
#include "store/state_files.hpp"

namespace pah::store {

using nlohmann::json;

namespace {

constexpr const char* kFile = "accounts.json";
constexpr int kVersion = 1;

std::unexpected<Error> bad(const std::string& what) {
    return fail(ErrorCode::BadFormat, "The remembered accounts file (accounts.json) is damaged: " + what +
                                          ". Sign in again; the file is rewritten then.");
}

bool read_string(const json& object, const char* key, bool required, std::string* out, std::string* why) {
    const auto it = object.find(key);
    if (it == object.end()) {
        if (required) {
            *why = std::string("an account has no \"") + key + "\"";
        }
        return !required;
    }
    if (!it->is_string() || it->get_ref<const std::string&>().size() > kMaxFactString) {
        *why = std::string("an account's \"") + key + "\" is not a string of at most 2048 characters";
        return false;
    }
    *out = it->get<std::string>();
    return true;
}

}  // namespace

Result<std::vector<AccountFacts>> parse_account_facts(std::string_view text) {
    if (text.size() > kMaxFactsFileBytes) {
        return bad("it is larger than 1 MiB");
    }
    auto parsed = parse_json_bounded(text, kMaxFactsDepth);
    if (!parsed) {
        return bad(parsed.error());
    }
    const json& doc = *parsed;
    if (!doc.is_object() || !doc.contains("version") || !doc["version"].is_number_integer()) {
        return bad("it has no version");
    }
    if (doc["version"].get<std::int64_t>() != kVersion) {
        return bad("its version is not " + std::to_string(kVersion));
    }
    const auto list = doc.find("accounts");
    if (list == doc.end() || !list->is_array()) {
        return bad("it has no list of accounts");
    }
    if (list->size() > kMaxAccounts) {
        return bad("it lists more than 256 accounts");
    }
    std::vector<AccountFacts> out;
    out.reserve(list->size());
    for (const json& entry : *list) {
        if (!entry.is_object()) {
            return bad("an account is not an object");
        }
        AccountFacts facts;
        std::string why;
        if (!read_string(entry, "account", true, &facts.account, &why) ||
            !read_string(entry, "backend", true, &facts.backend, &why) ||
            !read_string(entry, "server", true, &facts.server, &why) ||
            !read_string(entry, "user", true, &facts.user, &why)) {
            return bad(why);
        }
        if (facts.account.empty()) {
            return bad("an account has an empty id");
        }
        if (const auto it = entry.find("remembered"); it != entry.end()) {
            if (!it->is_boolean()) {
                return bad("\"remembered\" is not true or false");
            }
            facts.remembered = it->get<bool>();
        }
        if (const auto it = entry.find("kdf"); it != entry.end()) {
            if (!it->is_null() && !it->is_object()) {
                return bad("\"kdf\" is not an object");
            }
            // KDF parameters are names and whole numbers, a handful of them.
            if (it->is_object()) {
                if (it->size() > 8) {
                    return bad("\"kdf\" has more than 8 entries");
                }
                for (const auto& [name, value] : it->items()) {
                    const bool plain = value.is_number_integer() ||
                                       (value.is_string() && value.get_ref<const std::string&>().size() <= 64);
                    if (name.size() > 64 || !plain) {
                        return bad("\"kdf\" holds something other than short names and whole numbers");
                    }
                }
            }
            facts.kdf = *it;
        }
        if (const auto it = entry.find("lastSync"); it != entry.end() && !it->is_null()) {
            if (!it->is_number_integer()) {
                return bad("\"lastSync\" is not a number of seconds");
            }
            facts.last_sync = it->get<std::int64_t>();
        }
        const bool repeated = std::any_of(out.begin(), out.end(),
                                          [&](const AccountFacts& f) { return f.account == facts.account; });
        if (repeated) {
            return bad("the account \"" + facts.account + "\" is listed twice");
        }
        out.push_back(std::move(facts));
    }
    return out;
}

std::string serialize_account_facts(const std::vector<AccountFacts>& accounts) {
    json list = json::array();
    for (const AccountFacts& f : accounts) {
        json entry = {{"account", f.account},
                      {"backend", f.backend},
                      {"server", f.server},
                      {"user", f.user},
                      {"remembered", f.remembered}};
        if (!f.kdf.is_null()) {
            entry["kdf"] = f.kdf;
        }
        if (f.last_sync) {
            entry["lastSync"] = *f.last_sync;
        }
        list.push_back(std::move(entry));
    }
    return json{{"version", kVersion}, {"accounts", std::move(list)}}.dump(2) + "\n";
}

// Backends and the account list each hold a store; the file is read, changed and
// replaced under one lock so that no writer drops another's change.
static std::mutex& file_mutex() {
    static std::mutex mu;
    return mu;
}

AccountFactsStore::AccountFactsStore(const std::filesystem::path& state_dir) : path_(state_dir / kFile) {}

Result<std::vector<AccountFacts>> AccountFactsStore::load() const {
    const std::lock_guard lock(file_mutex());
    return load_locked();
}

Result<std::vector<AccountFacts>> AccountFactsStore::load_locked() const {
    auto text = read_file_bounded(path_, kMaxFactsFileBytes);
    if (!text) {
        if (text.error().code == ErrorCode::NotFound) {
            return std::vector<AccountFacts>{};
        }
        if (text.error().code == ErrorCode::TooLarge) {
            return bad("it is larger than 1 MiB");
        }
        return std::unexpected(text.error());
    }
    return parse_account_facts(*text);
}

Result<void> AccountFactsStore::put(const AccountFacts& facts) {
    const std::lock_guard lock(file_mutex());
    return put_locked(facts);
}

Result<void> AccountFactsStore::put_locked(const AccountFacts& facts) {
    if (facts.account.empty() || facts.account.size() > kMaxFactString || facts.backend.size() > kMaxFactString ||
        facts.server.size() > kMaxFactString || facts.user.size() > kMaxFactString) {
        return fail(ErrorCode::BadRequest, "An account id, backend, server or user is empty or too long to keep.");
    }
    auto accounts = load_locked();
    if (!accounts) {
        // A damaged file is replaced by what is known now rather than blocking every login.
        accounts = std::vector<AccountFacts>{};
    }
    auto it = std::find_if(accounts->begin(), accounts->end(),
                           [&](const AccountFacts& f) { return f.account == facts.account; });
    if (it != accounts->end()) {
        AccountFacts merged = facts;
        if (merged.kdf.is_null()) {
            merged.kdf = std::move(it->kdf);
        }
        if (!merged.last_sync) {
            merged.last_sync = it->last_sync;
        }
        *it = std::move(merged);
    } else {
        if (accounts->size() >= kMaxAccounts) {
            return fail(ErrorCode::TooLarge, "The host keeps at most 256 accounts; sign out of one first.");
        }
        accounts->push_back(facts);
    }
    return write_file_atomic(path_, serialize_account_facts(*accounts));
}

Result<json> AccountFactsStore::kdf(std::string_view account) const {
    const std::lock_guard lock(file_mutex());
    auto accounts = load_locked();
    if (!accounts) {
        return std::unexpected(accounts.error());
    }
    for (const AccountFacts& f : *accounts) {
        if (f.account == account) {
            return f.kdf;
        }
    }
    return json(nullptr);
}

Result<void> AccountFactsStore::put_kdf(const AccountFacts& facts, const json& kdf) {
    const std::lock_guard lock(file_mutex());
    AccountFacts updated = facts;
    if (auto accounts = load_locked(); accounts) {
        for (const AccountFacts& f : *accounts) {
            if (f.account == facts.account) {
                updated = f;
            }
        }
    }
    updated.kdf = kdf;
    return put_locked(updated);
}

Result<void> AccountFactsStore::put_last_sync(std::string_view account, std::int64_t when) {
    const std::lock_guard lock(file_mutex());
    auto accounts = load_locked();
    if (!accounts) {
        return std::unexpected(accounts.error());
    }
    for (AccountFacts& f : *accounts) {
        if (f.account == account) {
            f.last_sync = when;
            return write_file_atomic(path_, serialize_account_facts(*accounts));
        }
    }
    return {};
}

Result<void> AccountFactsStore::erase(std::string_view account) {
    const std::lock_guard lock(file_mutex());
    auto accounts = load_locked();
    if (!accounts) {
        accounts = std::vector<AccountFacts>{};
    }
    const auto before = accounts->size();
    std::erase_if(*accounts, [&](const AccountFacts& f) { return f.account == account; });
    if (accounts->size() == before && std::filesystem::exists(path_)) {
        return {};
    }
    return write_file_atomic(path_, serialize_account_facts(*accounts));
}

Result<void> AccountFactsStore::forget_sign_in(std::string_view account) {
    const std::lock_guard lock(file_mutex());
    auto accounts = load_locked();
    if (!accounts) {
        accounts = std::vector<AccountFacts>{};
    }
    const auto it = std::find_if(accounts->begin(), accounts->end(),
                                 [&](const AccountFacts& f) { return f.account == account; });
    if (it == accounts->end()) {
        return {};
    }
    if (it->kdf.is_null()) {
        accounts->erase(it);
    } else {
        it->remembered = false;
    }
    return write_file_atomic(path_, serialize_account_facts(*accounts));
}

}  // namespace pah::store
