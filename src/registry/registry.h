// The register's use cases: record an event after checking the rules that span several records
// (merge target exists, excavation outside uncleared hazard areas, a relative's person exists),
// and read the register as of any date (persons, snapshot, figures, hazard flags).
// The store (RegistryStore) and the geometry engine (Geometry) are ports passed in.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "registry/figures.h"
#include "registry/geometry.h"
#include "registry/identification.h"
#include "registry/person.h"
#include "registry/snapshot.h"
#include "registry/store_port.h"

namespace whereabouts::registry {

// How a site relates to one hazard area that is not cleared.
struct SiteHazardFlag {
  int64_t site_id = 0;
  int64_t hazard_id = 0;
  HazardStatus status = HazardStatus::kSuspected;
  bool inside = false;
  double distance_m = 0;
};

class Registry {
 public:
  // REQUIRES: `store` and `geometry` outlive the Registry.
  Registry(RegistryStore& store, Geometry& geometry) : store_(store), geometry_(geometry) {}

  // Checks `e` against the current register and appends it, in one write transaction of the store
  // (RegistryStore::RunWrite): the rules, the id and the append are atomic with respect to other
  // writers. Returns the stored event (with its
  // seq and id). Errors: the rule broken (kFailedPrecondition with the reason, e.g. "site 3 lies
  // inside hazard area 2 ..."), kNotFound, kInvalidArgument, kIo. Nothing is written on error.
  [[nodiscard]] Result<Event> Record(Event e);

  // Appends a batch in one transaction, checking non-person events against the snapshot as it
  // grows (person rules are enforced by the store). For bulk import.
  [[nodiscard]] Result<std::vector<Event>> RecordBatch(std::vector<Event> events);

  // Sites, hazards, remains and lists as of `as_of` (relatives only when `with_relatives`: they
  // are many and no figure needs them).
  [[nodiscard]] Result<Snapshot> LoadSnapshot(const AsOf& as_of, bool with_relatives = false);
  [[nodiscard]] Result<Figures> ComputeFigures(const AsOf& as_of, const AgeLimits& limits);

  // Identification proposals and their decisions as of `as_of` (replayed from person events).
  [[nodiscard]] Result<Proposals> LoadProposals(const AsOf& as_of);

  // Sites lying inside, or within `near_m` metres of, a hazard area that is not cleared, as of
  // `as_of`, in (site, hazard) order.
  [[nodiscard]] Result<std::vector<SiteHazardFlag>> SiteHazards(const AsOf& as_of, double near_m);

 private:
  // Record and RecordBatch, inside the store's write transaction.
  [[nodiscard]] Result<Event> RecordLocked(Event e);
  [[nodiscard]] Result<std::vector<Event>> RecordBatchLocked(std::vector<Event> events);
  [[nodiscard]] Status CheckCrossRules(const Event& e, const Snapshot& snap);
  // Proposals, confirmations, rejections and family notifications (registry/identification.h).
  [[nodiscard]] Status CheckIdentificationRules(const Event& e);

  RegistryStore& store_;
  Geometry& geometry_;
};

// Flags of one site against every hazard area in `snap` that is not cleared.
[[nodiscard]] Result<std::vector<SiteHazardFlag>> FlagSite(const Site& site, const Snapshot& snap,
                                                           Geometry& geometry, double near_m);

}  // namespace whereabouts::registry
