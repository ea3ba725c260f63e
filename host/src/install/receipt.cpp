// SPDX-License-Identifier: MIT
#include "install/receipt.hpp"

#include <nlohmann/json.hpp>

#include "install/installer.hpp"
#include "io/files.hpp"
#include "text/json_reader.hpp"

namespace pah::install {

namespace fs = std::filesystem;
using nlohmann::json;

Result<Receipt> load_receipt(const fs::path& path) {
    Receipt receipt;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        return receipt;
    }
    auto text = io::read_file(path, kMaxReceiptBytes);
    json doc = text ? pah::text::parse_json(*text) : json();
    const auto broken = [&] {
        return fail(ErrorCode::BadFormat,
                    "the install receipt " + path.string() +
                        " is unreadable; fix or delete it, then remove the manifests by hand");
    };
    if (!doc.is_object() || !doc.contains("files") || !doc["files"].is_array()) {
        return broken();
    }
    for (const auto& item : doc["files"]) {
        if (!item.is_object() || !item.contains("path") || !item["path"].is_string() ||
            !item.contains("sha256") || !item["sha256"].is_string() || !item.contains("browsers") ||
            !item["browsers"].is_array()) {
            return broken();
        }
        ReceiptEntry entry{item["path"].get<std::string>(), item["sha256"].get<std::string>(), {}};
        for (const auto& name : item["browsers"]) {
            if (!name.is_string()) {
                return broken();
            }
            entry.browsers.push_back(name.get<std::string>());
        }
        receipt.files.push_back(std::move(entry));
    }
    if (auto dirs = doc.find("dirs"); dirs != doc.end()) {
        if (!dirs->is_array()) {
            return broken();
        }
        for (const auto& dir : *dirs) {
            if (!dir.is_string()) {
                return broken();
            }
            receipt.dirs.emplace_back(dir.get<std::string>());
        }
    }
    return receipt;
}

Result<void> save_receipt(const fs::path& path, const Receipt& receipt, Scope scope) {
    std::error_code ec;
    if (receipt.files.empty()) {
        fs::remove(path, ec);
        return {};
    }
    json doc = {
        {"version", 1}, {"scope", scope_name(scope)}, {"files", json::array()}, {"dirs", json::array()}};
    for (const auto& entry : receipt.files) {
        doc["files"].push_back(
            {{"path", entry.path.string()}, {"sha256", entry.sha256}, {"browsers", entry.browsers}});
    }
    for (const auto& dir : receipt.dirs) {
        doc["dirs"].push_back(dir.string());
    }
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
        return fail(ErrorCode::Internal,
                    "cannot create " + path.parent_path().string() + ": " + ec.message());
    }
    constexpr auto kMode =
        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
    if (const auto written = io::write_file_atomic(path, doc.dump(2) + "\n", kMode)) {
        return fail(ErrorCode::Internal, "cannot write " + path.string() + ": " + written.message());
    }
    return {};
}

fs::path receipt_path(const Environment& env, Scope scope) {
    if (scope == Scope::User) {
        return env.state_home / "passagent-host" / "install-receipt.json";
    }
    const fs::path base = env.root.empty() ? fs::path("/") : env.root;
    return base / "var" / "lib" / "passagent-host" / "install-receipt.json";
}

}  // namespace pah::install
