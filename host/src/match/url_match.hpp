// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "backends/backend.hpp"
#include "match/url.hpp"

namespace pah::match {

// Score bands (docs/matching.md): a same-host match always outranks a parent-domain one.
inline constexpr int kScoreSameHost = 300;
inline constexpr int kScoreParentDomain = 200;  // minus the number of labels between
inline constexpr int kScorePathPrefix = 50;     // plus one per matching path segment
inline constexpr int kScoreSameScheme = 5;

// The URL an entry is matched by: its url if that is a web URL, else its website.
std::optional<ParsedUrl> entry_url(const ItemSummary& entry);

// How well an entry fits a page; nullopt when it must not be offered (or filled) there.
// Rules: the page is http(s); an https entry never matches an http page; the entry's
// host equals the page's or is a parent of it within the same registrable domain (never
// a sibling, never a public suffix); IP literals and single-label hosts match exactly;
// an entry without a port matches only the page scheme's default port.
std::optional<int> match_score(const ParsedUrl& page, const ParsedUrl& entry);
std::optional<int> match_score(const ParsedUrl& page, const ItemSummary& entry);

struct ScoredItem {
    const ItemSummary* item = nullptr;  // points into the index's item list
    std::size_t index = 0;              // position in that list
    int score = 0;
};

// The entries' parsed URLs, built once per sync/unlock and then read-only (safe to share
// between threads). Keeps the item list alive.
class MatchIndex {
public:
    MatchIndex() = default;
    explicit MatchIndex(std::shared_ptr<const ItemList> items);

    [[nodiscard]] const ItemList& items() const noexcept;
    [[nodiscard]] std::size_t size() const noexcept { return urls_.size(); }
    // Best first; equal scores by name, then by position.
    [[nodiscard]] std::vector<ScoredItem> rank(const ParsedUrl& page) const;

private:
    std::shared_ptr<const ItemList> items_;
    std::vector<std::optional<ParsedUrl>> urls_;  // parallel to *items_
    // Registrable domain (or the host itself for IPs and single labels) → entries.
    std::unordered_map<std::string, std::vector<std::size_t>> by_key_;
};

inline std::vector<ScoredItem> rank(const ParsedUrl& page, const MatchIndex& index) {
    return index.rank(page);
}

}  // namespace pah::match
