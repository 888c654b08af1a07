// The canonical CSV of the list of persons sought (registry/list.h): header and one line per
// entry, "\n" line ends, strict RFC 4180 quoting (Quoting::kRfc4180 of delimited.h). The list's
// SHA-256 is taken over these bytes, so the rule must not change; it is written and read with the
// one delimited reader and writer of delimited.h.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "registry/list.h"

namespace whereabouts::io {

// The canonical CSV of `entries`. Thread-safe (pure).
[[nodiscard]] std::string ListToCsv(const std::vector<registry::ListEntry>& entries);

// Parses what ListToCsv wrote: the header must be ListColumns() exactly, every row as wide, ids
// as register ids (1..kMaxEntityId). Errors: kInvalidArgument naming "line N" (and the column).
// Never throws.
[[nodiscard]] Result<std::vector<registry::ListEntry>> ListFromCsv(const std::string& text);

}  // namespace whereabouts::io
