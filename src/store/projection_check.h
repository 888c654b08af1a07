// Tamper evidence of the person projections: recomputes every row of person_versions and
// person_facts from the person events (registry::ApplyPersonEvent in seq order, as the stores
// write them) and compares them with the stored rows (RegistryStore::VisitProjectionRows), so
// that a projection row changed, added or removed behind the register's back is found even where
// the event chain is intact. Used by `whereabouts verify` with the chain check.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "registry/store_port.h"

namespace whereabouts::store {

struct ProjectionCheck {
  bool checked = false;  // false: the store keeps no projection tables (MemoryStore)
  bool intact = true;
  int64_t rows = 0;     // stored rows compared
  std::string problem;  // the first row that does not match, when !intact
};

// Errors: those of the store's reads. A person history that its own rules refuse, a row that
// differs, a row no event gives, or a missing row is a finding (intact = false), not an error.
[[nodiscard]] Result<ProjectionCheck> CheckProjections(registry::RegistryStore& store);

}  // namespace whereabouts::store
