// Reads and writes allele frequency databases, in two layouts detected from the header:
//  - long (ours, docs/FORMATS.md): tab-separated `marker`, `allele`, `frequency`, one row per
//    allele; an optional column `n` gives the marker's database size N;
//  - wide (published tables, STRidER/ENFSI style): a first column `Allele` with the allele
//    designations as rows, one column per marker, empty cells for alleles absent at a marker and
//    optionally a row `N` giving each marker's number of individuals.
// In both, `Rest allele` (or `rest`, `r`, `Rest alleles`) is the lumped rest allele of Familias
// (kinship::kRestAllele). See docs/formats.md for what is read, ignored and refused.
#pragma once

#include <string>

#include "common/result.h"
#include "kinship/frequencies.h"

namespace whereabouts::io {

// Parses the text of a frequency file in either layout. `source` names it in errors
// ("file.tsv:12: D3S1358").
// Errors: kInvalidArgument naming file, line and column for a header of neither layout, a
// non-numeric, negative or out-of-range frequency, a duplicate allele, a bad N, a marker whose
// frequencies do not sum to 1 (long layout: within 1e-6; wide layout: within the rounding of the
// decimals written, the marker then rescaled to sum to 1).
[[nodiscard]] Result<kinship::FrequencyDatabase> ParseFrequencyTsv(const std::string& text,
                                                                   const std::string& source);

// Reads and parses the file at `path`. Errors: kNotFound if it cannot be read; as above.
[[nodiscard]] Result<kinship::FrequencyDatabase> ReadFrequencyFile(const std::string& path);

// Writes `db` in the long layout (our TSV), markers and alleles in the database's order, numbers
// with 17 significant digits so that reading gives the same doubles; the column `n` is written
// when some marker has a database size. The rest allele is written `Rest allele`.
[[nodiscard]] std::string WriteFrequencyTsv(const kinship::FrequencyDatabase& db);

// Reads a whole file into a string. Errors: kNotFound.
[[nodiscard]] Result<std::string> ReadTextFile(const std::string& path);

}  // namespace whereabouts::io
