// Events: the only way the register changes. Every change (who, when, what, why) is appended as an
// Event; current state and the state as of any past date are derived by applying events in order.
// Corrections are new events; nothing is updated in place or deleted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "registry/date.h"

namespace whereabouts::registry {

// What an event is about. The names are the words used in the schema and the CLI.
enum class EntityKind { kPerson, kRelative, kSite, kHazard, kRemains, kList, kIncident, kSource };

[[nodiscard]] std::string_view EntityKindName(EntityKind kind);
[[nodiscard]] Result<EntityKind> ParseEntityKind(std::string_view name);

// The "what" of an event: field name -> value, as text (dates as YYYY-MM-DD). Ordered, so that
// its serialisation is deterministic.
using Fields = std::map<std::string, std::string, std::less<>>;

struct Event {
  int64_t seq = 0;  // position in the history, assigned by the store (0 before)
  EntityKind kind = EntityKind::kPerson;
  int64_t entity_id = 0;  // 0 in a creation event asks the store for a fresh id
  std::string type;       // "person.registered", "site.excavated", ...
  Date recorded_on;       // when the register learned it: the axis of "as of" queries
  std::string actor;      // who recorded it
  std::string reason;     // why (source, correction note)
  Fields payload;

  // The value of `name` or "" when absent.
  [[nodiscard]] std::string_view Get(std::string_view name) const {
    auto it = payload.find(name);
    return it == payload.end() ? std::string_view{} : std::string_view{it->second};
  }
};

// True when `type` creates its entity (the first event of an id).
[[nodiscard]] bool IsCreationEvent(std::string_view type);

// A point in the register's history: nullopt means "now" (every event).
using AsOf = std::optional<Date>;

[[nodiscard]] inline bool Visible(const Event& e, const AsOf& as_of) {
  return !as_of || e.recorded_on <= *as_of;
}

}  // namespace whereabouts::registry
