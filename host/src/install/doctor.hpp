// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "install/browsers.hpp"

namespace pah::install {

// Why a browser will not start the host. Each has its own one-line reason and fix.
enum class Problem {
    ManifestMissing,
    WrongFileName,
    InvalidJson,
    WrongName,
    WrongType,
    RelativePath,
    MissingPath,
    MissingBinary,
    NotExecutable,
    NotRunnable,  // neither a native binary nor a script with a shebang
    ExtensionNotAllowed,
    Sandboxed,
};

std::string_view problem_name(Problem problem);

struct Finding {
    Problem problem;
    std::string reason;  // what is wrong, with the file or value it is about
    std::string fix;     // what to run or change
};

// One browser (or one of its Flatpak / Snap packagings).
struct Diagnosis {
    const Browser* browser = nullptr;
    std::optional<SandboxKind> sandbox;   // set for a confined packaging
    std::filesystem::path manifest;       // the file the browser would read ("" if none)
    std::vector<Finding> findings;        // empty: the host will start
    [[nodiscard]] bool ok() const { return findings.empty(); }
};

struct DoctorOptions {
    std::vector<std::string> browsers;  // empty: those found (installed, or with a manifest)
    std::optional<Scope> scope;         // only user or only system locations; none: both
    std::vector<std::string> allowed_origins;
    std::vector<std::string> allowed_extensions;
    Environment env;
    Os os = current_os();
};

// Checks one manifest file as the browser would read it.
std::vector<Finding> check_manifest(const std::filesystem::path& path, Family family,
                                    const DoctorOptions& options);

// Checks every selected browser. Error only for an unknown --browser name.
std::optional<std::vector<Diagnosis>> diagnose(const DoctorOptions& options, std::string* error);

}  // namespace pah::install
