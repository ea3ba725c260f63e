// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pah {

struct Config {
    std::vector<std::string> allowed_origins;     // chrome-extension://<id>/
    std::vector<std::string> allowed_extensions;  // Firefox add-on ids
    double auto_lock_minutes = 15;                // 0 = never; fractions allowed
    double sync_minutes = 5;                      // re-sync while unlocked; 0 = never; fractions allowed
    std::optional<std::string> server;            // PassAgent origin
    std::optional<std::string> auth_url;          // Supabase origin (default: server)
    std::optional<std::string> anon_key;
    std::optional<std::string> log_level;
    std::size_t max_frame_bytes = 1'048'576;
    std::filesystem::path state_dir;
    std::filesystem::path source;  // the file read, empty if none
    std::optional<std::string> error;  // why the file was not used, for `hello`
    nlohmann::json raw = nlohmann::json::object();  // the whole file, for backend sections
};

// $PASSAGENT_HOST_CONFIG, else $XDG_CONFIG_HOME/passagent-host/config.json, else
// ~/.config/passagent-host/config.json.
std::filesystem::path default_config_path();
// $XDG_STATE_HOME/passagent-host, else ~/.local/state/passagent-host.
std::filesystem::path default_state_dir();

// Reads the config file. A missing file gives the defaults; a broken one gives the
// defaults plus `error` saying what is wrong. Never throws.
Config load_config();
Config load_config_from(const std::filesystem::path& path);
// Applies the JSON text to the defaults (the testable core of load_config_from).
Config parse_config(std::string_view text);

}  // namespace pah
