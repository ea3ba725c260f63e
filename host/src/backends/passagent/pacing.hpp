// SPDX-License-Identifier: MIT
#pragma once

// Which of PassAgent's rate limits (seed 001, seed 000) a request to /api counts
// against: the category http::RequestPacer paces it in.

#include <string_view>

namespace pah::passagent {

// `path` is relative to /api, with or without its query ("/passwords/abc?x=1").
// "reveal": GET /passwords/{id} and GET /passwords/{id}/totp/code; "shareCreate": POST
// /sharing; "sharing": the other /sharing routes; "sessionShareCreate": POST
// /session-shares; "twofaEnroll": POST /2fa/enroll; everything else "general".
std::string_view pace_category(std::string_view method, std::string_view path) noexcept;

}  // namespace pah::passagent
