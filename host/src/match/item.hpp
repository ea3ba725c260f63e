// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pah {

struct ShareRef {
    std::string id;          // what shares.logView takes
    std::string permission;  // "read" | "write"
    std::string shared_by{};  // the owner's email when the server names it; may be empty
};

// What the host keeps of an entry while unlocked: never a password. Backends make them,
// matching ranks them; it lives here, in the lower of the two layers.
struct ItemSummary {
    std::string id;
    std::string name;
    std::string username;
    std::string url;      // full URL, may be empty
    std::string website;  // bare host, may be empty
    bool has_totp = false;
    std::optional<ShareRef> share;  // set when the entry came through a received share
    std::string updated_at;         // the server's updated_at, as given; may be empty
};
using ItemList = std::vector<ItemSummary>;

}  // namespace pah
