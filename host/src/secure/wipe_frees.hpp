// SPDX-License-Identifier: MIT
#pragma once

// Code that cannot be handed an allocator (a library's own vectors, such as the raw
// token buffer of nlohmann's lexer, which keeps the text of the last long string it
// read) can still leave no freed copy of a secret: while a WipeFreesOnThisThread lives,
// every block the thread frees through operator delete is zeroed first. The host
// replaces the global operator new and delete for this (wipe_frees.cpp): malloc and
// free, as libstdc++'s own, plus one thread-local test on each delete.

namespace pah {

class WipeFreesOnThisThread {
public:
    WipeFreesOnThisThread() noexcept;
    ~WipeFreesOnThisThread();
    WipeFreesOnThisThread(const WipeFreesOnThisThread&) = delete;
    WipeFreesOnThisThread& operator=(const WipeFreesOnThisThread&) = delete;
};

}  // namespace pah
