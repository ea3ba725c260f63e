// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

namespace pah {

// Pushes not tied to a request: {"event": name, "data": {...}}.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void push(std::string_view event, nlohmann::json data) = 0;
};

class NullEventSink final : public EventSink {
public:
    void push(std::string_view, nlohmann::json) override {}
};

}  // namespace pah
