// SPDX-License-Identifier: MIT
#include "backends/registry.hpp"

#include "backends/passagent/backend.hpp"
#include "backends/passman/backend.hpp"
#include "backends/passwork/backend.hpp"

namespace pah {

void register_backends(AccountManager& accounts, BackendPush push) {
    accounts.register_backend("passagent", [push](const Config& config) -> std::unique_ptr<Backend> {
        return std::make_unique<passagent::PassAgentBackend>(passagent::options_from_config(config, push));
    });
    accounts.register_backend("passman", [push](const Config& config) -> std::unique_ptr<Backend> {
        return std::make_unique<passman::PassmanBackend>(passman::options_from_config(config, push));
    });
    accounts.register_backend("passwork", [push](const Config& config) -> std::unique_ptr<Backend> {
        return std::make_unique<passwork::PassworkBackend>(passwork::options_from_config(config, push));
    });
}

}  // namespace pah
