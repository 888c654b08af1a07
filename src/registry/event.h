// Events: the only way the register changes. Every change (who, when, what, why) is appended as an
// Event; current state and the state as of any past date are derived by applying events in order.
// Corrections are new events; nothing is updated in place or deleted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/numbers.h"
#include "common/result.h"
#include "registry/date.h"

namespace whereabouts::registry {

// The largest id an entity may have is whereabouts::kMaxEntityId (common/numbers.h, 2^53 - 1):
// larger ids are refused, also when the store would assign one.

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
  // The event-chain hash after this event (hex SHA-256 of the previous hash and this event's
  // canonical bytes, ChainHash), assigned by the store; "" before. Recomputing the chain from the
  // events shows any later change to the history.
  std::string hash;

  // The value of `name` or "" when absent.
  [[nodiscard]] std::string_view Get(std::string_view name) const {
    auto it = payload.find(name);
    return it == payload.end() ? std::string_view{} : std::string_view{it->second};
  }
};

// One kind of event the register knows. Every event recorded, singly or in bulk, must have a type
// in this table and the table's entity kind; the rules and the application of each type live with
// their entity (person.cc for persons, snapshot.cc for the others).
struct EventType {
  std::string_view name;  // "person.registered"
  EntityKind kind;
  bool creation;  // the first event of an id
};

// The type named `name`, or nullptr when the register knows no such type.
[[nodiscard]] const EventType* FindEventType(std::string_view name);

// Every known type, in a fixed order.
[[nodiscard]] const std::vector<EventType>& EventTypes();

// Checks that `e` has a known type of its entity kind. Errors: kInvalidArgument naming the type.
[[nodiscard]] Status CheckEventType(const Event& e);

// True when `type` creates its entity (the first event of an id).
[[nodiscard]] bool IsCreationEvent(std::string_view type);

// The chain hash after `e` given the hash after the previous event ("" before the first): hex
// SHA-256 of `prev_hash` and the canonical bytes of e's seq, kind, entity id, type, recorded_on,
// actor, reason and payload (each field length-prefixed, payload in key order).
[[nodiscard]] std::string ChainHash(std::string_view prev_hash, const Event& e);

// The last event of the register (as of a date): what a report was computed from.
struct ChainHead {
  int64_t seq = 0;   // 0: no event yet
  Date recorded_on;  // meaningful when seq > 0
  std::string hash;  // "" when seq == 0
};

// A point in the register's history: nullopt means "now" (every event).
using AsOf = std::optional<Date>;

[[nodiscard]] inline bool Visible(const Event& e, const AsOf& as_of) {
  return !as_of || e.recorded_on <= *as_of;
}

}  // namespace whereabouts::registry
