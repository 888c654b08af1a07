// Use case: turn the decisions of an identification run (`whereabouts identify`) into
// identification proposals in the register (person.identification_proposed), for a person to
// confirm or reject. Nobody is identified here.
//
// The caller reads the run's files (src/io/identify_results.h) and passes their contents as data;
// this layer reads no file and names no command-line option.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "kinship/assign.h"
#include "registry/date.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// A missing person a decision is about, with its LR and posterior as the run wrote them (they are
// recorded as written).
struct RunCandidate {
  std::string family, missing;
  std::string lr, posterior;
  // The candidate's DNA evidence (registry::EncodeEvidence), recorded with its proposal; "" when
  // the run gave none.
  std::string evidence;
};

struct RunDecision {
  std::string individual;
  kinship::Decision decision = kinship::Decision::kNotIdentified;
  std::vector<RunCandidate> candidates;  // identified: one; ambiguous: two or more, best first
};

struct ProposeFromRunRequest {
  // Who records the proposals (the acting user), why, and when the register learned of them.
  std::string actor;
  std::string reason;
  registry::Date recorded_on;
  // The date of the identification proposed; nullopt: the recording date.
  std::optional<registry::Date> date;
  std::string run;  // the run's id
  std::vector<RunDecision> decisions;
  // (family, missing) of the run -> the register's person (families file, `person` column).
  std::map<std::pair<std::string, std::string>, registry::PersonId> person_of;
  // Per individual: its samples and the bags they came from, in the order the run lists them.
  std::map<std::string, std::vector<std::string>> samples_of;
  std::map<std::string, std::vector<std::string>> bags_of;
  // Per sample: the site the remains list names (as written: a register site's id or name);
  // nullopt when no remains list was given.
  std::optional<std::map<std::string, std::string>> site_of_sample;
  // family -> the reference samples its pedigree uses: recorded on each proposal as `references`
  // (a run on the register). Empty: not recorded.
  std::map<std::string, std::vector<std::string>> references_of;
  // Events recorded first in the same batch as the proposals (the run itself), even when no
  // proposal is made.
  std::vector<registry::Event> record_first;
};

struct ProposeFromRunResult {
  int proposed = 0;        // proposals recorded
  int ambiguous = 0;       // of them, on a candidate of an ambiguous decision
  int not_identified = 0;  // decisions skipped: not identified
  int unlinked = 0;        // decisions none of whose candidates has a register person
  int not_open = 0;        // candidates whose person's case is not open
  int unknown = 0;         // candidates whose register id names no person of the register
  int repeated = 0;        // candidates already proposed from the same run (not rejected)
  bool remains_list_given = false;
  // Proposals recorded without a site, by the reason (the site_note of the proposal).
  std::map<std::string, int> without_site;
  // The entity id of the first of record_first as recorded (0 when none).
  int64_t first_recorded_id = 0;
};

// Records one proposal per candidate of every identified or ambiguous decision whose person is in
// the register with an open case and was not proposed for the same individual by the same run
// (so re-running it proposes nothing twice). A proposal carries the run, the individual, its
// bags as the remains, the candidate's family, missing person, LR and posterior, and the site
// when every sample of the individual comes from one site that the register knows (by id, or by
// a name only one site has); otherwise a note says why the site is empty. A candidate of an
// ambiguous decision is flagged ambiguous and names all candidates.
// All proposals are recorded in one batch, or none. Errors: those of the store and of the
// register's rules (Registry::RecordBatch).
[[nodiscard]] Result<ProposeFromRunResult> ProposeFromRun(registry::Registry& registry,
                                                          registry::RegistryStore& store,
                                                          const ProposeFromRunRequest& request);

}  // namespace whereabouts::app
