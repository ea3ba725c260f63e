// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.hpp"
#include "config/config.hpp"

namespace pah {

// Where a backend sends pushes that no request asked for ("session-expired").
using BackendPush = std::function<void(std::string_view event, nlohmann::json data)>;
using BackendFactory = std::function<std::unique_ptr<Backend>(const Config&)>;

struct BackendKind {
    std::string_view name;  // session.login's params.backend
    BackendFactory make;
};

// Every backend this build has (passagent, passman, passwork).
std::vector<BackendKind> backend_kinds(const BackendPush& push = {});

}  // namespace pah
