// Reads allele frequency databases: tab-separated `marker`, `allele`, `frequency`, header first
// (the format of shared/reference/frequencies and of docs/FORMATS.md).
#pragma once

#include <string>

#include "common/result.h"
#include "kinship/frequencies.h"

namespace whereabouts::io {

// Parses the text of a frequency file. `source` names it in errors ("file.tsv:12: ...").
// Errors: kInvalidArgument for a malformed header or line, a bad number, a marker whose
// frequencies do not sum to 1.
[[nodiscard]] Result<kinship::FrequencyDatabase> ParseFrequencyTsv(const std::string& text,
                                                                   const std::string& source);

// Reads and parses the file at `path`. Errors: kNotFound if it cannot be read; as above.
[[nodiscard]] Result<kinship::FrequencyDatabase> ReadFrequencyFile(const std::string& path);

// Reads a whole file into a string. Errors: kNotFound.
[[nodiscard]] Result<std::string> ReadTextFile(const std::string& path);

}  // namespace whereabouts::io
