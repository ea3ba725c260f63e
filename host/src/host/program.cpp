// SPDX-License-Identifier: MIT
#include "host/program.hpp"

#include "actions/actions.hpp"
#include "backends/registry.hpp"

namespace pah {

Program::Program(Config config, ProgramOptions options) : services_(std::move(config)) {
    if (options.backends) {
        // Pushes a backend sends on its own go through Services (match index, idle timer).
        auto push = [this](std::string_view event, nlohmann::json data) {
            services_.backend_push(event, std::move(data));
        };
        for (auto& kind : backend_kinds(push)) {
            services_.accounts().register_backend(std::string(kind.name), std::move(kind.make));
        }
        services_.restore_remembered();
    }
    actions::register_all(dispatcher_, services_);
}

}  // namespace pah
