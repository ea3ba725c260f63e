// SPDX-License-Identifier: MIT
#include "backends/server_address.hpp"

#include "http/url.hpp"

namespace pah {

Result<std::string> normalise_server_address(std::string_view server, std::string_view drop_suffix) {
    std::string text(server);
    while (!text.empty() && (text.back() == '/' || text.back() == ' ')) {
        text.pop_back();
    }
    if (!drop_suffix.empty() && text.ends_with(drop_suffix)) {
        text.resize(text.size() - drop_suffix.size());
    }
    auto parts = http::check_transport(text);
    if (!parts) {
        Error error = parts.error();
        error.extra = {{"field", "server"}};
        return std::unexpected(std::move(error));
    }
    if (!parts->query.empty()) {
        return fail(ErrorCode::BadRequest, "The server address must not have a query (\"?...\").",
                    {{"field", "server"}});
    }
    std::string out = parts->scheme + "://";
    out += parts->host.find(':') != std::string::npos ? "[" + parts->host + "]" : parts->host;
    if (!parts->port.empty()) {
        out += ":" + parts->port;
    }
    if (parts->path != "/") {
        out += parts->path;
        while (out.ends_with('/')) {
            out.pop_back();
        }
    }
    return out;
}

}  // namespace pah
