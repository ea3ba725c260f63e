// SPDX-License-Identifier: MIT
#pragma once

// Passwork's legacy API (api3) replies in checked shapes. Pure: no network, no keys.
// Encrypted values are kept as the server sent them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/error.hpp"

namespace pah::passwork {

inline constexpr std::size_t kMaxGroups = 1000;
inline constexpr std::size_t kMaxFolders = 10'000;     // per vault, all levels
inline constexpr std::size_t kMaxFolderDepth = 32;
inline constexpr std::size_t kMaxPasswords = 100'000;  // per listing
inline constexpr std::size_t kMaxCustomFields = 100;   // per password
inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxSessionCodeBytes = 1024;

// {response, errorCode, errorMessage}: the `response` value, or the error that
// `response: false` means. errorCode "expired" is NOT_LOGGED_IN, "ban" FORBIDDEN,
// "notFound" NOT_FOUND, anything else SERVER (the error's extra has "errorCode").
// A body that is not such an envelope is BAD_FORMAT.
Result<nlohmann::json> parse_reply(std::string_view body);

struct SessionReply {
    std::string code;  // the session code
    std::string hash;  // lower-case hex sha256 (64) or md5 (32) of the master password; "" without one
};
Result<SessionReply> parse_session(const nlohmann::json& response);

struct Group {
    std::string id;
    std::string name;
    bool domain = false;           // scope "domain": an organisation vault
    std::string password_crypted;  // the vault password, encrypted
    std::string domain_master;     // organisation vaults: the domain password, encrypted
    std::vector<std::string> folders;  // every folder id, all levels, parents first
};
// getGroups. Vaults without a usable id are left out; a folder tree deeper than
// kMaxFolderDepth or larger than kMaxFolders is BAD_FORMAT.
Result<std::vector<Group>> parse_groups(const nlohmann::json& response);

struct CustomField {
    std::string name;   // encrypted
    std::string value;  // encrypted
    std::string type;   // plain ("text", "password", "totp", ...)
};

struct RawPassword {
    std::string id;
    std::string name;
    std::string login;
    std::string url;
    std::string description;
    std::string crypted_password;
    std::vector<CustomField> custom;
};

struct PasswordList {
    std::vector<RawPassword> passwords;
    std::size_t malformed = 0;  // entries without an id or with fields of the wrong type
};
// getPasswords.
Result<PasswordList> parse_passwords(const nlohmann::json& response);

}  // namespace pah::passwork
