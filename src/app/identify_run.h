// The id of a `whereabouts identify` run, derived from what the run read, how it was asked and
// what it found, and from nothing else: no clock, no random number, no path, no thread count, no
// timing. Two runs on the same input files with the same options give the same id; anyone can
// recompute it from the files (docs/identify.md, "Run id").
//
//   id = SHA-256 (lower-case hex) of the text
//     "whereabouts-identify-run/1\n"
//     "input <name> <SHA-256 of the file's bytes>\n"    for each input, in the order given
//     "options <SHA-256 of CanonicalOptions(options, identified)>\n"
//     "result <name> <SHA-256 of the result's bytes>\n" for each result, in the order given
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "kinship/identify.h"

namespace whereabouts::app {

// One named piece of a run: an input file's contents, or a result's.
struct RunPart {
  std::string name;        // "families", "matches.csv", ...; no space, no line break
  std::string_view bytes;  // REQUIRES: outlives the call it is passed to
};

// The options that decide a run's results, one "name value" line each in a fixed order; numbers
// with 17 significant digits (they round-trip), models by kind and all their parameters, then one
// "identified <individual> <family> <missing>" line per identification conditioned on
// (`--identified`, or the register's confirmed identifications), in the order given. Leaves out
// what does not change the results (threads, progress, candidate_evidence).
[[nodiscard]] std::string CanonicalOptions(
    const kinship::IdentifyOptions& options,
    const std::vector<kinship::GivenIdentification>& identified = {});

// The run id above (with `identified` in the canonical options).
[[nodiscard]] std::string IdentifyRunId(
    const std::vector<RunPart>& inputs, const kinship::IdentifyOptions& options,
    const std::vector<RunPart>& results,
    const std::vector<kinship::GivenIdentification>& identified = {});

}  // namespace whereabouts::app
