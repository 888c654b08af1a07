// The remains list of docs/FORMATS.md: which remains sample comes from which bag (the container or
// body-part unit) and, optionally, which site. Columns `sample`, `bag`, `site` (optional).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/profiles.h"

namespace whereabouts::io {

// Parses a remains list; `source` names it in errors. Samples keep the order of the rows.
// Errors (kInvalidArgument, naming source:line: column): an empty file; a missing `sample` or `bag`
// column; an empty sample or bag; a sample listed twice.
[[nodiscard]] Result<std::vector<kinship::RemainsSample>> ParseRemains(std::string_view text,
                                                                       const std::string& source);
// Reads and parses the file at `path`. Errors: kNotFound if it cannot be read; as above.
[[nodiscard]] Result<std::vector<kinship::RemainsSample>> ReadRemains(const std::string& path);

// The text of a remains list (columns sample, bag, site).
[[nodiscard]] std::string FormatRemains(const std::vector<kinship::RemainsSample>& remains,
                                        char delimiter = ',');
// Writes FormatRemains to `path` (tab-separated for .tsv/.txt, else comma). Errors: kIo.
[[nodiscard]] Status WriteRemains(const std::string& path,
                                  const std::vector<kinship::RemainsSample>& remains);

}  // namespace whereabouts::io
