// SPDX-License-Identifier: MIT
#include "install/installer.hpp"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <system_error>
#include <utility>

#include <nlohmann/json.hpp>

#include "config/defaults.hpp"
#include "install/manifest.hpp"
#include "install/receipt.hpp"
#include "io/files.hpp"

namespace pah::install {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Writes through a temporary file and a rename, so a browser never reads half a file.
Result<void> write_file(const fs::path& path, std::string_view content) {
    constexpr auto kMode =
        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read;
    if (const auto ec = io::write_file_atomic(path, content, kMode)) {
        return fail(ErrorCode::Internal, "cannot write " + path.string() + ": " + ec.message());
    }
    return {};
}

// Creates dir and its missing parents; appends the ones it created, outermost first.
Result<void> make_dirs(const fs::path& dir, std::vector<fs::path>* created) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path at = dir; !at.empty() && !fs::exists(at, ec); at = at.parent_path()) {
        missing.push_back(at);
        if (at == at.parent_path()) {
            break;
        }
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (!fs::create_directory(*it, ec) && ec) {
            return fail(ErrorCode::Internal, "cannot create " + it->string() + ": " + ec.message());
        }
        created->push_back(*it);
    }
    return {};
}

bool contains(const std::vector<std::string>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool is_under(const fs::path& path, const fs::path& dir) {
    auto [end, _] = std::mismatch(dir.begin(), dir.end(), path.begin(), path.end());
    return end == dir.end();
}

Result<void> check_may_write_system(const InstallOptions& options) {
    if (options.scope == Scope::System && options.env.root.empty() && ::geteuid() != 0) {
        return fail(ErrorCode::Forbidden,
                    "--system writes to /etc and /usr/lib, which needs root: run it with sudo "
                    "(or install for your user only, without --system)");
    }
    return {};
}

}  // namespace

Result<std::vector<const Browser*>> select_browsers(const std::vector<std::string>& names,
                                                    const Environment& env) {
    std::vector<const Browser*> selected;
    const auto add = [&](const Browser* browser) {
        if (std::find(selected.begin(), selected.end(), browser) == selected.end()) {
            selected.push_back(browser);
        }
    };
    if (names.empty()) {
        for (const auto& browser : browsers()) {
            if (browser_present(browser, env)) {
                add(&browser);
            }
        }
        return selected;
    }
    for (const auto& name : names) {
        if (name == "all") {
            for (const auto& browser : browsers()) {
                add(&browser);
            }
            continue;
        }
        const Browser* browser = find_browser(name);
        if (browser == nullptr) {
            std::string message = "unknown browser \"" + name;
            message += "\"; known: ";
            for (const auto& b : browsers()) {
                message += b.name;
                message += ", ";
            }
            message += "all";
            return fail(ErrorCode::BadRequest, std::move(message));
        }
        add(browser);
    }
    return selected;
}

