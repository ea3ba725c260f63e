// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "match/item.hpp"
#include "match/url.hpp"

namespace pah::match {

// Score bands (docs/matching.md): a same-host match always outranks a parent-domain one.
inline constexpr int kScoreSameHost = 300;
inline constexpr int kScoreParentDomain = 200;  // minus the number of labels between
inline constexpr int kScorePathPrefix = 50;     // plus one per matching path segment
inline constexpr int kScoreSameScheme = 5;

// What matching reads of a URL, as views: of a ParsedUrl, or of a MatchIndex's packed
// entries. Valid only as long as what it views.
struct UrlParts {
    std::string_view scheme;
    std::string_view host;
    std::string_view path;
    std::string_view registrable_domain;
    int port = 0;
    bool explicit_port = false;
    bool is_ip = false;
    bool is_public_suffix = false;

    [[nodiscard]] bool is_web() const noexcept {
        return !host.empty() && (scheme == "https" || scheme == "http");
    }
};
UrlParts parts_of(const ParsedUrl& url) noexcept;

// The URL an entry is matched by: its url if that is a web URL, else its website.
std::optional<ParsedUrl> entry_url(const ItemSummary& entry);

// How well an entry fits a page; nullopt when it must not be offered (or filled) there.
// Rules: the page is http(s); an https entry never matches an http page; the entry's
// host equals the page's or is a parent of it within the same registrable domain (never
// a sibling, never a public suffix); IP literals and single-label hosts match exactly;
// an entry without a port matches only the page scheme's default port.
std::optional<int> match_score(const UrlParts& page, const UrlParts& entry);
std::optional<int> match_score(const ParsedUrl& page, const ParsedUrl& entry);
std::optional<int> match_score(const ParsedUrl& page, const ItemSummary& entry);

struct ScoredItem {
    const ItemSummary* item = nullptr;  // points into the index's item list
    std::size_t index = 0;              // position in that list
    int score = 0;
};

// The entries' URLs, parsed once per sync/unlock and then read-only (safe to share
// between threads). Shares the backend's item list (never copies a summary) and packs
// each entry's host and path into one text buffer; a lookup reads only the entries
// whose host is the page's host or one of its parents, so its cost does not grow with
// the number of entries under one registrable domain.
class MatchIndex {
public:
    MatchIndex() = default;
    explicit MatchIndex(std::shared_ptr<const ItemList> items);

    [[nodiscard]] const ItemList& items() const noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return items_ ? items_->size() : 0; }
    // Best first; equal scores by name, then by position.
    [[nodiscard]] std::vector<ScoredItem> rank(const ParsedUrl& page) const;
    // Heap bytes the index itself holds (not the shared item list). For benchmarks.
    [[nodiscard]] std::size_t heap_bytes() const noexcept;

private:
    // One matchable entry; its strings live in text_.
    struct Packed {
        std::uint32_t item = 0;  // position in *items_
        std::uint32_t host = 0;  // offset of the host in text_; the registrable domain is its tail
        std::uint32_t path = 0;  // offset of the path in text_
        std::uint16_t host_size = 0;
        std::uint16_t registrable_size = 0;
        std::uint32_t path_size = 0;
        std::uint16_t port = 0;
        std::uint8_t flags = 0;
    };
    [[nodiscard]] UrlParts parts(const Packed& entry) const noexcept;
    [[nodiscard]] std::string_view host_of(const Packed& entry) const noexcept;

    std::shared_ptr<const ItemList> items_;
    std::string text_;             // every entry's host and path, back to back
    std::vector<Packed> entries_;  // matchable entries, sorted by host
};

inline std::vector<ScoredItem> rank(const ParsedUrl& page, const MatchIndex& index) {
    return index.rank(page);
}

}  // namespace pah::match
