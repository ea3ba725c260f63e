// SPDX-License-Identifier: MIT
#include "config/config.hpp"

#include <cstdlib>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

#include "config/defaults.hpp"
#include "io/files.hpp"
#include "text/json_reader.hpp"

namespace pah {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

fs::path home_dir() {
    if (auto home = env("HOME")) {
        return *home;
    }
    return fs::path("/");
}

Config defaults_config() {
    Config config;
    for (auto origin : defaults::kAllowedOrigins) {
        config.allowed_origins.emplace_back(origin);
    }
    for (auto id : defaults::kAllowedExtensions) {
        config.allowed_extensions.emplace_back(id);
    }
    config.state_dir = default_state_dir();
    return config;
}

// Reads an array of strings; false (and a message) if the value has another shape.
bool read_string_list(const json& doc, const char* key, std::vector<std::string>* out,
                      std::string* error) {
    auto it = doc.find(key);
    if (it == doc.end()) {
        return true;
    }
    if (!it->is_array()) {
        *error = std::string("\"") + key + "\" must be a list of strings";
        return false;
    }
    std::vector<std::string> values;
    for (const auto& v : *it) {
        if (!v.is_string()) {
            *error = std::string("\"") + key + "\" must be a list of strings";
            return false;
        }
        values.push_back(v.get<std::string>());
    }
    *out = std::move(values);
    return true;
}

bool read_optional_string(const json& doc, const char* key, std::optional<std::string>* out,
                          std::string* error) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) {
        return true;
    }
    if (!it->is_string()) {
        *error = std::string("\"") + key + "\" must be a string";
        return false;
    }
    *out = it->get<std::string>();
    return true;
}

// Why another user could change the file at `path` (so its allow-list cannot be
// trusted), or nothing. The file and its folder must belong to this user or root and
// be writable by no one else; a sticky folder (/tmp) is fine, since others cannot
// replace a file in it.
std::optional<std::string> writable_by_others(const fs::path& path) {
    const uid_t me = ::geteuid();
    const auto trusted_owner = [me](uid_t owner) { return owner == me || owner == 0; };
    struct stat file {};
    if (::stat(path.c_str(), &file) != 0) {
        return std::nullopt;  // reading it will say what is wrong
    }
    if (!trusted_owner(file.st_uid)) {
        return "the config file " + path.string() + " belongs to another user";
    }
    if ((file.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return "the config file " + path.string() + " is writable by other users (chmod go-w)";
    }
    std::error_code ec;
    const fs::path folder = fs::absolute(path, ec).parent_path();
    struct stat dir {};
    if (ec || ::stat(folder.c_str(), &dir) != 0) {
        return std::nullopt;
    }
    if (!trusted_owner(dir.st_uid)) {
        return "the config folder " + folder.string() + " belongs to another user";
    }
    if ((dir.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (dir.st_mode & S_ISVTX) == 0) {
        return "the config folder " + folder.string() + " is writable by other users (chmod go-w)";
    }
    return std::nullopt;
}

}  // namespace

fs::path default_config_path() {
    if (auto path = env("PASSAGENT_HOST_CONFIG")) {
        return *path;
    }
    if (auto xdg = env("XDG_CONFIG_HOME")) {
        return fs::path(*xdg) / "passagent-host" / "config.json";
    }
    return home_dir() / ".config" / "passagent-host" / "config.json";
}

fs::path default_state_dir() {
    if (auto xdg = env("XDG_STATE_HOME")) {
        return fs::path(*xdg) / "passagent-host";
    }
    return home_dir() / ".local" / "state" / "passagent-host";
}

Config parse_config(std::string_view text) {
    // A file with a fault is ignored whole: the defaults, and the error for hello.
    const auto ignored = [](std::string error) {
        Config config = defaults_config();
        config.error = std::move(error);
        return config;
    };
    json doc = text::read_json(text).value;  // bounded: depth 128
    if (doc.is_discarded()) {
        return ignored("the config file is not valid JSON");
    }
    if (!doc.is_object()) {
        return ignored("the config file must hold a JSON object");
    }
    // Built here, not copied from a defaults kept for the error path: this runs at
    // every start, and a copy of a Config is a dozen allocations (its paths' parts).
    Config parsed = defaults_config();
    std::string error;
    bool ok = read_string_list(doc, "allowedOrigins", &parsed.allowed_origins, &error) &&
              read_string_list(doc, "allowedExtensions", &parsed.allowed_extensions, &error) &&
              read_optional_string(doc, "server", &parsed.server, &error) &&
              read_optional_string(doc, "authUrl", &parsed.auth_url, &error) &&
              read_optional_string(doc, "anonKey", &parsed.anon_key, &error) &&
              read_optional_string(doc, "logLevel", &parsed.log_level, &error);
    if (ok) {
        if (auto it = doc.find("autoLockMinutes"); it != doc.end()) {
            if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 24 * 60) {
                error = "\"autoLockMinutes\" must be a number from 0 (never) to 1440";
                ok = false;
            } else {
                parsed.auto_lock_minutes = it->get<double>();
            }
        }
    }
    if (ok) {
        if (auto it = doc.find("syncMinutes"); it != doc.end()) {
            if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 24 * 60) {
                error = "\"syncMinutes\" must be a number from 0 (never) to 1440";
                ok = false;
            } else {
                parsed.sync_minutes = it->get<double>();
            }
        }
    }
    if (ok) {
        if (auto it = doc.find("maxFrameBytes"); it != doc.end()) {
            if (!it->is_number_integer() || it->get<std::int64_t>() < 1024 ||
                it->get<std::int64_t>() > 64LL * 1024 * 1024) {
                error = "\"maxFrameBytes\" must be a whole number from 1024 to 67108864";
                ok = false;
            } else {
                parsed.max_frame_bytes = it->get<std::size_t>();
            }
        }
    }
    if (ok) {
        std::optional<std::string> state_dir;
        ok = read_optional_string(doc, "stateDir", &state_dir, &error);
        if (ok && state_dir) {
            parsed.state_dir = *state_dir;
        }
    }
    if (!ok) {
        return ignored(std::move(error));
    }
    parsed.raw = std::move(doc);
    return parsed;
}

Config load_config_from(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        Config config = defaults_config();
        if (env("PASSAGENT_HOST_CONFIG")) {
            // Named explicitly, so its absence is worth saying.
            config.error = "the config file " + path.string() + " does not exist";
        }
        return config;
    }
    // Another user who can write the file could widen the allow-list (or point the
    // host at their server): the whole file is ignored, and hello reports why.
    if (auto unsafe = writable_by_others(path)) {
        Config config = defaults_config();
        config.error = *unsafe + "; it is ignored and the defaults are used";
        config.source = path;
        return config;
    }
    // Read without a stream (io::read_file says why): this runs at every start.
    constexpr std::uintmax_t kMaxConfigBytes = std::uintmax_t{1} << 20;
    const std::optional<std::string> text = io::read_file(path, kMaxConfigBytes);
    if (!text) {
        Config config = defaults_config();
        config.error = "the config file " + path.string() + " cannot be read or is larger than 1 MiB";
        return config;
    }
    Config config = parse_config(*text);
    config.source = path;
    if (config.error) {
        *config.error += " (" + path.string() + ")";
    }
    return config;
}

Config load_config() { return load_config_from(default_config_path()); }

}  // namespace pah
