// SPDX-License-Identifier: MIT
// URLs: the API and Supabase Auth bases, paths, listing queries.
#include "backends/passagent/wire.hpp"

#include <algorithm>

#include "backends/passagent/assumptions.hpp"
#include "http/url.hpp"

namespace pah::passagent {

using nlohmann::json;

namespace {

std::string strip_trailing_slashes(std::string_view text) {
    while (!text.empty() && text.back() == '/') {
        text.remove_suffix(1);
    }
    return std::string(text);
}

std::string origin_of(const http::UrlParts& parts) {
    std::string host = parts.host.find(':') != std::string::npos ? "[" + parts.host + "]" : parts.host;
    return parts.scheme + "://" + host + (parts.port.empty() ? "" : ":" + parts.port);
}

}  // namespace

Result<Endpoints> make_endpoints(std::string_view server, std::string_view auth_url) {
    // Facts: base URL https://passagent.ai/api; local development http://localhost:3000/api.
    std::string base = strip_trailing_slashes(server);
    if (base.ends_with("/api")) {
        base.resize(base.size() - 4);
        base = strip_trailing_slashes(base);
    }
    auto parts = http::check_transport(base);
    if (!parts) {
        return std::unexpected(parts.error());
    }
    if (!parts->query.empty()) {
        return fail(ErrorCode::BadRequest, "The PassAgent server address must not have a query (?...).");
    }
    Endpoints out;
    out.api_base = origin_of(*parts) + (parts->path == "/" ? "" : strip_trailing_slashes(parts->path)) + "/api";
    // A1 (assumptions.hpp): Supabase Auth at authUrl, default the same origin.
    std::string auth_origin;
    if (auth_url.empty()) {
        auth_origin = origin_of(*parts);
    } else {
        std::string a = strip_trailing_slashes(auth_url);
        if (a.ends_with(kAuthPath)) {
            a.resize(a.size() - kAuthPath.size());
            a = strip_trailing_slashes(a);
        }
        auto auth_parts = http::check_transport(a);
        if (!auth_parts) {
            return std::unexpected(auth_parts.error());
        }
        if (!auth_parts->query.empty()) {
            return fail(ErrorCode::BadRequest, "The PassAgent sign-in address must not have a query (?...).");
        }
        auth_origin = origin_of(*auth_parts) +
                      (auth_parts->path == "/" ? "" : strip_trailing_slashes(auth_parts->path));
    }
    out.auth_base = auth_origin + std::string(kAuthPath);
    return out;
}

std::string api_url(const Endpoints& endpoints, std::string_view path) {
    std::string out = endpoints.api_base;
    if (!path.starts_with('/')) {
        out.push_back('/');
    }
    out.append(path);
    return out;
}

std::string token_url(const Endpoints& endpoints, std::string_view grant_type) {
    return endpoints.auth_base + "/token?grant_type=" + http::percent_encode(grant_type);
}

std::string logout_url(const Endpoints& endpoints) { return endpoints.auth_base + "/logout"; }

std::string segment(std::string_view id) { return http::percent_encode(id); }

std::string passwords_path(const PageRequest& request) {
    // Facts: seeds ?limit=50&cursor=<last id> (limit max 100); public docs ?page=&limit=.
    std::string out = "/passwords?limit=" + std::to_string(std::clamp(request.limit, 1, 100));
    if (request.page) {
        out += "&page=" + std::to_string(*request.page);
    } else if (request.cursor) {
        out += "&cursor=" + http::percent_encode(*request.cursor);
    }
    return out;
}

}  // namespace pah::passagent