Result<std::vector<ManifestFile>> plan_install(const InstallOptions& options,
                                               std::vector<std::string>* notes) {
    if (!options.host_path.is_absolute()) {
        return fail(ErrorCode::BadRequest,
                    "the host path must be absolute (browsers start it from any folder): " +
                        options.host_path.string());
    }
    if (options.os == Os::Windows) {
        return fail(ErrorCode::Unsupported,
                    "Windows registers hosts in the registry: use the .reg file (--print-reg)");
    }
    auto selected = select_browsers(options.browsers, options.env);
    if (!selected) {
        return std::unexpected(selected.error());
    }
    std::vector<ManifestFile> files;
    for (const Browser* browser : *selected) {
        const auto dirs = manifest_dirs(*browser, options.os, options.scope, options.env);
        if (dirs.empty()) {
            std::string why = std::string(browser->name) + ": no " + scope_name(options.scope) +
                              " location on this system; skipped";
            if (browser->name == "torbrowser" && options.scope == Scope::User) {
                why += " (Tor Browser bundle not found: pass --tor-dir <unpacked tor-browser folder>)";
            }
            notes->push_back(why);
            continue;
        }
        const fs::path path = dirs.front() / manifest_file_name();
        const auto& allowed = browser->family == Family::Chromium ? options.allowed_origins
                                                                  : options.allowed_extensions;
        std::string content = render_manifest(browser->family, options.host_path.string(), allowed);
        auto same = std::find_if(files.begin(), files.end(),
                                 [&](const ManifestFile& f) { return f.path == path; });
        if (same != files.end()) {
            same->browsers.emplace_back(browser->name);
        } else {
            files.push_back({path, {std::string(browser->name)}, std::move(content)});
        }
    }
    // Confined packagings cannot start a host, wherever its manifest is: say so.
    for (const auto& browser : browsers()) {
        const bool chosen = std::find(selected->begin(), selected->end(), &browser) != selected->end();
        if (!chosen && !options.browsers.empty()) {
            continue;
        }
        for (const Sandbox* sandbox : sandboxes_present(browser, options.env)) {
            notes->push_back(std::string(browser.name) + ": the " +
                             std::string(sandbox_name(sandbox->kind)) + " " +
                             std::string(browser.display) +
                             " cannot start native hosts from its sandbox; "
                             "run `passagent-host doctor` for what to do");
        }
    }
    std::error_code ec;
    if (!fs::exists(options.host_path, ec) &&
        (options.env.root.empty() || !fs::exists(options.env.root / options.host_path.relative_path(), ec))) {
        notes->push_back("note: " + options.host_path.string() +
                         " does not exist yet; browsers will fail to start it until it does");
    }
    return files;
}

Result<InstallReport> install(const InstallOptions& options) {
    InstallReport report;
    auto files = plan_install(options, &report.notes);
    if (!files) {
        return std::unexpected(files.error());
    }
    report.files = std::move(*files);
    if (options.dry_run) {
        return report;
    }
    if (auto allowed = check_may_write_system(options); !allowed) {
        return std::unexpected(allowed.error());
    }
    const fs::path receipt_file = receipt_path(options.env, options.scope);
    Receipt receipt;
    if (options.write_receipt) {
        auto loaded = load_receipt(receipt_file);
        if (!loaded) {
            return std::unexpected(loaded.error());
        }
        receipt = std::move(*loaded);
    }
    for (const auto& file : report.files) {
        if (auto made = make_dirs(file.path.parent_path(), &report.created_dirs); !made) {
            return std::unexpected(made.error());
        }
        auto recorded = std::find_if(receipt.files.begin(), receipt.files.end(),
                                     [&](const ReceiptEntry& e) { return e.path == file.path; });
        std::error_code ec;
        if (recorded == receipt.files.end() && fs::exists(file.path, ec)) {
            report.notes.push_back("replaced " + file.path.string() + " (install did not write it)");
        }
        if (auto written = write_file(file.path, file.content); !written) {
            return std::unexpected(written.error());
        }
        if (recorded == receipt.files.end()) {
            receipt.files.push_back({file.path, sha256_hex(file.content), file.browsers});
        } else {
            recorded->sha256 = sha256_hex(file.content);
            for (const auto& name : file.browsers) {
                if (!contains(recorded->browsers, name)) {
                    recorded->browsers.push_back(name);
                }
            }
        }
    }
    if (options.write_receipt) {
        // The receipt's own folders count too: uninstall leaves no trace of install.
        if (auto made = make_dirs(receipt_file.parent_path(), &report.created_dirs); !made) {
            return std::unexpected(made.error());
        }
        receipt.dirs.insert(receipt.dirs.end(), report.created_dirs.begin(), report.created_dirs.end());
        if (auto saved = save_receipt(receipt_file, receipt, options.scope); !saved) {
            return std::unexpected(saved.error());
        }
        report.receipt = receipt_file;
    }
    return report;
}

