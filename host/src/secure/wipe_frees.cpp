// SPDX-License-Identifier: MIT
#include "secure/wipe_frees.hpp"

#include <malloc.h>

#include <cstdlib>
#include <cstring>
#include <new>

namespace pah {

namespace {

thread_local unsigned wiping = 0;  // how many WipeFreesOnThisThread live on this thread

}  // namespace

WipeFreesOnThisThread::WipeFreesOnThisThread() noexcept { ++wiping; }
WipeFreesOnThisThread::~WipeFreesOnThisThread() { --wiping; }

}  // namespace pah

// The replaceable global allocation functions ([new.delete.single]); the array forms
// and the aligned ones are libstdc++'s, which call these or pair among themselves.
void* operator new(std::size_t size) {
    for (;;) {
        if (void* block = std::malloc(size == 0 ? 1 : size)) {  // NOLINT(cppcoreguidelines-no-malloc)
            return block;
        }
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) {
            throw std::bad_alloc();
        }
        handler();
    }
}

void* operator new(std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
    try {
        return ::operator new(size);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void* block) noexcept {
    if (block != nullptr && pah::wiping != 0) {
        explicit_bzero(block, malloc_usable_size(block));
    }
    std::free(block);  // NOLINT(cppcoreguidelines-no-malloc)
}

void operator delete(void* block, std::size_t /*size*/) noexcept { ::operator delete(block); }

void operator delete(void* block, const std::nothrow_t& /*tag*/) noexcept { ::operator delete(block); }
