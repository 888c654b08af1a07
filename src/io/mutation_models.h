// Per-marker mutation models as a table (the `--mutation-models` file of `whereabouts identify`):
// tab- or comma-separated, columns `marker`, `model` (none, equal, proportional, stepwise), `rate`,
// and for stepwise `rate2` and `range`; optional `sex` (`both`, the default, `male` or `female`:
// a marker may have one row per sex). Markers not listed keep the run's default model.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "kinship/mutation.h"

namespace whereabouts::io {

// Parses the table into per-marker models (canonical marker names); a marker given a model for
// one sex only takes `fallback` for the other. `source` names the file in errors.
// Errors (kInvalidArgument, "source:line: column"): a missing column, an unknown model or sex, a
// bad or out-of-range number, a stepwise row without rate2 or range, a marker and sex given twice.
[[nodiscard]] Result<std::map<std::string, kinship::MarkerMutation, std::less<>>>
ParseMutationModels(std::string_view text, const std::string& source,
                    const kinship::MutationModel& fallback);

// Reads and parses the file at `path`. Errors: kNotFound if unreadable; as above.
[[nodiscard]] Result<std::map<std::string, kinship::MarkerMutation, std::less<>>>
ReadMutationModels(const std::string& path, const kinship::MutationModel& fallback);

}  // namespace whereabouts::io
