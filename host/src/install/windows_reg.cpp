// SPDX-License-Identifier: MIT
// The Windows side of install: a .reg file, since the registry is not ours to write here.
#include <set>
#include <string>

#include "config/defaults.hpp"
#include "install/installer.hpp"

namespace pah::install {

std::string windows_reg_file(const InstallOptions& options, const std::vector<const Browser*>& selected,
                             bool remove) {
    const auto reg_escape = [](std::string_view text) {
        std::string out;
        for (char c : text) {
            if (c == '\\' || c == '"') {
                out.push_back('\\');
            }
            out.push_back(c);
        }
        return out;
    };
    std::string out = "Windows Registry Editor Version 5.00\r\n";
    std::set<std::string> keys;
    for (const Browser* browser : selected) {
        const std::string key = registry_key(*browser, options.scope);
        if (key.empty() || !keys.insert(key).second) {
            continue;
        }
        out += "\r\n";
        if (remove) {
            out += "[-" + key + "]\r\n";
            continue;
        }
        std::string manifest = options.windows_dir;
        if (!manifest.empty() && manifest.back() != '\\') {
            manifest += '\\';
        }
        manifest += std::string(defaults::kHostName) + "." +
                    (browser->family == Family::Chromium ? "chromium" : "firefox") + ".json";
        out += "[" + key + "]\r\n@=\"" + reg_escape(manifest) + "\"\r\n";
    }
    return out;
}

}  // namespace pah::install
