// The result files of `whereabouts identify` that carry its decisions as data, and their readers
// (docs/identify.md, "Outputs"):
//   candidates.csv      individual, rank, family, missing, lr, posterior: the missing persons each
//                       decision is about (identified: one; ambiguous: two or more, best first;
//                       not identified: the best candidate, if any)
//   targets.csv         family, missing, sex, screen: what the screen did with each missing person
//                       (`screened`, `table failed`, `family not usable`)
//   summary.json "run"  the run id (see docs/identify.md)
// plus the reader of identifications.csv (../shared/docs/FORMATS.md) that `import identifications`
// uses: decisions are read from the `decision` column and the candidates from candidates.csv;
// the `reason` column is text for people and is never read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/identify.h"

namespace whereabouts::io {

// A number as identify's result files write it ("%.10g"; "inf", "-inf").
[[nodiscard]] std::string FormatResultNumber(double v);

// The text of candidates.csv / targets.csv for `rows` (comma-separated, header first).
[[nodiscard]] std::string FormatCandidates(const std::vector<kinship::IdentificationRow>& rows);
[[nodiscard]] std::string FormatTargets(const std::vector<kinship::TargetRow>& rows);

// One candidate of a decision read back; the numbers are checked and kept as written too (the
// register records them as the run wrote them).
struct ResultCandidate {
  std::string family, missing;
  double lr = 0, posterior = 0;
  std::string lr_text, posterior_text;
};
struct ResultDecision {
  std::string individual;
  kinship::Decision decision = kinship::Decision::kNotIdentified;
  std::vector<ResultCandidate> candidates;  // best first
};

// "identified", "ambiguous", "not identified" -> the decision. Errors: kInvalidArgument.
[[nodiscard]] Result<kinship::Decision> ParseDecision(std::string_view text);

// Parses identifications.csv (`identifications`, named `identifications_source` in errors) and,
// when `candidates` is given, candidates.csv. The candidates of a decision are those of
// candidates.csv in rank order; without candidates.csv, an identified decision has the one
// candidate of its row (family, missing, lr, posterior) and an ambiguous one is an error (its
// candidates are only in candidates.csv). Rows are returned in file order.
// Errors (kInvalidArgument, naming file:line: column): a missing column, an unknown decision, a
// number that is not one (an LR below 0, a posterior outside [0, 1]), a rank that is not a whole
// number >= 1 or is repeated, an identified or ambiguous individual without candidates in
// candidates.csv, or whose best candidate is not the family and missing person of its row.
[[nodiscard]] Result<std::vector<ResultDecision>> ParseDecisions(
    std::string_view identifications, const std::string& identifications_source,
    std::optional<std::string_view> candidates, const std::string& candidates_source);

// The "run" member of a summary.json (nullopt when absent: files written before run ids).
// Errors: kInvalidArgument naming `source` when the text is not a JSON object or "run" is not a
// string.
[[nodiscard]] Result<std::optional<std::string>> ParseRunId(std::string_view summary,
                                                            const std::string& source);

// The identifications given to `identify --identified FILE` (conditioning; docs/identify.md):
// columns `individual` (an individual id of the run, I0001..., or one of its sample names),
// `family`, `missing` (a missing member of that family); other columns are ignored, so a filtered
// identifications.csv of an earlier run of the same input may serve.
// Errors (kInvalidArgument, naming source:line: column): a missing column, an empty cell.
[[nodiscard]] Result<std::vector<kinship::GivenIdentification>> ParseGivenIdentifications(
    std::string_view text, const std::string& source);
[[nodiscard]] Result<std::vector<kinship::GivenIdentification>> ReadGivenIdentifications(
    const std::string& path);

}  // namespace whereabouts::io
