// What every use case that writes takes besides its own fields: who acts, why, and the
// idempotency key of the request. The CLI fills it from --by, --reason and --idempotency-key; the
// server from the session's account and the request's headers. The recorded date is never part of
// a request: the register takes it from its clock (registry/clock.h).
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "registry/registry.h"

namespace whereabouts::app {

struct WriteMeta {
  std::string actor;   // the acting user
  std::string reason;  // why: a source, the reason of a correction ("" when none is needed)
  std::string idempotency_key;  // "" none: a retried request with the same key records nothing
};

// A new event about (kind, id) (id 0 in a creation event: the register gives one) by meta's actor
// for meta's reason. Its recorded date is set by the register's clock (Registry::Record).
[[nodiscard]] inline registry::Event NewEvent(const WriteMeta& meta, registry::EntityKind kind,
                                              std::string type, int64_t id) {
  registry::Event e;
  e.kind = kind;
  e.type = std::move(type);
  e.entity_id = id;
  e.actor = meta.actor;
  e.reason = meta.reason;
  return e;
}

// The register's write options for `meta` (no expected versions).
[[nodiscard]] inline registry::WriteOptions WriteOptionsFor(const WriteMeta& meta) {
  registry::WriteOptions o;
  o.idempotency_key = meta.idempotency_key;
  return o;
}

}  // namespace whereabouts::app
