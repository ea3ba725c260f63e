// SPDX-License-Identifier: MIT
// The vault-copy loader the host uses (store::parse_vault_copy_each, with the format's
// size and nesting bounds) over arbitrary bytes. The first byte picks whether the trailing
// BLAKE2b-256 is recomputed first, so that the fuzzer gets past the checksum into the
// parser proper, and whether the copy must be the sample account's (refused before any
// record is handed on when it is not). Every record is handed on as views inside the
// input, within the bounds; whatever parses must write back through the host's writer
// to exactly the same bytes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz.hpp"
#include "store/vault_copy.hpp"
#include "support/vault_copy_records.hpp"

namespace {

bool inside(std::string_view part, std::string_view whole) {
    return part.empty() ||
           (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    pah::fuzz::need_sodium();
    std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1) != 0 && bytes.size() >= 32) {
        std::array<unsigned char, 32> h{};
        crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                           bytes.size() - 32, nullptr, 0);
        bytes.replace(bytes.size() - 32, 32, reinterpret_cast<const char*>(h.data()), h.size());
    }
    const std::optional<std::string_view> account =
        (data[0] & 2) != 0 ? std::optional<std::string_view>("fuzz-account") : std::nullopt;

    pah::testing::OwnedCopy copy;
    auto header = pah::store::parse_vault_copy_each(
        bytes,
        [&](const pah::store::CopyRecordView& record) {
            pah::fuzz::check(inside(record.id, bytes) && inside(record.updated_at, bytes));
            pah::fuzz::check(record.id.size() <= pah::store::kMaxCopyId &&
                             record.updated_at.size() <= pah::store::kMaxCopyId &&
                             record.fields.size() <= pah::store::kMaxCopyFields);
            for (const std::string_view field : record.fields) {
                pah::fuzz::check(inside(field, bytes) && field.size() <= pah::store::kMaxCopyBlob);
            }
            copy.records.push_back(pah::testing::OwnedCopyRecord{
                std::string(record.id), std::string(record.updated_at), record.kind,
                std::vector<std::string>(record.fields.begin(), record.fields.end())});
        },
        account);
    if (!header) {
        pah::fuzz::check(!header.error().message.empty());
        return 0;
    }
    pah::fuzz::check(!account || header->account == *account);
    copy.header = std::move(*header);
    auto again = pah::testing::write_owned_copy(copy);
    pah::fuzz::check(again && *again == bytes);
    return 0;
}
