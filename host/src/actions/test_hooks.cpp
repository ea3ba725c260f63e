// SPDX-License-Identifier: MIT
// TEST BUILDS ONLY (CMake option PAH_TEST_HOOKS; never in a release build):
// test.memoryScan {needles: [hex, ...]} → {counts: [{total, locked}, ...]}, how many
// copies of each byte string are in this host's memory (secure/memory_scan.hpp). The
// needles travel hex-encoded, so the request itself holds no copy of them. Also says
// whether OpenSSL allocates through the wiping allocator (secure/wiping_alloc.hpp).
#include <vector>

#include "actions/actions.hpp"
#include "secure/memory_scan.hpp"
#include "secure/wiping_alloc.hpp"
#include "text/ascii.hpp"

namespace pah::actions {

using nlohmann::json;

namespace {

Result<json> memory_scan(RequestContext& ctx) {
    const json& params = ctx.params().json();
    const auto list = params.find("needles");
    if (list == params.end() || !list->is_array() || list->empty()) {
        return fail(ErrorCode::BadRequest, "params.needles must be a non-empty array of hex strings",
                    {{"field", "needles"}});
    }
    std::vector<SecretBuffer> needles;
    for (const auto& item : *list) {
        const std::string* hex = item.get_ptr<const std::string*>();
        if (hex == nullptr || hex->empty() || hex->size() % 2 != 0) {
            return fail(ErrorCode::BadRequest, "params.needles must be a non-empty array of hex strings",
                        {{"field", "needles"}});
        }
        SecretBuffer needle(hex->size() / 2);
        for (std::size_t i = 0; i < needle.size(); ++i) {
            const int high = text::hex_value((*hex)[2 * i]);
            const int low = text::hex_value((*hex)[(2 * i) + 1]);
            if (high < 0 || low < 0) {
                return fail(ErrorCode::BadRequest, "params.needles must be a non-empty array of hex strings",
                            {{"field", "needles"}});
            }
            needle.data()[i] = static_cast<std::uint8_t>((high << 4) | low);
        }
        needles.push_back(std::move(needle));
    }
    json counts = json::array();
    for (const MemoryScanCount& count : scan_own_memory(needles)) {
        counts.push_back({{"total", count.total}, {"locked", count.locked}});
    }
    // Whether OpenSSL's own memory (TLS record buffers, key schedules) is wiped when freed.
    return json{{"counts", std::move(counts)}, {"opensslWiping", secure::openssl_allocator_installed()}};
}

}  // namespace

void register_test_hooks(Dispatcher& dispatcher, Services& /*services*/) {
    if (!test_hooks_built()) {
        return;
    }
    dispatcher.add("test.memoryScan", {.handler = memory_scan, .run_on = RunOn::Reader});
}

}  // namespace pah::actions
