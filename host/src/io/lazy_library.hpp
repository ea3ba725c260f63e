// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <expected>
#include <mutex>
#include <string>

namespace pah::io {

// A shared library opened with dlopen on its first use instead of being linked, so that a
// start of the host that answers `hello` maps none of libcurl, libcrypto, libpsl or
// libsecret (docs/architecture.md, "Start-up cost"). Opened at most once, from any
// thread; never closed. Meant for an object at namespace scope (its constructor does
// nothing at run time).
class LazyLibrary {
public:
    // Told each failure once (the library cannot be opened; a function is missing), with a
    // message that names the library and the function. nullptr: the caller reports.
    using Report = void (*)(const std::string& why);

    // `name` for people ("libcurl"), `soname` for dlopen ("libcurl.so.4"), `package`
    // the Debian package that installs it ("libcurl4").
    constexpr LazyLibrary(const char* name, const char* soname, const char* package,
                          Report report = nullptr) noexcept
        : name_(name), soname_(soname), package_(package), report_(report) {}

    LazyLibrary(const LazyLibrary&) = delete;
    LazyLibrary& operator=(const LazyLibrary&) = delete;
    ~LazyLibrary() = default;

    // The function `symbol`, of type Fn (a function pointer), opening the library on the
    // first call; otherwise why not.
    template <class Fn>
    std::expected<Fn, std::string> function(const char* symbol) {
        static_assert(sizeof(Fn) == sizeof(void*));
        auto address = lookup(symbol);
        if (!address) {
            return std::unexpected(std::move(address.error()));
        }
        // POSIX: a function pointer converts from dlsym's void* this way.
        Fn fn = nullptr;
        __builtin_memcpy(static_cast<void*>(&fn), static_cast<const void*>(&*address), sizeof fn);
        return fn;
    }

    // The same, or nullptr (the failure is reported): for a stub that fails the way the
    // library itself reports failure.
    template <class Fn>
    Fn find(const char* symbol) {
        return function<Fn>(symbol).value_or(nullptr);
    }

    // Whether the library has been opened; never opens it.
    [[nodiscard]] bool opened() const noexcept { return opened_.load(std::memory_order_acquire); }

private:
    std::expected<void*, std::string> lookup(const char* symbol);
    void open();

    const char* name_;
    const char* soname_;
    const char* package_;
    Report report_;
    std::once_flag once_;
    void* handle_ = nullptr;  // written once, under once_
    std::string open_error_;  // likewise; set when handle_ stays null
    std::atomic<bool> opened_{false};
};

}  // namespace pah::io

// Inside a stub that stands in for the C function `name`: `real`, the library's own
// function, looked up on the stub's first call (thread-safe), nullptr if there is none.
#define PAH_LAZY_REAL(library, name) static const auto real = (library).find<decltype(&::name)>(#name)
