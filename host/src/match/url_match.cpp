// SPDX-License-Identifier: MIT
#include "match/url_match.hpp"

#include <algorithm>

namespace pah::match {

namespace {

// Where an entry or a page is looked up: the registrable domain, or the exact host when
// it has none (IP literals, localhost and other single labels).
std::string lookup_key(const ParsedUrl& url) {
    return url.registrable_domain.empty() ? url.host : url.registrable_domain;
}

std::size_t count_labels(std::string_view host) {
    return static_cast<std::size_t>(std::count(host.begin(), host.end(), '.')) + 1;
}

// Segments of the entry's path that prefix the page's path on a segment boundary, or 0.
int path_prefix_segments(std::string_view entry, std::string_view page) {
    if (entry.size() <= 1 || !page.starts_with(entry)) {
        return 0;
    }
    const bool boundary =
        entry.back() == '/' || page.size() == entry.size() || page[entry.size()] == '/';
    if (!boundary) {
        return 0;
    }
    int segments = 0;
    for (const char c : entry) {
        segments += c == '/' ? 1 : 0;
    }
    return std::max(segments, 1);
}

}  // namespace

std::optional<ParsedUrl> entry_url(const ItemSummary& entry) {
    if (!entry.url.empty()) {
        auto url = parse_url(entry.url);
        if (url && url->is_web()) {
            return url;
        }
    }
    if (!entry.website.empty()) {
        auto url = parse_url(entry.website);
        if (url && url->is_web()) {
            return url;
        }
    }
    return std::nullopt;
}

std::optional<int> match_score(const ParsedUrl& page, const ParsedUrl& entry) {
    if (!page.is_web() || !entry.is_web() || entry.is_public_suffix) {
        return std::nullopt;
    }
    if (entry.scheme == "https" && page.scheme == "http") {
        return std::nullopt;  // never hand an https secret to a plain-http page
    }
    if (entry.explicit_port ? entry.port != page.port
                            : page.port != default_port(page.scheme)) {
        return std::nullopt;
    }

    int score = 0;
    if (entry.host == page.host) {
        score = kScoreSameHost;
    } else {
        if (entry.is_ip || page.is_ip || entry.registrable_domain.empty() ||
            entry.registrable_domain != page.registrable_domain) {
            return std::nullopt;
        }
        const std::string_view p = page.host;
        const std::string_view e = entry.host;
        if (p.size() <= e.size() + 1 || !p.ends_with(e) || p[p.size() - e.size() - 1] != '.') {
            return std::nullopt;  // a sibling or a child entry
        }
        const auto depth = std::min<std::size_t>(count_labels(p) - count_labels(e), 99);
        score = kScoreParentDomain - static_cast<int>(depth);
    }
    if (const int segments = path_prefix_segments(entry.path, page.path); segments > 0) {
        score += kScorePathPrefix + std::min(segments, 40);
    }
    if (entry.scheme == page.scheme) {
        score += kScoreSameScheme;
    }
    return score;
}

std::optional<int> match_score(const ParsedUrl& page, const ItemSummary& entry) {
    const auto url = entry_url(entry);
    if (!url) {
        return std::nullopt;
    }
    return match_score(page, *url);
}

MatchIndex::MatchIndex(std::shared_ptr<const ItemList> items) : items_(std::move(items)) {
    if (!items_) {
        return;
    }
    urls_.reserve(items_->size());
    for (std::size_t i = 0; i < items_->size(); ++i) {
        auto url = entry_url((*items_)[i]);
        if (url && !url->is_public_suffix) {
            by_key_[lookup_key(*url)].push_back(i);
        }
        urls_.push_back(std::move(url));
    }
}

const ItemList& MatchIndex::items() const noexcept {
    static const ItemList empty;
    return items_ ? *items_ : empty;
}

std::vector<ScoredItem> MatchIndex::rank(const ParsedUrl& page) const {
    std::vector<ScoredItem> out;
    if (!items_ || !page.is_web()) {
        return out;
    }
    const auto bucket = by_key_.find(lookup_key(page));
    if (bucket == by_key_.end()) {
        return out;
    }
    for (const std::size_t i : bucket->second) {
        if (const auto score = match_score(page, *urls_[i])) {
            out.push_back({&(*items_)[i], i, *score});
        }
    }
    std::sort(out.begin(), out.end(), [](const ScoredItem& a, const ScoredItem& b) {
        if (a.score != b.score) {
            return a.score > b.score;
        }
        if (a.item->name != b.item->name) {
            return a.item->name < b.item->name;
        }
        return a.index < b.index;
    });
    return out;
}

}  // namespace pah::match
