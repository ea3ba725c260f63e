// SPDX-License-Identifier: MIT
#pragma once

// A vault copy held whole, for tests and the fuzz target only: read through the host's
// own loader (store::parse_vault_copy_each) and written through its own writer
// (store::VaultCopyWriter), so that a test can build a file, change one record of it, or
// check that what loads writes back to the same bytes. The host never holds a copy so.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/vault_copy.hpp"

namespace pah::testing {

struct OwnedCopyRecord {
    std::string id;
    std::string updated_at;
    std::uint8_t kind = 0;
    std::vector<std::string> fields;

    bool operator==(const OwnedCopyRecord&) const = default;
};

struct OwnedCopy {
    store::VaultCopyHeader header;
    std::vector<OwnedCopyRecord> records;

    bool operator==(const OwnedCopy&) const = default;
};

inline Result<OwnedCopy> read_owned_copy(std::string_view bytes,
                                         std::optional<std::string_view> account = std::nullopt) {
    OwnedCopy out;
    auto header = store::parse_vault_copy_each(
        bytes,
        [&out](const store::CopyRecordView& view) {
            out.records.push_back(
                OwnedCopyRecord{std::string(view.id), std::string(view.updated_at), view.kind,
                                std::vector<std::string>(view.fields.begin(), view.fields.end())});
        },
        account);
    if (!header) {
        return std::unexpected(header.error());
    }
    out.header = std::move(*header);
    return out;
}

inline Result<std::string> write_owned_copy(const OwnedCopy& copy) {
    store::VaultCopyWriter writer(copy.header, copy.records.size());
    std::vector<std::string_view> fields;
    for (const OwnedCopyRecord& r : copy.records) {
        fields.assign(r.fields.begin(), r.fields.end());
        if (auto added = writer.add(r.id, r.updated_at, r.kind, fields); !added) {
            return std::unexpected(added.error());
        }
    }
    return writer.finish();
}

}  // namespace pah::testing
