// SPDX-License-Identifier: MIT
#include "match/url_match.hpp"

#include <algorithm>
#include <limits>

namespace pah::match {

namespace {

constexpr std::uint8_t kHttps = 1;
constexpr std::uint8_t kExplicitPort = 2;
constexpr std::uint8_t kIp = 4;

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

UrlParts parts_of(const ParsedUrl& url) noexcept {
    return {url.scheme, url.host,          url.path,   url.registrable_domain,
            url.port,   url.explicit_port, url.is_ip, url.is_public_suffix};
}

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

std::optional<int> match_score(const UrlParts& page, const UrlParts& entry) {
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

std::optional<int> match_score(const ParsedUrl& page, const ParsedUrl& entry) {
    return match_score(parts_of(page), parts_of(entry));
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
    constexpr std::size_t kMaxText = std::numeric_limits<std::uint32_t>::max();
    std::vector<Packed> entries;
    entries.reserve(items_->size());
    for (std::size_t i = 0; i < items_->size() && i <= kMaxText; ++i) {
        const auto url = entry_url((*items_)[i]);
        // Public suffixes match nothing; hosts are at most 253 bytes (url.hpp).
        if (!url || url->is_public_suffix || url->host.size() > 0xFFFF ||
            !url->host.ends_with(url->registrable_domain) ||
            text_.size() + url->host.size() + url->path.size() > kMaxText) {
            continue;
        }
        Packed entry;
        entry.item = static_cast<std::uint32_t>(i);
        entry.host = static_cast<std::uint32_t>(text_.size());
        entry.host_size = static_cast<std::uint16_t>(url->host.size());
        entry.registrable_size = static_cast<std::uint16_t>(url->registrable_domain.size());
        text_ += url->host;
        entry.path = static_cast<std::uint32_t>(text_.size());
        entry.path_size = static_cast<std::uint32_t>(url->path.size());
        text_ += url->path;
        entry.port = static_cast<std::uint16_t>(url->port);
        entry.flags = static_cast<std::uint8_t>((url->scheme == "https" ? kHttps : 0) |
                                                (url->explicit_port ? kExplicitPort : 0) |
                                                (url->is_ip ? kIp : 0));
        entries.push_back(entry);
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [this](const Packed& a, const Packed& b) { return host_of(a) < host_of(b); });
    entries_.assign(entries.begin(), entries.end());  // exact capacity
    text_.shrink_to_fit();
}

std::string_view MatchIndex::host_of(const Packed& entry) const noexcept {
    return std::string_view(text_).substr(entry.host, entry.host_size);
}

UrlParts MatchIndex::parts(const Packed& entry) const noexcept {
    const std::string_view host = host_of(entry);
    UrlParts out;
    out.scheme = (entry.flags & kHttps) != 0 ? "https" : "http";
    out.host = host;
    out.path = std::string_view(text_).substr(entry.path, entry.path_size);
    out.registrable_domain = host.substr(host.size() - entry.registrable_size);
    out.port = entry.port;
    out.explicit_port = (entry.flags & kExplicitPort) != 0;
    out.is_ip = (entry.flags & kIp) != 0;
    return out;
}

const ItemList& MatchIndex::items() const noexcept {
    static const ItemList empty;
    return items_ ? *items_ : empty;
}

std::size_t MatchIndex::heap_bytes() const noexcept {
    return text_.capacity() + entries_.capacity() * sizeof(Packed);
}

std::vector<ScoredItem> MatchIndex::rank(const ParsedUrl& page) const {
    std::vector<ScoredItem> out;
    if (!items_ || !page.is_web()) {
        return out;
    }
    const UrlParts page_parts = parts_of(page);
    // An entry can match only if its host is the page's host or, within the page's
    // registrable domain, one of its parents: look up exactly those hosts.
    const auto score_host = [&](std::string_view host) {
        auto it = std::lower_bound(entries_.begin(), entries_.end(), host,
                                   [this](const Packed& a, std::string_view b) { return host_of(a) < b; });
        for (; it != entries_.end() && host_of(*it) == host; ++it) {
            if (const auto score = match_score(page_parts, parts(*it))) {
                out.push_back({&(*items_)[it->item], it->item, *score});
            }
        }
    };
    std::string_view host = page.host;
    score_host(host);
    if (!page.is_ip && !page.registrable_domain.empty()) {
        const std::size_t floor = page.registrable_domain.size();
        while (host.size() > floor) {
            const auto dot = host.find('.');
            if (dot == std::string_view::npos) {
                break;
            }
            host.remove_prefix(dot + 1);
            if (host.size() < floor) {
                break;
            }
            score_host(host);
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
