// The rules of the register's entities other than persons, one file per entity (sites and
// hazard areas: snapshot_sites.cc; remains and custody: snapshot_remains.cc; relatives:
// snapshot_relatives.cc; incidents and sources: snapshot_incidents.cc). Each applies one event
// of its kind to a Snapshot or returns the rule it breaks; ApplyToSnapshot (snapshot.cc) picks
// the function by the event's kind. Internal to src/registry.
#pragma once

#include <cstdlib>
#include <string>
#include <string_view>

#include "registry/snapshot.h"

namespace whereabouts::registry::internal {

// A broken rule (kFailedPrecondition).
[[nodiscard]] inline Error Rule(std::string message, std::string field = {}) {
  return Error{ErrorCode::kFailedPrecondition, std::move(message), std::move(field)};
}

// A decimal number (strtod: never throws). Errors: kInvalidArgument naming `field`.
[[nodiscard]] inline Result<double> ParseDouble(std::string_view s, std::string_view field) {
  std::string tmp(s);
  char* end = nullptr;
  const double v = std::strtod(tmp.c_str(), &end);
  if (tmp.empty() || end != tmp.c_str() + tmp.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "expected a number", std::string(field));
  }
  return v;
}

// Events of one record are appended in date order.
template <typename T>
[[nodiscard]] Status CheckOrder(const T& entity, const Event& e) {
  if (e.recorded_on < entity.last_event_on) {
    return tl::unexpected(Rule("recorded on " + e.recorded_on.ToString() +
                               ", before the last event of this record (" +
                               entity.last_event_on.ToString() + "); history is only appended"));
  }
  return {};
}

[[nodiscard]] Status ApplySiteEvent(Snapshot& snap, const Event& e);
[[nodiscard]] Status ApplyHazardEvent(Snapshot& snap, const Event& e);
[[nodiscard]] Status ApplyRemainsEvent(Snapshot& snap, const Event& e);
[[nodiscard]] Status ApplyRelativeEvent(Snapshot& snap, const Event& e);
[[nodiscard]] Status ApplySourceEvent(Snapshot& snap, const Event& e);
[[nodiscard]] Status ApplyIncidentEvent(Snapshot& snap, const Event& e);

}  // namespace whereabouts::registry::internal
