// SPDX-License-Identifier: MIT
// Passman's reply parsers over arbitrary bytes (what a hostile or broken Nextcloud can
// send): no crash, no exception, and what comes out keeps the parsers' promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/passman/wire.hpp"
#include "fuzz.hpp"

using namespace pah::passman;

namespace {

bool usable(std::string_view guid) {
    if (guid.empty() || guid.size() > kMaxGuidBytes) {
        return false;
    }
    for (const char c : guid) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = pah::fuzz::as_text(data, size);
    if (const auto vaults = parse_vault_list(body)) {
        if (vaults->size() > kMaxVaults) {
            __builtin_trap();
        }
        for (const auto& vault : *vaults) {
            if (!usable(vault.guid)) {
                __builtin_trap();
            }
        }
    }
    if (const auto vault = parse_vault(body)) {
        if (!usable(vault->guid) || vault->credentials.size() > kMaxCredentials) {
            __builtin_trap();
        }
        for (const auto& credential : vault->credentials) {
            if (!usable(credential.guid)) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
