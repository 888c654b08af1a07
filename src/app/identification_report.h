// Use case of the identification report (issue 12): everything an expert signs and a court reads
// about one identification proposal, gathered from one consistent view of the register: the case
// and the missing person, the remains the proposal names (their site, samples and custody
// events), the DNA evidence the run recorded with the proposal (registry/identification_evidence.h:
// the pedigree and who was typed, per marker the calls and the LR, the assumptions), the other
// proposals for the same individual of the same run, the decisions (who proposed, confirmed,
// signed off, and when) and the chain head it was read at.
//
// The evidence is only what the run recorded; nothing is recomputed or filled in. A proposal
// recorded without evidence (entered by hand, imported without the run's evidence.txt, or from
// before evidence was kept) gets no report: the refusal says so. The evidence must agree with
// the proposal (individual, family, missing person, LR and posterior as recorded, and the
// product of the markers' LRs), or the report is refused too. Laying the report out is the
// adapter's (src/io/pdf/). Thread-safety: as the Registry and store passed in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/documents.h"
#include "common/result.h"
#include "registry/identification.h"
#include "registry/identification_evidence.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/snapshot.h"
#include "registry/store_port.h"

namespace whereabouts::app {

struct IdentificationReport {
  DocumentBasis basis;
  registry::Person person;
  registry::IdentificationProposal proposal;
  registry::ProposalEvidence evidence;
  std::optional<registry::Site> site;  // the proposal's site, when it names one
  // The register's remains whose label the proposal names (its `remains`, "|"-separated), in the
  // proposal's order, with the sites they were recovered at and their events (recovery,
  // transfers of custody, samples, profiles) in order; labels the register does not hold.
  std::vector<registry::Remains> remains;
  std::map<int64_t, registry::Site> remains_sites;
  std::map<int64_t, std::vector<registry::Event>> custody;  // by remains id
  std::vector<std::string> remains_not_in_register;
  // The other proposals of the same run for the same individual (its other candidates).
  std::vector<registry::IdentificationProposal> same_individual;
};

// The report of proposal `proposal`. Errors: kNotFound "no proposal N"; kFailedPrecondition
// naming the reason when the proposal records no evidence, its evidence cannot be read, or it
// disagrees with the proposal; the store's.
[[nodiscard]] Result<IdentificationReport> PrepareIdentificationReport(
    registry::Registry& registry, registry::RegistryStore& store, int64_t proposal);

}  // namespace whereabouts::app
