// SPDX-License-Identifier: MIT
#include "io/lazy_library.hpp"

#include <dlfcn.h>

namespace pah::io {

void LazyLibrary::open() {
    handle_ = ::dlopen(soname_, RTLD_NOW | RTLD_LOCAL);
    if (handle_ != nullptr) {
        opened_.store(true, std::memory_order_release);
        return;
    }
    const char* why = ::dlerror();
    open_error_ = std::string(name_) + " (" + soname_ + ") could not be loaded; install " + package_ +
                  (why != nullptr ? std::string(": ") + why : std::string());
    if (report_ != nullptr) {
        report_(open_error_);
    }
}

std::expected<void*, std::string> LazyLibrary::lookup(const char* symbol) {
    std::call_once(once_, [this] { open(); });
    if (handle_ == nullptr) {
        return std::unexpected(open_error_);
    }
    // On libsecret's handle this also finds its dependencies' symbols (GLib, GIO).
    void* address = ::dlsym(handle_, symbol);
    if (address == nullptr) {
        std::string why = std::string(soname_) + " lacks " + symbol + ", which the host needs";
        if (report_ != nullptr) {
            report_(why);
        }
        return std::unexpected(std::move(why));
    }
    return address;
}

}  // namespace pah::io
