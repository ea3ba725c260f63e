// SPDX-License-Identifier: MIT
// Argon2id's passes over memory (RFC 9106 section 3.4): reference-block indexing, the
// address generator for the data-independent half, and lanes filled in parallel, one
// slice at a time.
#include <algorithm>
#include <barrier>
#include <optional>
#include <thread>
#include <vector>

#include "crypto/argon2_blocks.hpp"

namespace pah::argon2 {

namespace {

constexpr std::uint32_t kAddressesPerBlock = kBlockWords;
constexpr std::uint64_t kTypeArgon2id = 2;

// Where, within lane `ref_lane`, the block at (pass, slice, index) of the current lane
// takes its reference (RFC 9106 section 3.4.1.2). `j1` is the low half of the
// pseudo-random word.
std::uint32_t reference_column(const Instance& in, std::uint32_t pass, std::uint32_t slice,
                               std::uint32_t index, std::uint32_t j1, bool same_lane) noexcept {
    // The blocks this one may reference: every finished block, minus the previous one;
    // in another lane, minus the segment being filled there now.
    std::uint64_t area = pass == 0 ? std::uint64_t{slice} * in.segment_length
                                   : std::uint64_t{in.lane_length} - in.segment_length;
    if (same_lane) {
        area += std::uint64_t{index} - 1;
    } else if (index == 0) {
        area -= 1;
    }
    const std::uint64_t x = (std::uint64_t{j1} * j1) >> 32;
    const std::uint64_t relative = area - 1 - ((area * x) >> 32);
    const std::uint64_t start =
        pass == 0 || slice == kSyncPoints - 1 ? 0 : std::uint64_t{slice + 1} * in.segment_length;
    return static_cast<std::uint32_t>((start + relative) % in.lane_length);
}

void fill_segment(const Instance& in, std::uint32_t pass, std::uint32_t lane, std::uint32_t slice) noexcept {
    Block& scratch = in.work[3 * std::size_t{lane}];
    Block& input = in.work[3 * std::size_t{lane} + 1];
    Block& addresses = in.work[3 * std::size_t{lane} + 2];
    // Argon2id: the first half of the first pass takes its references from a counter
    // (data-independent, like Argon2i), the rest from the previous block (like Argon2d).
    const bool independent = pass == 0 && slice < kSyncPoints / 2;
    const auto next_addresses = [&] {
        ++input.v[6];
        in.fill(*in.zero, input, addresses, scratch, false);
        in.fill(*in.zero, addresses, addresses, scratch, false);
    };
    if (independent) {
        std::fill(std::begin(input.v), std::end(input.v), std::uint64_t{0});
        input.v[0] = pass;
        input.v[1] = lane;
        input.v[2] = slice;
        input.v[3] = std::uint64_t{in.lanes} * in.lane_length;
        input.v[4] = in.passes;
        input.v[5] = kTypeArgon2id;
    }
    std::uint32_t first = 0;
    if (pass == 0 && slice == 0) {
        first = 2;  // blocks 0 and 1 come from H0
        if (independent) {
            next_addresses();
        }
    }
    Block* const lane_blocks = in.memory + std::size_t{lane} * in.lane_length;
    for (std::uint32_t index = first; index < in.segment_length; ++index) {
        const std::uint32_t column = slice * in.segment_length + index;
        const std::uint32_t prev_column = column == 0 ? in.lane_length - 1 : column - 1;
        std::uint64_t pseudo_random = 0;
        if (independent) {
            if (index % kAddressesPerBlock == 0) {
                next_addresses();
            }
            pseudo_random = addresses.v[index % kAddressesPerBlock];
        } else {
            pseudo_random = lane_blocks[prev_column].v[0];
        }
        const std::uint32_t ref_lane = pass == 0 && slice == 0
                                           ? lane
                                           : static_cast<std::uint32_t>((pseudo_random >> 32) % in.lanes);
        const std::uint32_t ref_column = reference_column(
            in, pass, slice, index, static_cast<std::uint32_t>(pseudo_random), ref_lane == lane);
        const Block& ref = in.memory[std::size_t{ref_lane} * in.lane_length + ref_column];
        in.fill(lane_blocks[prev_column], ref, lane_blocks[column], scratch, pass != 0);
    }
}

void fill_alone(const Instance& in) noexcept {
    for (std::uint32_t pass = 0; pass < in.passes; ++pass) {
        for (std::uint32_t slice = 0; slice < kSyncPoints; ++slice) {
            for (std::uint32_t lane = 0; lane < in.lanes; ++lane) {
                fill_segment(in, pass, lane, slice);
            }
        }
    }
}

}  // namespace

void fill_memory(const Instance& in, unsigned threads) noexcept {
    const unsigned wanted = std::clamp(threads, 1U, in.lanes);
    // A slice of one lane reads other lanes only in finished slices, so the lanes of a
    // slice may run in any order on any thread; every thread waits for the others at
    // the end of each slice.
    std::optional<std::barrier<>> sync;
    if (wanted > 1) {
        try {
            sync.emplace(static_cast<std::ptrdiff_t>(wanted));
        } catch (...) {  // std::bad_alloc
        }
    }
    if (!sync) {
        fill_alone(in);
        return;
    }
    // Written before the first barrier phase completes, read by every thread after it.
    unsigned count = wanted;
    const auto work = [&in, &sync, &count](unsigned id) noexcept {
        sync->arrive_and_wait();
        for (std::uint32_t pass = 0; pass < in.passes; ++pass) {
            for (std::uint32_t slice = 0; slice < kSyncPoints; ++slice) {
                for (std::uint32_t lane = id; lane < in.lanes; lane += count) {
                    fill_segment(in, pass, lane, slice);
                }
                sync->arrive_and_wait();
            }
        }
    };
    unsigned started = 1;  // this thread
    std::vector<std::jthread> helpers;
    try {
        helpers.reserve(wanted - 1);
        for (unsigned id = 1; id < wanted; ++id) {
            helpers.emplace_back(work, id);
            ++started;
        }
    } catch (...) {  // std::system_error (no more threads) or std::bad_alloc: use fewer
    }
    count = started;
    for (unsigned missing = started; missing < wanted; ++missing) {
        sync->arrive_and_drop();
    }
    work(0);
}

}  // namespace pah::argon2
