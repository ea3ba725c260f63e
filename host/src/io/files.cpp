// SPDX-License-Identifier: MIT
#include "io/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>

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

std::optional<std::string> read_file(const fs::path& path, std::uintmax_t max_bytes) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size > max_bytes) {
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::string text(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>{});
    if (in.bad() || text.size() > max_bytes) {
        return std::nullopt;  // it grew while being read
    }
    return text;
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
