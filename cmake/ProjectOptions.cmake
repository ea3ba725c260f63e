# SPDX-License-Identifier: MIT
# Warnings, hardening and sanitizers, carried on INTERFACE targets.

add_library(pah_warnings INTERFACE)
target_compile_options(pah_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough)
# GCC 12 reports std::string copies as overlapping memcpy at -O2/-O3 (a false positive
# fixed in GCC 13: GCC bugs 105329, 105651); it is not a finding in this code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(pah_warnings INTERFACE -Wno-restrict)
  # Under ASan, GCC 12 also reports std::function and std::regex internals (from Catch2)
  # as maybe-uninitialized: the same class of false positive.
  if(PAH_SANITIZE)
    target_compile_options(pah_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
if(PAH_WERROR)
  target_compile_options(pah_warnings INTERFACE -Werror)
endif()

add_library(pah_hardening INTERFACE)
target_compile_options(pah_hardening INTERFACE
  -fstack-protector-strong -fstack-clash-protection -fcf-protection -fPIE)
if(NOT PAH_SANITIZE)
  target_compile_definitions(pah_hardening INTERFACE
    $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=3> _GLIBCXX_ASSERTIONS)
endif()
target_link_options(pah_hardening INTERFACE -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack)

add_library(pah_sanitizers INTERFACE)
if(PAH_SANITIZE)
  target_compile_options(pah_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(pah_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
# A libFuzzer build instruments every layer for coverage, not only the fuzz targets'
# own file: without it libFuzzer sees the edges of LLVMFuzzerTestOneInput and the
# inlined header code only, and its search is blind inside the host's parsers.
# The fuzz targets add -fsanitize=fuzzer (libFuzzer's main) themselves.
if(PAH_LIBFUZZER)
  target_compile_options(pah_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
