// The canonical CSV of the list of persons sought (registry/list.h): header and one line per
// entry, "\n" line ends, strict RFC 4180 quoting (Quoting::kRfc4180 of delimited.h). The list's
// SHA-256 is taken over these bytes, so the rule must not change; it is written and read with the
// one delimited reader and writer of delimited.h.
//
// Format 2 (kListCsvFormat, since signed lists) neutralises spreadsheet formulas in every cell
// (Formulas::kNeutralise of delimited.h: a leading single quote before '=', '+', '-', '@', tab or
// CR); ListFromCsv undoes it, so entries round-trip exactly. Format 1 (ListToCsvV1) wrote cells
// as given; it is kept so that JSON exports made before format 2 (they state no "format") still
// check against their sha256.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "registry/list.h"

namespace whereabouts::io {

// The name of the canonical CSV format ListToCsv writes; the JSON export states it as "format".
inline constexpr const char* kListCsvFormat = "whereabouts persons-sought csv 2";

// The canonical CSV of `entries` (format 2). Thread-safe (pure).
[[nodiscard]] std::string ListToCsv(const std::vector<registry::ListEntry>& entries);

// The canonical CSV of format 1 (no formula neutralisation), for exports that state no format.
// Thread-safe (pure).
[[nodiscard]] std::string ListToCsvV1(const std::vector<registry::ListEntry>& entries);

// Parses what ListToCsv wrote: the header must be ListColumns() exactly, every row as wide, ids
// as register ids (1..kMaxEntityId); neutralised cells are restored (RestoreFormulaCell). Errors: kInvalidArgument naming "line N" (and the column).
// Never throws.
[[nodiscard]] Result<std::vector<registry::ListEntry>> ListFromCsv(const std::string& text);

}  // namespace whereabouts::io
