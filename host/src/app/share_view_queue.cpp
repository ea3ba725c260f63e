// SPDX-License-Identifier: MIT
#include "app/share_view_queue.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <set>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "io/files.hpp"
#include "log/log.hpp"
#include "text/json_reader.hpp"

namespace pah {

using nlohmann::json;

namespace {

constexpr std::string_view kModule = "share-views";
constexpr const char* kJournal = "share-views.jsonl";
// Far above what a queue holds (a line is ~150 bytes; done lines are compacted away).
constexpr std::uintmax_t kMaxJournalBytes = std::uintmax_t{16} << 20U;

std::string new_id() {
    std::array<unsigned char, 16> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    std::array<char, 33> hex{};
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    return std::string(hex.data(), 32);
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string record_line(const ShareViewQueue::Record& r) {
    return json{{"id", r.id},
                {"account", r.account},
                {"share", r.share_id},
                {"action", r.action},
                {"ts", r.time}}
               .dump() +
           "\n";
}

std::string error_text(int err) { return std::error_code(err, std::generic_category()).message(); }

}  // namespace

ShareViewQueue::ShareViewQueue(std::filesystem::path state_dir, std::size_t compact_after)
    : dir_(std::move(state_dir)), path_(dir_ / kJournal), compact_after_(compact_after) {
    if (sodium_init() < 0) {
        log::error(kModule, "libsodium could not be initialised");
    }
    std::lock_guard lock(mu_);
    load();
    if (needs_rewrite_ || done_lines_ > compact_after_) {
        compact();
    }
}

bool ShareViewQueue::is_permanent(const Error& error) noexcept {
    switch (error.code) {
    case ErrorCode::NotFound:    // the share is gone
    case ErrorCode::Gone:
    case ErrorCode::Forbidden:   // no longer shared with this user
    case ErrorCode::BadRequest:  // the server will never take this record
    case ErrorCode::Validation:
    case ErrorCode::Conflict:     // already recorded
    case ErrorCode::Unsupported:  // this backend has no such log
        return true;
    default:
        return false;
    }
}

void ShareViewQueue::load() {
    std::error_code ec;
    if (!std::filesystem::exists(path_, ec)) {
        return;  // nothing queued yet
    }
    auto text = io::read_file(path_, kMaxJournalBytes);
    if (!text) {
        log::error(kModule, "cannot read the share-view journal (unreadable or over " +
                                std::to_string(kMaxJournalBytes >> 20U) + " MiB); left as it is");
        return;
    }
    Journal journal = read_journal(*text);
    if (journal.skipped > 0) {
        log::warn(kModule, "skipped " + std::to_string(journal.skipped) +
                               " unreadable line(s) in the share-view journal");
    }
    pending_ = std::move(journal.pending);
    done_lines_ = journal.done_lines;
    needs_rewrite_ = needs_rewrite_ || journal.needs_rewrite;
}

ShareViewQueue::Journal ShareViewQueue::read_journal(std::string_view text) {
    Journal out;
    std::vector<Record> records;
    std::set<std::string, std::less<>> done;
    std::set<std::string, std::less<>> seen;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        const bool torn = end == std::string_view::npos;
        const auto line =
            text::read_json(text.substr(start, torn ? std::string_view::npos : end - start)).value;
        start = torn ? text.size() : end + 1;
        if (torn) {
            // The last append stopped short of its newline. A line that still parses
            // is kept (a done mark that the server's answer earned, a record whose view
            // happened); anything else is what was cut. Either way the file is rewritten.
            out.needs_rewrite = true;
            if (line.is_discarded()) {
                log::warn(kModule, "ignoring a torn last line in the share-view journal");
                break;
            }
        }
        if (line.is_object() && line.contains("done") && line["done"].is_string()) {
            done.insert(line["done"].get<std::string>());
            ++out.done_lines;
            continue;
        }
        if (line.is_object() && line.value("id", json()).is_string() &&
            line.value("account", json()).is_string() && line.value("share", json()).is_string() &&
            line.value("action", json()).is_string() && line.value("ts", json()).is_number_integer()) {
            Record r{line["id"].get<std::string>(), line["account"].get<std::string>(),
                     line["share"].get<std::string>(), line["action"].get<std::string>(),
                     line["ts"].get<std::int64_t>()};
            if (seen.insert(r.id).second) {
                records.push_back(std::move(r));
            }
            continue;
        }
        ++out.skipped;
        out.needs_rewrite = true;
    }
    for (auto& r : records) {
        if (done.find(r.id) == done.end()) {
            out.pending.push_back(std::move(r));
        }
    }
    return out;
}

bool ShareViewQueue::ensure_dir() {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec) {
        log::error(kModule, "cannot create the state directory: " + ec.message());
        return false;
    }
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    return true;
}

