// Reads kinship cases in the `whereabouts-kinship-cases/1` JSON format (one case object, or a
// collection {"cases": [...]}), as documented in shared/reference/README.md, and writes results.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "kinship/lr.h"

namespace whereabouts::io {

struct ExpectedLr {
  double lr = 0.0;
  std::map<std::string, double> per_marker;
};

struct CaseEntry {
  kinship::KinshipCase kinship_case;
  std::string frequencies_path;  // resolved against the case file's folder
  std::optional<ExpectedLr> expected;
};

struct CaseFile {
  std::vector<CaseEntry> cases;
  bool collection = false;  // the file held {"cases": [...]}
};

// Parses `text`; `path` names the file in errors and anchors relative frequency paths.
// Errors: kInvalidArgument naming the file, case and field (malformed JSON, a genotype with three
// alleles, an unknown mutation model, a bad sex, ...).
[[nodiscard]] Result<CaseFile> ParseCaseFile(const std::string& text, const std::string& path);

// Reads and parses the file at `path`. Errors: kNotFound if unreadable; as above.
[[nodiscard]] Result<CaseFile> ReadCaseFile(const std::string& path);

// {"id", "lr", "log10_lr", "per_marker": {marker: lr}, "added_alleles"?: {marker: [..]},
//  "rest_alleles"?: {marker: [..]}} (alleles not in the table that took its rest allele's
// frequency).
// Non-finite log10 (LR 0) is written as null.
[[nodiscard]] nlohmann::ordered_json LrResultToJson(const kinship::LrResult& result);

}  // namespace whereabouts::io
