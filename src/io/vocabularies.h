// The register's closed vocabularies as configured by a commission: a JSON file (the data
// folder's vocabularies.json) whose lists extend registry::Vocabularies::Defaults():
//   {"relationships": ["step-mother"], "site_kinds": ["mine_shaft"],
//    "incident_categories": ["abducted"]}
// Any of the three lists may be absent; other keys are refused (a misspelt list would otherwise
// be ignored).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "registry/record_rules.h"

namespace whereabouts::io {

// The defaults extended by the lists of `text`; `source` names it in errors. Errors:
// kInvalidArgument (not JSON, not an object, an unknown key, a list of something other than
// non-empty strings), naming source and key.
[[nodiscard]] Result<registry::Vocabularies> ParseVocabularies(std::string_view text,
                                                               const std::string& source);

// ParseVocabularies of the file at `path`; the defaults when there is no such file.
[[nodiscard]] Result<registry::Vocabularies> ReadVocabularies(const std::string& path);

}  // namespace whereabouts::io
