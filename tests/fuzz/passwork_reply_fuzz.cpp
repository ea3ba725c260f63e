// SPDX-License-Identifier: MIT
// Passwork's reply parsers over arbitrary bytes (what a hostile or broken server can
// send): no crash, no exception, no unbounded recursion, and the limits hold.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/passwork/wire.hpp"
#include "fuzz.hpp"

using namespace pah::passwork;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = pah::fuzz::as_text(data, size);
    auto response = parse_reply(body);
    if (!response) {
        return 0;
    }
    if (const auto session = parse_session(*response)) {
        if (session->code.empty() || session->code.size() > kMaxSessionCodeBytes ||
            !(session->hash.empty() || session->hash.size() == 32 || session->hash.size() == 64)) {
            __builtin_trap();
        }
    }
    if (const auto groups = parse_groups(*response)) {
        if (groups->size() > kMaxGroups) {
            __builtin_trap();
        }
        for (const auto& group : *groups) {
            if (group.id.empty() || group.id.size() > kMaxIdBytes || group.folders.size() > kMaxFolders) {
                __builtin_trap();
            }
        }
    }
    if (const auto list = parse_passwords(*response)) {
        for (const auto& password : list->passwords) {
            if (password.id.empty() || password.id.size() > kMaxIdBytes ||
                password.custom.size() > kMaxCustomFields) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
