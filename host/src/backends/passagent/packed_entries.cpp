// SPDX-License-Identifier: MIT
// A sync's entries packed page by page, and the by-id index of the final snapshot.
#include "backends/passagent/records.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace pah::passagent {

using nlohmann::json;

namespace {

// One entry: kind, flags, the record's two sizes, the lengths of the nine strings and of
// the block, then their bytes.
constexpr std::size_t kStrings = 9;
constexpr std::size_t kHeader = 2 + 4 * (2 + kStrings + 1);
constexpr std::uint8_t kHasTotp = 1;
constexpr std::uint8_t kHasShare = 2;

std::array<std::string_view, kStrings> strings_of(const ItemSummary& s) {
    return {s.id,
            s.name,
            s.username,
            s.url,
            s.website,
            s.share ? std::string_view(s.share->id) : std::string_view(),
            s.share ? std::string_view(s.share->permission) : std::string_view(),
            s.updated_at,
            s.share ? std::string_view(s.share->shared_by) : std::string_view()};
}

std::uint8_t* put_u32(std::uint8_t* out, std::size_t value) {
    const auto v = static_cast<std::uint32_t>(value);
    std::memcpy(out, &v, sizeof v);
    return out + sizeof v;
}

std::uint32_t get_u32(const std::uint8_t*& in) {
    std::uint32_t v = 0;
    std::memcpy(&v, in, sizeof v);
    in += sizeof v;
    return v;
}

}  // namespace

std::size_t PackedEntries::add(std::span<const ParsedRecord> entries) {
    constexpr std::size_t kMax = std::numeric_limits<std::uint32_t>::max();
    std::size_t bytes = 0;
    std::size_t dropped = 0;
    std::vector<bool> fits(entries.size(), true);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        std::size_t size = entries[i].sealed.heap_bytes();
        bool ok = size <= kMax && !entries[i].sealed.empty();
        for (const std::string_view text : strings_of(entries[i].summary)) {
            ok = ok && text.size() <= kMax;
            size += text.size();
        }
        if (!ok) {
            fits[i] = false;
            ++dropped;
            continue;
        }
        bytes += kHeader + size;
    }
    if (bytes == 0) {
        return dropped;
    }
    auto page = std::make_unique_for_overwrite<std::uint8_t[]>(bytes);
    std::uint8_t* at = page.get();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!fits[i]) {
            continue;
        }
        const ParsedRecord& entry = entries[i];
        const auto strings = strings_of(entry.summary);
        *at++ = static_cast<std::uint8_t>(entry.sealed.kind());
        *at++ = static_cast<std::uint8_t>((entry.summary.has_totp ? kHasTotp : 0) |
                                          (entry.summary.share ? kHasShare : 0));
        at = put_u32(at, entry.sealed.first_size());
        at = put_u32(at, entry.sealed.second_size());
        for (const std::string_view text : strings) {
            at = put_u32(at, text.size());
        }
        at = put_u32(at, entry.sealed.heap_bytes());
        for (const std::string_view text : strings) {
            at = put_bytes(at, as_bytes(text));
        }
        at = put_bytes(at, entry.sealed.bytes());
        ++count_;
    }
    pages_.push_back(std::move(page));
    page_sizes_.push_back(bytes);
    return dropped;
}

void PackedEntries::unpack_into(ItemList& items, std::vector<EncryptedRecord>& records) {
    items.reserve(items.size() + count_);
    records.reserve(records.size() + count_);
    for (std::size_t p = 0; p < pages_.size(); ++p) {
        const std::uint8_t* at = pages_[p].get();
        const std::uint8_t* const end = at + page_sizes_[p];
        while (at < end) {
            const auto kind = static_cast<RecordKind>(*at++);
            const std::uint8_t flags = *at++;
            const std::uint32_t first_size = get_u32(at);
            const std::uint32_t second_size = get_u32(at);
            std::array<std::uint32_t, kStrings> sizes{};
            for (auto& size : sizes) {
                size = get_u32(at);
            }
            const std::uint32_t block = get_u32(at);
            std::array<std::string_view, kStrings> text;
            for (std::size_t i = 0; i < kStrings; ++i) {
                text[i] = std::string_view(reinterpret_cast<const char*>(at), sizes[i]);
                at += sizes[i];
            }
            ItemSummary summary;
            summary.id = text[0];
            summary.name = text[1];
            summary.username = text[2];
            summary.url = text[3];
            summary.website = text[4];
            summary.updated_at = text[7];
            summary.has_totp = (flags & kHasTotp) != 0;
            if ((flags & kHasShare) != 0) {
                summary.share = ShareRef{std::string(text[5]), std::string(text[6]), std::string(text[8])};
            }
            items.push_back(std::move(summary));
            records.push_back(EncryptedRecord::from_bytes(kind, first_size, second_size, ByteView(at, block)));
            at += block;
        }
        pages_[p].reset();  // each page goes as soon as it is read
    }
    pages_.clear();
    page_sizes_.clear();
    count_ = 0;
}

std::vector<std::uint32_t> index_by_id(ItemList& list, std::vector<EncryptedRecord>& records) {
    std::vector<std::uint32_t> order(list.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = static_cast<std::uint32_t>(i);
    }
    const auto by_id = [&list](std::uint32_t a, std::uint32_t b) { return list[a].id < list[b].id; };
    std::stable_sort(order.begin(), order.end(), by_id);
    std::vector<bool> dropped(list.size(), false);
    bool any = false;
    for (std::size_t i = 1; i < order.size(); ++i) {
        if (list[order[i]].id == list[order[i - 1]].id) {
            dropped[order[i]] = true;  // stable: the earlier position comes first
            any = true;
        }
    }
    if (!any) {
        return order;
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (!dropped[i]) {
            if (kept != i) {
                list[kept] = std::move(list[i]);
                records[kept] = std::move(records[i]);
            }
            ++kept;
        }
    }
    list.resize(kept);
    records.resize(kept);
    return index_by_id(list, records);
}

}  // namespace pah::passagent
