// SPDX-License-Identifier: MIT
// The share-view journal as a crash may leave it (torn lines, junk, duplicates): the
// loader never throws, and what it keeps pending is whole records, each once.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "app/share_view_queue.hpp"
#include "fuzz.hpp"

using pah::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = pah::fuzz::as_text(data, size);
    const auto journal = pah::ShareViewQueue::read_journal(text);
    std::set<std::string> ids;
    for (const auto& record : journal.pending) {
        check(ids.insert(record.id).second);
    }
    check(journal.skipped == 0 || journal.needs_rewrite);
    return 0;
}
