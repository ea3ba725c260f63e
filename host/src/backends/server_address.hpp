// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "protocol/error.hpp"

namespace pah {

// A password manager's address as the user typed it, made canonical for API URLs and
// account ids: "https://Cloud.Example.com/nextcloud/index.php/" with `drop_suffix`
// "/index.php" becomes "https://cloud.example.com/nextcloud". Sub-paths are kept; a
// query is refused; https, or http to a loopback address only (http::check_transport).
// Errors are BAD_REQUEST with field "server".
Result<std::string> normalise_server_address(std::string_view server, std::string_view drop_suffix);

}  // namespace pah
