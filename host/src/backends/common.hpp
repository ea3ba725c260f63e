// SPDX-License-Identifier: MIT
#pragma once

// Helpers every backend may use: the config's server default, the login parameters,
// reading replies. The state of one sign-in with one open vault is SessionBackend
// (session_backend.hpp).

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "backends/session_backend.hpp"
#include "config/config.hpp"
#include "http/client.hpp"
#include "totp/otpauth.hpp"

namespace pah {

// Config "<section>": {"server": "..."}: the default for session.login's server.
std::optional<std::string> configured_server(const Config& config, std::string_view section);

// The options of a backend with one server and nothing else to configure (Passman,
// Passwork).
struct ServerBackendOptions {
    // Default for session.login's server (config "<section>": {"server": ...}).
    std::optional<std::string> server;
    http::ClientOptions http;
    EventFn push;  // "session-expired"
};

// Those options from config section `section`.
ServerBackendOptions server_backend_options(const Config& config, std::string_view section, EventFn push);

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

// login()'s first step for a backend of `Api` (Passman, Passwork): the params read with
// `wording` and a client for them, nothing sent yet; the password is wiped once the
// client holds it. Returns the user and the client.
template <class Api>
Result<std::pair<std::string, std::shared_ptr<Api>>> new_login_client(const Params& params,
                                                                      const ServerBackendOptions& options,
                                                                      const LoginWording& wording) {
    auto login = read_login_params(params, options.server, wording);
    if (!login) {
        return std::unexpected(login.error());
    }
    auto created = Api::create(login->server, login->user, login->password.view(), options.http);
    login->password.reset();
    if (!created) {
        return std::unexpected(created.error());
    }
    return std::pair{std::move(login->user), std::shared_ptr<Api>(std::move(*created))};
}

// A login's first request answered NOT_FOUND: there is no such API at that server, a
// BAD_REQUEST on field "server". Other errors stay as they are.
Error not_found_is_bad_server(Error error);

// A reply's string member: "" for null or absent; nullopt for any other type.
std::optional<std::string> text_or_empty(const nlohmann::json& object, const char* key);

// A string member of a reply and where it goes.
struct TextField {
    const char* key;
    std::string* target;
};
// Reads each field with text_or_empty; false (and the rest left unread) at the first
// that is neither a string nor null.
bool read_text_fields(const nlohmann::json& object, std::initializer_list<TextField> fields);

// An HTTP status that no backend-specific rule answered: SERVER for 5xx, BAD_FORMAT
// otherwise; `server` names it ("The <server> server failed ...").
Error other_status_error(std::string_view server, long status, nlohmann::json extra);

// A reply's list of `noun`s (a JSON array of at most `max` entries), or the `bad_reply`
// that says "the <noun> list is not an array" or "too many <noun>s".
Result<void> check_reply_list(const nlohmann::json& reply, std::size_t max, std::string_view noun,
                              Error (*bad_reply)(std::string_view what));

// The Ts of a reply's list of `noun`s (checked as check_reply_list does): `read` gets
// each object in it and gives a T, nullopt to skip it, or an error that ends the read.
// Entries that are not objects are skipped.
template <class T, class Read>
Result<std::vector<T>> read_reply_list(const nlohmann::json& reply, std::size_t max, std::string_view noun,
                                       Error (*bad_reply)(std::string_view what), Read read) {
    if (auto list = check_reply_list(reply, max, noun, bad_reply); !list) {
        return std::unexpected(list.error());
    }
    std::vector<T> out;
    out.reserve(reply.size());
    for (const auto& entry : reply) {
        if (!entry.is_object()) {
            continue;
        }
        Result<std::optional<T>> one = read(entry);
        if (!one) {
            return std::unexpected(std::move(one.error()));
        }
        if (one->has_value()) {
            out.push_back(std::move(**one));
        }
    }
    return out;
}

// BAD_FORMAT: an entry of `manager` that does not open with `key` ("the vault key").
Error unreadable_entry(std::string_view manager, std::string_view key);

// An entry's credential: its summary's username and URL, with `password` and `notes`.
Credential credential_of(const ItemSummary& summary, SecretBuffer password, SecretBuffer notes);

// An entry's TOTP secret read by parse_totp_input.
TotpSecret totp_secret_of(OtpAuth parsed);

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