Result<UninstallReport> uninstall(const InstallOptions& options) {
    UninstallReport report;
    std::vector<std::string> names;
    if (!options.browsers.empty()) {
        auto selected = select_browsers(options.browsers, options.env);
        if (!selected) {
            return std::unexpected(selected.error());
        }
        for (const Browser* browser : *selected) {
            names.emplace_back(browser->name);
        }
    }
    if (!options.dry_run) {
        if (auto allowed = check_may_write_system(options); !allowed) {
            return std::unexpected(allowed.error());
        }
    }
    const fs::path receipt_file = receipt_path(options.env, options.scope);
    auto loaded = load_receipt(receipt_file);
    if (!loaded) {
        return std::unexpected(loaded.error());
    }
    Receipt receipt = std::move(*loaded);
    std::set<fs::path> recorded_paths;
    for (const auto& entry : receipt.files) {
        recorded_paths.insert(entry.path);
    }

    std::vector<ReceiptEntry> remaining;
    for (auto& entry : receipt.files) {
        const auto before = entry.browsers.size();
        if (names.empty()) {
            entry.browsers.clear();
        } else {
            std::erase_if(entry.browsers, [&](const std::string& b) { return contains(names, b); });
        }
        if (entry.browsers.size() == before) {
            remaining.push_back(std::move(entry));
            continue;
        }
        if (!entry.browsers.empty()) {
            report.notes.push_back("kept " + entry.path.string() + ": still used by " +
                                   entry.browsers.front());
            remaining.push_back(std::move(entry));
            continue;
        }
        std::error_code ec;
        if (!fs::exists(entry.path, ec)) {
            report.notes.push_back(entry.path.string() + " was already gone");
            continue;
        }
        auto text = io::read_file(entry.path, kMaxReceiptBytes);
        if ((!text || sha256_hex(*text) != entry.sha256) && !options.force) {
            report.kept.push_back(entry.path);
            report.notes.push_back("left " + entry.path.string() +
                                   ": it changed since install wrote it; delete it by hand if "
                                   "you no longer need it, or run uninstall --force");
            remaining.push_back(std::move(entry));
            continue;
        }
        if (!options.dry_run && !fs::remove(entry.path, ec) && ec) {
            return fail(ErrorCode::Internal, "cannot remove " + entry.path.string() + ": " + ec.message());
        }
        report.removed.push_back(entry.path);
    }
    receipt.files = std::move(remaining);
    std::set<fs::path> gone(report.removed.begin(), report.removed.end());
    if (receipt.files.empty()) {
        std::error_code ec;
        if (!options.dry_run) {
            fs::remove(receipt_file, ec);
        }
        gone.insert(receipt_file);
    }

    // Folders install created, deepest first, once nothing else lives in them.
    std::sort(receipt.dirs.begin(), receipt.dirs.end(), [](const fs::path& a, const fs::path& b) {
        return std::distance(a.begin(), a.end()) > std::distance(b.begin(), b.end());
    });
    std::vector<fs::path> kept_dirs;
    for (const auto& dir : receipt.dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            continue;
        }
        const bool still_used = std::any_of(receipt.files.begin(), receipt.files.end(),
                                            [&](const ReceiptEntry& e) { return is_under(e.path, dir); });
        bool empty = true;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
            if (!gone.contains(it->path())) {
                empty = false;
                break;
            }
        }
        if (still_used || !empty || ec) {
            kept_dirs.push_back(dir);
            continue;
        }
        if (!options.dry_run) {
            fs::remove(dir, ec);
        }
        gone.insert(dir);
        report.removed.push_back(dir);
    }
    // With no file left the receipt goes; folders still in use are no longer ours alone.
    receipt.dirs = receipt.files.empty() ? std::vector<fs::path>{} : std::move(kept_dirs);

    // Manifests at the table's places that install never wrote: report, never delete.
    auto selected = select_browsers(names.empty() ? std::vector<std::string>{"all"} : names,
                                    options.env);
    if (selected && options.os != Os::Windows) {
        std::set<fs::path> seen;
        for (const Browser* browser : *selected) {
            for (const auto& dir : manifest_dirs(*browser, options.os, options.scope, options.env)) {
                const fs::path path = dir / manifest_file_name();
                std::error_code ec;
                if (!recorded_paths.contains(path) && seen.insert(path).second &&
                    fs::exists(path, ec)) {
                    report.notes.push_back("left " + path.string() +
                                           ": install did not write it (not in the receipt)");
                }
            }
        }
    }
    if (!options.dry_run) {
        if (auto saved = save_receipt(receipt_file, receipt, options.scope); !saved) {
            return std::unexpected(saved.error());
        }
    }
    return report;
}

}  // namespace pah::install
