// SPDX-License-Identifier: MIT
#include "backends/passman/api.hpp"

#include <algorithm>
#include <charconv>

#include <sodium.h>

#include "backends/common.hpp"
#include "backends/server_address.hpp"
#include "crypto/encoding.hpp"
#include "http/url.hpp"
#include "log/log.hpp"

namespace pah::passman {

using nlohmann::json;

namespace {

constexpr std::string_view kApiPath = "/index.php/apps/passman/api/v2";

// "Basic " + base64(user ":" password), built in locked memory.
SecretBuffer basic_authorization(std::string_view username, std::string_view password) {
    SecretBuffer joined(username.size() + 1 + password.size());
    std::copy(username.begin(), username.end(), joined.data());
    joined.data()[username.size()] = ':';
    std::copy(password.begin(), password.end(), joined.data() + username.size() + 1);
    constexpr std::string_view prefix = "Basic ";
    const std::size_t encoded = sodium_base64_ENCODED_LEN(joined.size(), sodium_base64_VARIANT_ORIGINAL);
    SecretBuffer out(prefix.size() + encoded);
    std::copy(prefix.begin(), prefix.end(), out.data());
    sodium_bin2base64(reinterpret_cast<char*>(out.data() + prefix.size()), encoded, joined.data(), joined.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.truncate(prefix.size() + encoded - 1);  // without the terminating NUL
    return out;
}

}  // namespace

Error passman_status_error(long status, const std::string* retry_after) {
    json extra = {{"status", status}};
    switch (status) {
    case 401:
        return {ErrorCode::NotLoggedIn,
                "Nextcloud refused the user name or password. With two-factor sign-in on, use an app "
                "password (Nextcloud: Settings, Security).",
                std::move(extra)};
    case 403:
        return {ErrorCode::Forbidden, "Nextcloud does not let this user use Passman.", std::move(extra)};
    case 404:
        return {ErrorCode::NotFound,
                "There is no Passman API at this address. Check the Nextcloud address and that the "
                "Passman app is enabled.",
                std::move(extra)};
    case 429: {
        std::int64_t seconds = 30;
        if (retry_after != nullptr) {
            std::int64_t value = 0;
            const auto [end, ec] = std::from_chars(retry_after->data(), retry_after->data() + retry_after->size(), value);
            if (ec == std::errc() && value >= 0 && value <= 86'400) {
                seconds = value;
            }
        }
        extra["retryAfter"] = seconds;
        return {ErrorCode::RateLimited,
                "Nextcloud asks to wait " + std::to_string(seconds) + " s before trying again.", std::move(extra)};
    }
    default:
        break;
    }
    return other_status_error("Nextcloud", status, std::move(extra));
}

Result<std::unique_ptr<PassmanApi>> PassmanApi::create(std::string_view server, std::string_view username,
                                                       std::string_view password, http::ClientOptions options) {
    auto normalised = normalise_server_address(server, "/index.php");
    if (!normalised) {
        return std::unexpected(normalised.error());
    }
    if (username.empty() || username.find(':') != std::string_view::npos) {
        return fail(ErrorCode::BadRequest, "Enter your Nextcloud user name (it cannot contain \":\").",
                    {{"field", "username"}});
    }
    return std::unique_ptr<PassmanApi>(
        new PassmanApi(std::move(*normalised), basic_authorization(username, password), std::move(options)));
}

PassmanApi::PassmanApi(std::string server, SecretBuffer authorization, http::ClientOptions options)
    : server_(std::move(server)),
      api_base_(server_ + std::string(kApiPath)),
      authorization_(std::move(authorization)),
      client_(std::make_unique<http::HttpClient>(std::move(options))) {}

PassmanApi::~PassmanApi() = default;

SecretBuffer PassmanApi::password_copy() const {
    constexpr std::string_view prefix = "Basic ";
    const std::string_view header = authorization_.view();
    auto joined = base64_decode_secret(header.substr(std::min(prefix.size(), header.size())));
    if (!joined) {
        return {};
    }
    const std::string_view user_password = joined->view();
    const std::size_t colon = user_password.find(':');  // a user name has none
    return colon == std::string_view::npos ? SecretBuffer{}
                                           : SecretBuffer::copy_of(user_password.substr(colon + 1));
}

Result<std::string> PassmanApi::get(const std::string& path) {
    http::HttpRequest request;
    request.url = api_base_ + path;
    request.headers = {"Accept: application/json", "OCS-APIRequest: true"};
    // Built in place and moved, so that no copy of the credentials is left unwiped.
    std::string authorization;
    authorization.reserve(std::string_view("Authorization: ").size() + authorization_.size());
    authorization.append("Authorization: ").append(authorization_.view());
    request.headers.push_back(std::move(authorization));
    auto response = client_->send(request);  // wipes the header lines
    if (!response) {
        return std::unexpected(response.error());
    }
    if (response->status < 200 || response->status >= 300) {
        log::info("passman", "GET " + path.substr(0, path.find('/', 1)) + " -> HTTP " + std::to_string(response->status));
        return std::unexpected(passman_status_error(response->status, response->header("retry-after")));
    }
    return std::move(response->body);
}

Result<std::vector<VaultInfo>> PassmanApi::vaults() {
    auto body = get("/vaults");
    if (!body) {
        return std::unexpected(body.error());
    }
    return parse_vault_list(*body);
}

Result<VaultContents> PassmanApi::vault(std::string_view guid) {
    auto body = get("/vaults/" + http::percent_encode(guid));
    if (!body) {
        return std::unexpected(body.error());
    }
    return parse_vault(*body);
}

}  // namespace pah::passman
