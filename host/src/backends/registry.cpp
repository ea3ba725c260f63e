// SPDX-License-Identifier: MIT
#include "backends/registry.hpp"

#include "backends/passagent/backend.hpp"
#include "backends/passman/backend.hpp"
#include "backends/passwork/backend.hpp"

namespace pah {

std::vector<BackendKind> backend_kinds(const BackendPush& push) {
    // One request pacer per PassAgent server, whichever account signs in to it.
    auto pacers = std::make_shared<http::PacerRegistry>();
    return {
        {"passagent",
         [push, pacers](const Config& config) -> std::unique_ptr<Backend> {
             auto options = passagent::options_from_config(config, push);
             options.pacers = pacers;
             return std::make_unique<passagent::PassAgentBackend>(std::move(options));
         }},
        {"passman",
         [push](const Config& config) -> std::unique_ptr<Backend> {
             return std::make_unique<passman::PassmanBackend>(passman::options_from_config(config, push));
         }},
        {"passwork",
         [push](const Config& config) -> std::unique_ptr<Backend> {
             return std::make_unique<passwork::PassworkBackend>(passwork::options_from_config(config, push));
         }},
    };
}

}  // namespace pah
