// Use cases of DNA identification on the register's own data: the families (missing persons with
// their relatives as pedigrees, app/families.h), the relatives' reference profiles and the remains
// samples' profiles (with the register's remains labels as bags and its sites) gathered into the
// input of the batch identification (kinship::Identify); a run on them that records the run and
// its decisions as proposals in one write (app/identification_runs.h); and the same data as the
// exchange files of docs/FORMATS.md (export).
//
// Only reference samples whose relative's consent allows identification (app::ConsentAllows) are
// used; the others are placed in the pedigree untyped and counted, with the reason, in
// `left_out`.
//
// Conditioning (docs/identify.md, "Conditioning on identifications already made"): every
// identification confirmed in the register and not revoked whose person is a missing member of a
// family of the run enters that family's pedigree as a typed member (kinship::GivenIdentification:
// a remains sample of the confirmation names the individual) for everything that follows; the
// person is not sought and the individual not scored again. A family whose own missing person is
// identified is used while another of its missing members is still sought. A confirmed person
// whose remains have no usable profile is placed untyped (not sought); remains samples of a
// confirmation that is not conditioned on are left out of the run (counted in `left_out`), so
// that they are never proposed as someone else. Revoked identifications are not used: their
// person is sought again.
//
// Tracing a proposal back (for reports): a proposal of a run on the register has payload `run`
// (the run id; FindRegisterRun gives the source.identify_run event with the options and counts),
// `family` ("F<person id>", app::FamilyIdOf), `references` (the reference samples the family's
// pedigree used) and `samples` (the individual's remains samples); FamilyPedigreeOf(registry,
// person, as_of = the proposal's recording date) rebuilds the pedigree the run used.
// Thread-safety: as the Registry and the store passed in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/families.h"
#include "app/identification_runs.h"
#include "app/request.h"
#include "common/result.h"
#include "kinship/frequencies.h"
#include "kinship/identify.h"
#include "registry/registry.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// A confirmed identification of the register and what a run does with it.
struct RegisterConditioning {
  int64_t proposal = 0;        // the confirmed proposal
  registry::PersonId person;   // the person identified
  std::string remains;         // the proposal's remains labels, '|'-separated
  std::string sample;          // the remains sample that names the individual ("" none usable)
  std::string family, member;  // where it enters as a typed member ("" when not used)
  std::string note;            // why it is not used ("" when used)
};

// The register's DNA data as identification input (database not set).
struct RegisterDna {
  kinship::IdentifyInput input;
  // (family, "M") -> the register's person.
  std::map<std::pair<std::string, std::string>, registry::PersonId> person_of;
  // family -> the reference samples its pedigree uses.
  std::map<std::string, std::vector<std::string>> references_of;
  // Why items were left out, by reason -> how many ("reference samples without consent to
  // identification", "relatives not placed in a pedigree: ...", "families without a usable
  // reference", "remains samples without a profile", ...).
  std::map<std::string, int> left_out;
  // Families with a missing member still sought (open case) and relatives.
  int families_considered = 0;
  // Every confirmed identification (not revoked) whose person is a missing member of a family
  // considered, in the order of the families: used (family and member set, also in
  // input.identified) or not, with the reason.
  std::vector<RegisterConditioning> conditioning;
};

// One line per entry of `conditioning`: "proposal 3: person 2 as F1/R3, sample RS-1" or
// "proposal 4: person 5 not used: <note>" (recorded with the run).
[[nodiscard]] std::string ConditioningText(const std::vector<RegisterConditioning>& conditioning);

// Gathers the register's DNA data now. Families: every missing person who has relatives, whose
// case is open (or who is identified by a confirmed identification while another missing member
// of the family is open), with at least one usable reference (consent to identification and a
// profile of its latest sample) or identification conditioned on; remains: every sample of
// register remains with a profile (bag: the remains' label; site: the remains' site id, "" when
// unknown) but those of confirmations not conditioned on; conditioning as above. Errors: those
// of the store; a stored profile that cannot be read (kInvalidArgument naming the sample).
[[nodiscard]] Result<RegisterDna> CollectRegisterDna(registry::Registry& registry,
                                                     registry::RegistryStore& store);

// The pedigree of `person`'s family as of `as_of` with every relative's latest sample that has a
// profile and consent to identification as a reference (the pedigree a run on that day used).
// Errors: kNotFound "no person N"; those of BuildFamilyPedigree.
[[nodiscard]] Result<FamilyPedigree> FamilyPedigreeOf(registry::Registry& registry,
                                                      registry::RegistryStore& store,
                                                      registry::PersonId person,
                                                      const registry::AsOf& as_of);

struct RegisterIdentifyRequest {
  WriteMeta meta;
  kinship::IdentifyOptions options;
  // REQUIRES: not null; outlives the call. Its file's bytes name it in the run id.
  const kinship::FrequencyDatabase* frequencies = nullptr;
  // The bytes that name the run's inputs in its id (app/identify_run.h): the exchange files of
  // the data (docs/FORMATS.md, written by the adapter) and of the frequency database.
  std::vector<std::pair<std::string, std::string>> input_files;
};

struct RegisterIdentifyResult {
  RegisterRunResult run;  // run id, counts, report, proposals
  RegisterDna dna;        // what the run read (left_out: what it did not use, and why)
};

// Runs the identification on `dna` (CollectRegisterDna, read just before) and records, in one
// write, the run (source.identify_run: run id, options, counts, left_out) and one proposal per
// candidate of every identified or ambiguous decision (RunIdentificationOnRegister). Errors: those
// of CollectRegisterDna, of the engine (kInvalidArgument naming the option) and of the register;
// nothing is written on error.
[[nodiscard]] Result<RegisterIdentifyResult> IdentifyOnRegister(
    registry::Registry& registry, registry::RegistryStore& store,
    const RegisterIdentifyRequest& request, RegisterDna dna);

// The source.identify_run event of run `run`; nullopt when the register has none.
[[nodiscard]] Result<std::optional<registry::Event>> FindRegisterRun(registry::RegistryStore& store,
                                                                     const std::string& run);

}  // namespace whereabouts::app
