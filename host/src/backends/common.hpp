// SPDX-License-Identifier: MIT
#pragma once

// Helpers every backend may use: the config's server default, the login parameters,
// reading replies. The state of one sign-in with one open vault is SessionBackend
// (session_backend.hpp).

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "backends/session_backend.hpp"
#include "config/config.hpp"

namespace pah {

// Config "<section>": {"server": "..."}: the default for session.login's server.
std::optional<std::string> configured_server(const Config& config, std::string_view section);

struct LoginParams {
    std::string server;
    std::string user;
    SecretBuffer password;
};

// How a backend asks for what login() is missing.
struct LoginWording {
    std::string_view no_server;         // BAD_REQUEST, field "server"
    std::string_view user_field;        // read first, and the field named when it is missing
    std::string_view other_user_field;  // read when user_field is absent
    std::string_view no_user;           // BAD_REQUEST, field user_field
};

// {server (else `default_server`), user_field|other_user_field, password}, checked in
// that order.
Result<LoginParams> read_login_params(const Params& params, const std::optional<std::string>& default_server,
                                      const LoginWording& wording);

// A reply's string member: "" for null or absent; nullopt for any other type.
std::optional<std::string> text_or_empty(const nlohmann::json& object, const char* key);

// An HTTP status that no backend-specific rule answered: SERVER for 5xx, BAD_FORMAT
// otherwise; `server` names it ("The <server> server failed ...").
Error other_status_error(std::string_view server, long status, nlohmann::json extra);

// The summaries of an open vault's records (a map id -> record with a `summary`), by name.
template <class Records>
std::shared_ptr<ItemList> sorted_summaries(const Records& records) {
    auto list = std::make_shared<ItemList>();
    list->reserve(records.size());
    for (const auto& [id, record] : records) {
        list->push_back(record.summary);
    }
    std::sort(list->begin(), list->end(), [](const ItemSummary& a, const ItemSummary& b) { return a.name < b.name; });
    return list;
}

// The last "sync" progress event: the sync is complete.
void report_sync_complete(const Progress& progress, std::size_t done, std::size_t total, std::size_t items,
                          std::size_t skipped);

}  // namespace pah
