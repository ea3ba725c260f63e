// SPDX-License-Identifier: MIT
// What the files of a sync share (sync.cpp lists, sync_finish.cpp swaps the result in):
// the state of one run, and the small steps both use. Internal to the PassAgent backend.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "backends/passagent/backend.hpp"
#include "backends/passagent/vault_state.hpp"

namespace pah::passagent {

// What one run_sync has gathered so far.
struct PassAgentBackend::SyncRun {
    std::uint64_t epoch = 0;
    // Readable entries, packed page by page; unpacked into the new snapshot at the end.
    PackedEntries packed;
    std::size_t skipped = 0;
    std::size_t opened = 0;
    std::size_t done = 0;
    bool stale = false;
    SecretBuffer scratch;  // reused for every username opened
    std::string cursor;    // the last own record's id: where a listing would continue
    // Not empty: only the own records created after this id are listed (incremental).
    std::string from_cursor;
    // The vault never completed a sync: entries are shown as they arrive (show_taken).
    bool live = false;
    std::optional<std::chrono::steady_clock::time_point> shown_at;
};

namespace sync_detail {

// The own entries with a TOTP whose configurations a sync fetches (at most `limit`).
inline std::vector<std::string> totp_ids(const ItemList& list, const std::vector<EncryptedRecord>& records,
                                         std::size_t limit) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.size() && i < records.size() && out.size() < limit; ++i) {
        if (list[i].has_totp && records[i].kind() != RecordKind::Shared) {
            out.push_back(list[i].id);
        }
    }
    return out;
}

// The last `sync` progress event of a run: complete, with the vault's entry count.
void report_synced(const Progress& progress, std::size_t done, std::size_t skipped, std::size_t count,
                   bool incremental);

}  // namespace sync_detail

}  // namespace pah::passagent
