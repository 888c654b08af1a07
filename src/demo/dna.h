// The demo's DNA: families simulated by the kinship engine (kinship::Simulate) linked to the demo
// register's persons, recorded in the register itself: the relatives with their place in the
// pedigree (a relationship word of app::RelationshipWords, their sex), their reference samples
// and profiles, and the remains samples with their profiles on the register's own remains (the
// commingled bags HB-001.. and body bags recovered at the register's graves). `whereabouts
// identify --db` then runs on them, so that its proposals name the register's sites and remains.
// Pure and deterministic; linked only by the CLI and the tests, like demo/demo.h.
#pragma once

#include <vector>

#include "kinship/simulate.h"
#include "registry/event.h"

namespace whereabouts::demo {

struct DemoDna {
  // relative.registered of every reference member of a linked family, dated 30 days after its
  // missing person's registration.
  std::vector<registry::Event> relatives;
  // relative.profile_recorded of each of them, the same day.
  std::vector<registry::Event> reference_profiles;
  // The remains' DNA: remains.recovered of the body bags found in the graves (new remains at the
  // register's excavated sites), remains.sampled and remains.profile_recorded of every remains
  // sample (the simulated bags are the register's bags HB-001, HB-002, ... in order).
  std::vector<registry::Event> remains;
  int linked = 0;  // simulated missing persons linked to a register person
};

// Links each simulated missing person of `scenario` to a person of `demo` (the events of
// DemoEvents) of the same sex whose case is open (not identified, found alive, merged or
// withdrawn), in id order, setting its FamilyMember::person to the register id; a family's first
// linked missing person is the one its references are relatives of. Returns what to record.
[[nodiscard]] DemoDna LinkSimulatedFamilies(const std::vector<registry::Event>& demo,
                                            kinship::SimulatedScenario& scenario);

}  // namespace whereabouts::demo
