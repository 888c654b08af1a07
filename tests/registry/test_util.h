// Helpers for registry tests: events in one line.
#pragma once

#include <string>
#include <utility>

#include "registry/event.h"

namespace whereabouts::registry::testing {

inline Event Ev(EntityKind kind, int64_t id, std::string type, const char* on, Fields payload = {},
                std::string reason = "test") {
  Event e;
  e.kind = kind;
  e.entity_id = id;
  e.type = std::move(type);
  e.recorded_on = *Date::Parse(on);
  e.actor = "tester";
  e.reason = std::move(reason);
  e.payload = std::move(payload);
  return e;
}

inline Event PersonEv(int64_t id, std::string type, const char* on, Fields payload = {},
                      std::string reason = "test") {
  return Ev(EntityKind::kPerson, id, std::move(type), on, std::move(payload), std::move(reason));
}

}  // namespace whereabouts::registry::testing
