// SPDX-License-Identifier: MIT
#include "install/manifest.hpp"

#include <array>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "config/defaults.hpp"
#include "manifest_templates.hpp"

namespace pah::install {

namespace {

struct Placeholder {
    std::string_view name;
    std::string value;
};

// One pass, so a value that happens to contain "@PAH_...@" is never expanded again.
std::string substitute(std::string_view text, const std::vector<Placeholder>& values) {
    std::string out;
    out.reserve(text.size() + 256);
    while (!text.empty()) {
        const auto at = text.find('@');
        out.append(text.substr(0, at));
        if (at == std::string_view::npos) {
            break;
        }
        text.remove_prefix(at);
        bool matched = false;
        for (const auto& placeholder : values) {
            if (text.starts_with(placeholder.name)) {
                out.append(placeholder.value);
                text.remove_prefix(placeholder.name.size());
                matched = true;
                break;
            }
        }
        if (!matched) {
            out.push_back('@');
            text.remove_prefix(1);
        }
    }
    return out;
}

// A JSON string literal without its quotes (the templates hold the quotes).
std::string json_inner(std::string_view value) {
    const std::string quoted = nlohmann::json(std::string(value)).dump();
    return quoted.substr(1, quoted.size() - 2);
}

}  // namespace

std::string manifest_file_name() {
    return std::string(defaults::kHostName) + ".json";
}

std::string render_manifest(Family family, std::string_view host_path,
                            const std::vector<std::string>& allowed) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& id : allowed) {
        list.push_back(id);
    }
    return substitute(family == Family::Chromium ? k_chromium_template : k_firefox_template,
                      {{"@PAH_ALLOWED@", list.dump()},
                       {"@PAH_HOST_NAME@", json_inner(defaults::kHostName)},
                       {"@PAH_HOST_PATH@", json_inner(host_path)}});
}

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(data.data()),
                       data.size());
    std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

}  // namespace pah::install
