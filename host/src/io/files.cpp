// SPDX-License-Identifier: MIT
#include "io/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace pah::io {

namespace fs = std::filesystem;

bool write_all(int fd, std::string_view bytes) noexcept {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

namespace {

// Reads into `out` until it is full or the file ends, retrying EINTR: the count, or -1 on
// an error (errno set).
ssize_t read_up_to(int fd, char* out, std::size_t size) noexcept {
    std::size_t got = 0;
    while (got < size) {
        const ssize_t n = ::read(fd, out + got, size - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    return static_cast<ssize_t>(got);
}

}  // namespace

std::optional<std::string> read_file(const fs::path& path, std::uintmax_t max_bytes) {
    // open/read, not std::ifstream: a stream builds the C++ locale (a dozen facets) the
    // first time one is made, and the config file is read at every start of the host.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
        ::close(fd);
        return std::nullopt;
    }
    // One byte more than the size, to see whether the file grew while being read.
    std::string text(static_cast<std::size_t>(st.st_size) + 1, '\0');
    std::size_t got = 0;
    for (;;) {
        const ssize_t n = read_up_to(fd, text.data() + got, text.size() - got);
        if (n < 0) {
            ::close(fd);
            return std::nullopt;
        }
        got += static_cast<std::size_t>(n);
        if (got > max_bytes) {
            ::close(fd);
            return std::nullopt;  // it grew while being read
        }
        if (got < text.size()) {
            break;  // the end of the file
        }
        text.resize(text.size() * 2);  // it grew, but is still under the cap
    }
    ::close(fd);
    text.resize(got);
    return text;
}

std::optional<std::string> read_head(const fs::path& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return std::nullopt;
    }
    std::string head(max_bytes, '\0');
    const ssize_t n = read_up_to(fd, head.data(), head.size());
    ::close(fd);
    if (n < 0) {
        return std::nullopt;
    }
    head.resize(static_cast<std::size_t>(n));
    return head;
}

void fsync_dir(const fs::path& dir) noexcept {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

std::error_code write_file_atomic(const fs::path& path, std::string_view content, fs::perms mode) {
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid());
    const auto bits = static_cast<mode_t>(mode);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, bits);
    if (fd < 0) {
        return {errno, std::generic_category()};
    }
    // fchmod: the umask must not decide who may read it.
    bool ok = ::fchmod(fd, bits) == 0 && write_all(fd, content) && ::fsync(fd) == 0;
    std::error_code ec;
    if (!ok) {
        ec = {errno, std::generic_category()};
    }
    if (::close(fd) != 0 && ok) {
        ec = {errno, std::generic_category()};
        ok = false;
    }
    if (ok) {
        fs::rename(tmp, path, ec);
    }
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return ec;
    }
    fsync_dir(path.has_parent_path() ? path.parent_path() : fs::path("."));
    return {};
}

}  // namespace pah::io
