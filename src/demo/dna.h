// The demo's DNA: families simulated by the kinship engine (kinship::Simulate) linked to the demo
// register's persons, and the relatives that gave their reference samples. Pure and
// deterministic; linked only by the CLI and the tests, like demo/demo.h.
#pragma once

#include <vector>

#include "kinship/simulate.h"
#include "registry/event.h"

namespace whereabouts::demo {

struct DemoDna {
  // relative.registered of every reference member of a linked family, dated 30 days after its
  // missing person's registration.
  std::vector<registry::Event> relatives;
  int linked = 0;  // simulated missing persons linked to a register person
};

// Links each simulated missing person of `scenario` to a person of `demo` (the events of
// DemoEvents) of the same sex that is still counted (not merged, not withdrawn), in id order,
// setting its FamilyMember::person to the register id; a family's first linked missing person is
// the one its references are relatives of. Returns their relatives to register.
[[nodiscard]] DemoDna LinkSimulatedFamilies(const std::vector<registry::Event>& demo,
                                            kinship::SimulatedScenario& scenario);

}  // namespace whereabouts::demo
