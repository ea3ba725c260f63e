// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/error.hpp"

namespace pah {

// The share-view log (password_viewed / password_copied for received shares) kept on
// disk until the server has it: none is lost across restarts or network failures, and
// none is sent twice, except after a crash between the server's answer and the fsync of
// the "done" mark (docs/share-view-queue.md). Thread-safe.
//
// Journal: <state_dir>/share-views.jsonl (0600, dir 0700), one JSON object a line:
//   {"id","account","share","action","ts"} for a record, {"done": id} once it is settled.
class ShareViewQueue {
public:
    // Sends one log to the server; returns once the server has accepted it.
    using Sender = std::function<Result<void>(std::string_view share_id, std::string_view action)>;

    struct Record {
        std::string id;  // 32 hex characters, random
        std::string account;
        std::string share_id;
        std::string action;
        std::int64_t time = 0;  // Unix seconds when it happened
    };

    struct FlushResult {
        std::size_t sent = 0;
        std::size_t dropped = 0;    // refused for good by the server (see is_permanent)
        std::size_t remaining = 0;  // still waiting for this account
        std::optional<Error> stopped_by;  // the transient error that ended the flush
    };

    // Loads the journal (a torn last line is ignored). Creates nothing until needed.
    explicit ShareViewQueue(std::filesystem::path state_dir, std::size_t compact_after = 64);
    ShareViewQueue(const ShareViewQueue&) = delete;
    ShareViewQueue& operator=(const ShareViewQueue&) = delete;

    // Appends a record (fsync'ed) and returns its id. A disk failure is logged and the
    // record is kept in memory, to be written again at the next compaction.
    std::string enqueue(std::string_view account_id, std::string_view share_id,
                        std::string_view action);

    // Sends the account's waiting records in order, marking each done right after the
    // server accepts it. Stops at the first transient failure (network, 5xx, 429, locked
    // session...) and keeps the rest; drops a record the server refuses for good (404,
    // 410, 403, 400, 409) with a log line. One flush per account at a time: a second
    // caller waits for the first and then sends what is left.
    FlushResult flush(std::string_view account_id, const Sender& sender);

    // enqueue, then flush. Returns true ("queued") when the record is still waiting.
    bool submit(std::string_view account_id, std::string_view share_id, std::string_view action,
                const Sender& sender);

    // Waiting records, oldest first; all accounts when `account_id` is empty.
    [[nodiscard]] std::vector<Record> pending(std::string_view account_id = {}) const;
    [[nodiscard]] const std::filesystem::path& journal_path() const noexcept { return path_; }

    // What a journal's text holds. Outside input in effect (a file on disk that a crash
    // may have cut short); never throws. The share_view_journal fuzz target reads it.
    struct Journal {
        std::vector<Record> pending;  // records without a done mark, in file order
        std::size_t done_lines = 0;
        std::size_t skipped = 0;     // lines that are neither a record nor a done mark
        bool needs_rewrite = false;  // torn or unreadable lines: compact the file
    };
    static Journal read_journal(std::string_view text);

    // Errors after which a retry can never succeed: the record is dropped.
    static bool is_permanent(const Error& error) noexcept;

private:
    void load();
    bool ensure_dir();
    bool append_line(const std::string& line);  // mu_ held
    void mark_done(const std::string& id);
    void compact();  // mu_ held
    std::shared_ptr<std::mutex> flush_lock(std::string_view account_id);

    std::filesystem::path dir_;
    std::filesystem::path path_;
    std::size_t compact_after_;

    mutable std::mutex mu_;
    std::vector<Record> pending_;
    std::size_t done_lines_ = 0;
    bool needs_rewrite_ = false;  // the file lacks records held in memory, or is torn
    std::map<std::string, std::shared_ptr<std::mutex>, std::less<>> flush_locks_;
};

}  // namespace pah
