// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "install/browsers.hpp"

namespace pah::install {

// "ai.passagent.host.json": the only file name browsers look for.
std::string manifest_file_name();

// Fills the family's template from manifests/: the host path (absolute), and the
// allow-list (chrome-extension://<id>/ origins or Firefox add-on ids).
std::string render_manifest(Family family, std::string_view host_path,
                            const std::vector<std::string>& allowed);

// Lower-case hex SHA-256, for the install receipt.
std::string sha256_hex(std::string_view data);

}  // namespace pah::install
