// SPDX-License-Identifier: MIT
#include "store/state_files.hpp"

#include <array>
#include <cerrno>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

namespace pah::store {

namespace fs = std::filesystem;

namespace {

std::string error_text(int err) { return std::error_code(err, std::generic_category()).message(); }

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

void fsync_dir(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)::fsync(fd);
        ::close(fd);
    }
}

}  // namespace

Result<void> ensure_private_dir(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) {
        return fail(ErrorCode::Internal,
                    "Cannot create the state directory " + dir.string() + ": " + ec.message() + ".");
    }
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) {
        return fail(ErrorCode::Internal,
                    "Cannot make the state directory " + dir.string() + " private: " + ec.message() + ".");
    }
    return {};
}

Result<void> write_file_atomic(const fs::path& path, std::string_view content) {
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (auto made = ensure_private_dir(dir); !made) {
        return made;
    }
    // A random suffix: two writers of the same file never share a temporary file.
    std::array<unsigned char, 8> nonce{};
    randombytes_buf(nonce.data(), nonce.size());
    std::array<char, 17> hex{};
    sodium_bin2hex(hex.data(), hex.size(), nonce.data(), nonce.size());
    const fs::path tmp = path.string() + "." + hex.data() + ".tmp";

    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(ErrorCode::Internal, "Cannot write " + path.string() + ": " + error_text(errno) + ".");
    }
    (void)::fchmod(fd, 0600);  // whatever the umask
    const bool ok = write_all(fd, content) && ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    std::error_code ec;
    if (!ok) {
        fs::remove(tmp, ec);
        return fail(ErrorCode::Internal, "Cannot write " + path.string() + ": " + error_text(err) + ".");
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return fail(ErrorCode::Internal, "Cannot replace " + path.string() + ": " + ec.message() + ".");
    }
    fsync_dir(dir);
    return {};
}

Result<std::string> read_file_bounded(const fs::path& path, std::size_t max_bytes) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (err == ENOENT) {
            return fail(ErrorCode::NotFound, path.string() + " does not exist.");
        }
        return fail(ErrorCode::Internal, "Cannot read " + path.string() + ": " + error_text(err) + ".");
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return fail(ErrorCode::Internal, path.string() + " is not a regular file.");
    }
    if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
        ::close(fd);
        return fail(ErrorCode::TooLarge, path.string() + " is larger than " + std::to_string(max_bytes) +
                                             " bytes; it was not read.");
    }
    std::string content(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t got = 0;
    while (got < content.size()) {
        const ssize_t n = ::read(fd, content.data() + got, content.size() - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        got += static_cast<std::size_t>(n);
    }
    // One more byte would mean the file grew while being read: refuse that too.
    char extra = 0;
    const ssize_t more = ::read(fd, &extra, 1);
    ::close(fd);
    if (got != content.size() || more > 0) {
        return fail(ErrorCode::Internal, path.string() + " changed while it was read.");
    }
    return content;
}

Result<void> remove_file(const fs::path& path) {
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) {
        return fail(ErrorCode::Internal, "Cannot remove " + path.string() + ": " + ec.message() + ".");
    }
    return {};
}

std::string file_stem_for(std::string_view account_id) {
    std::array<unsigned char, 16> hash{};
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<const unsigned char*>(account_id.data()),
                       account_id.size(), nullptr, 0);
    std::array<char, 33> hex{};
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return std::string(hex.data(), 32);
}

}  // namespace pah::store
