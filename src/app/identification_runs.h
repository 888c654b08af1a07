// Use case: run an identification on the register (what `whereabouts identify` does on files)
// and record its decisions as proposals for review (app/identifications.h), in one call. The
// adapter (server, CLI) parses the laboratory's files (docs/FORMATS.md) into the kinship input;
// this layer runs the engine, derives the run id (app/identify_run.h) and records the proposals.
// Nothing is identified until a DNA analyst confirms a proposal and a second one signs it off.
// Thread-safety: as the Registry passed in; `request.input` is only read.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "app/identifications.h"
#include "app/identify_run.h"
#include "app/request.h"
#include "common/result.h"
#include "kinship/identify.h"
#include "registry/registry.h"

namespace whereabouts::app {

struct RegisterRunRequest {
  WriteMeta meta;
  kinship::IdentifyInput input;      // REQUIRES: input.database outlives the call
  kinship::IdentifyOptions options;  // options.progress is called as the engine works
  // (family, missing) of the families file -> the register's person it is (its `person` column).
  std::map<std::pair<std::string, std::string>, registry::PersonId> person_of;
  // The inputs' bytes, named, for the run id (families, references, remains, remains_alleles,
  // frequencies).
  std::vector<RunPart> input_parts;
  // family -> the reference samples its pedigree uses (recorded on each proposal; empty: unknown).
  std::map<std::string, std::vector<std::string>> references_of;
  // Also record the run itself (source.identify_run: run id, options, counts and `left_out`,
  // "N reason" lines) in the same write as the proposals.
  bool record_run = false;
  std::map<std::string, int> left_out;
  // The conditioning as recorded with the run (app::ConditioningText: one line per confirmed
  // identification, used or not); "" none. The identifications conditioned on are
  // input.identified (they enter the run id's canonical options).
  std::string conditioning;
  // The frequency database's name as the laboratory gave it (for the evidence; "" unnamed).
  std::string frequencies_name;
};

struct RegisterRunResult {
  std::string run;  // the run id
  int samples = 0, individuals = 0, families = 0, missing_persons = 0;
  int identified = 0, ambiguous = 0, not_identified = 0;
  size_t skipped = 0, warnings = 0;
  ProposeFromRunResult proposals;
  kinship::IdentifyReport report;  // the engine's whole report
  int64_t run_source = 0;          // with record_run: the id of the source.identify_run recorded
};

// Runs kinship::Identify on the input and records one proposal per candidate of every identified
// or ambiguous decision whose person is in the register (ProposeFromRun; identifications given,
// input.identified, are not proposed again), each with the DNA
// evidence the engine computed for it (app/identification_evidence.h). Errors: the engine's
// (kInvalidArgument naming the option), the register's; no proposal is written on error.
[[nodiscard]] Result<RegisterRunResult> RunIdentificationOnRegister(
    registry::Registry& registry, registry::RegistryStore& store,
    const RegisterRunRequest& request);

}  // namespace whereabouts::app