bool ShareViewQueue::append_line(const std::string& line) {
    if (needs_rewrite_) {
        compact();  // brings the file up to date with memory, this line's record included
        return !needs_rewrite_;
    }
    if (!ensure_dir()) {
        needs_rewrite_ = true;
        return false;
    }
    const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        log::error(kModule, "cannot open the share-view journal: " + error_text(errno));
        needs_rewrite_ = true;
        return false;
    }
    (void)::fchmod(fd, 0600);
    const bool ok = io::write_all(fd, line) && ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    if (!ok) {
        log::error(kModule, "cannot write the share-view journal: " + error_text(err));
        needs_rewrite_ = true;  // the file may now end in a torn line
    }
    return ok;
}

void ShareViewQueue::compact() {
    if (!ensure_dir()) {
        needs_rewrite_ = true;
        return;
    }
    std::string content;
    for (const auto& r : pending_) {
        content += record_line(r);
    }
    if (const auto ec = io::write_file_atomic(
            path_, content, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write)) {
        log::error(kModule, "cannot replace the share-view journal: " + ec.message());
        needs_rewrite_ = true;
        return;
    }
    done_lines_ = 0;
    needs_rewrite_ = false;
}

std::string ShareViewQueue::enqueue(std::string_view account_id, std::string_view share_id,
                                    std::string_view action) {
    Record r{new_id(), std::string(account_id), std::string(share_id), std::string(action),
             now_seconds()};
    std::lock_guard lock(mu_);
    pending_.push_back(r);
    (void)append_line(record_line(r));
    return r.id;
}

void ShareViewQueue::mark_done(const std::string& id) {
    std::lock_guard lock(mu_);
    std::erase_if(pending_, [&id](const Record& r) { return r.id == id; });
    if (append_line(json{{"done", id}}.dump() + "\n")) {
        ++done_lines_;
    }
    if (done_lines_ > compact_after_) {
        compact();
    }
}

std::shared_ptr<std::mutex> ShareViewQueue::flush_lock(std::string_view account_id) {
    std::lock_guard lock(mu_);
    auto it = flush_locks_.find(account_id);
    if (it == flush_locks_.end()) {
        it = flush_locks_.emplace(std::string(account_id), std::make_shared<std::mutex>()).first;
    }
    return it->second;
}

ShareViewQueue::FlushResult ShareViewQueue::flush(std::string_view account_id,
                                                  const Sender& sender) {
    FlushResult result;
    const auto single_flight = flush_lock(account_id);
    std::lock_guard flight(*single_flight);
    // Records that fail for good are skipped by id so a failed mark cannot loop forever.
    std::set<std::string, std::less<>> settled;
    while (true) {
        std::optional<Record> next;
        {
            std::lock_guard lock(mu_);
            for (const auto& r : pending_) {
                if (r.account == account_id && settled.find(r.id) == settled.end()) {
                    next = r;
                    break;
                }
            }
        }
        if (!next) {
            break;
        }
        auto sent = sender(next->share_id, next->action);  // never under mu_
        if (sent) {
            ++result.sent;
        } else if (is_permanent(sent.error())) {
            log::warn(kModule, "dropping share-view log " + next->id + " for share " +
                                   next->share_id + ": " +
                                   std::string(wire_name(sent.error().code)));
            ++result.dropped;
        } else {
            result.stopped_by = sent.error();
            break;
        }
        settled.insert(next->id);
        mark_done(next->id);
    }
    std::lock_guard lock(mu_);
    for (const auto& r : pending_) {
        result.remaining += r.account == account_id ? 1U : 0U;
    }
    return result;
}

bool ShareViewQueue::submit(std::string_view account_id, std::string_view share_id,
                            std::string_view action, const Sender& sender) {
    const std::string id = enqueue(account_id, share_id, action);
    (void)flush(account_id, sender);
    std::lock_guard lock(mu_);
    for (const auto& r : pending_) {
        if (r.id == id) {
            return true;
        }
    }
    return false;
}

std::vector<ShareViewQueue::Record> ShareViewQueue::pending(std::string_view account_id) const {
    std::lock_guard lock(mu_);
    std::vector<Record> out;
    for (const auto& r : pending_) {
        if (account_id.empty() || r.account == account_id) {
            out.push_back(r);
        }
    }
    return out;
}

}  // namespace pah
