// Allele tables: the STR profiles of reference and remains samples in the layout genotyping
// software writes (GeneMapper ID-X "Genotypes" export), as docs/FORMATS.md describes:
// `Sample Name`, `Marker`, `Allele 1`, `Allele 2`, ... ; one row per sample and marker.
//
// Reading: marker names are canonicalised (kinship::CanonicalMarkerName), alleles too
// (kinship::CanonicalAllele, so "OL" stays "OL"). One filled allele cell is read as the call a/a
// (one allele seen: a homozygote in a good reference, possibly a drop-out in a degraded sample;
// the drop-out model is the caller's choice, since only it knows which samples are degraded). All
// cells empty, or the marker absent, means untyped (the marker is left out of Profile::markers).
// A cell holding `-` is an allele present but not designated: `12` and `-` is the call 12/- (12 plus
// any allele, as in the kinship case format; for a sample with a drop-out model, one allele shown);
// `-` alone is untyped. Writing gives 12/- back as `12`, `-`.
// `AMEL` / `Amelogenin` (X, Y) sets Profile::amelogenin_sex and is not a kinship marker.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/profiles.h"

namespace whereabouts::io {

// Parses the text of an allele table; `source` names it in errors. Profiles come in the order
// their samples first appear; a sample whose rows are all untyped still gets a (empty) profile.
// Errors (kInvalidArgument, each naming source:line: column): a missing `Sample Name`, `Marker` or
// allele column (`Allele 1`, also written `Allele1`); an empty sample name or marker; a bad allele
// designation; three or more different alleles at one marker (every sample is taken as
// single-source); a sample/marker pair given twice; an amelogenin value other than X or Y.
[[nodiscard]] Result<std::vector<kinship::Profile>> ParseAlleleTable(std::string_view text,
                                                                     const std::string& source);
// Reads and parses the file at `path`. Errors: kNotFound if it cannot be read; as above.
[[nodiscard]] Result<std::vector<kinship::Profile>> ReadAlleleTable(const std::string& path);

// The profiles of a file and one error per sample left out.
struct AlleleTableFile {
  std::vector<kinship::Profile> profiles;
  std::vector<Error> skipped;  // field: source:line: column; message names the sample
};

// As ParseAlleleTable / ReadAlleleTable, but a sample with a row error (bad allele, three alleles,
// a marker given twice, ...) is left out with its first error in `skipped`, and the others are
// read, so a batch run can report the sample and go on. Rows without a sample name are reported
// too. Fatal errors: an unreadable file (kNotFound), an empty file, a missing column, a broken
// quote.
[[nodiscard]] Result<AlleleTableFile> ParseAlleleTableSkippingBadSamples(std::string_view text,
                                                                         const std::string& source);
[[nodiscard]] Result<AlleleTableFile> ReadAlleleTableSkippingBadSamples(const std::string& path);

// The allele table of `profiles`: columns `Sample Name`, `Marker`, `Allele 1`, `Allele 2`; markers
// in each profile's (alphabetical) order, then `AMEL` when the sex is known (X | X,Y). A homozygote
// a/a is written as one filled cell (as genotyping software does); an untyped call is not written;
// a call with one unknown allele ("a/-") is written as its known allele.
[[nodiscard]] std::string FormatAlleleTable(const std::vector<kinship::Profile>& profiles,
                                            char delimiter = '\t');
// Writes FormatAlleleTable to `path` (tab-separated for .tsv/.txt, else comma). Errors: kIo.
[[nodiscard]] Status WriteAlleleTable(const std::string& path,
                                      const std::vector<kinship::Profile>& profiles);

// True when `canonical_marker` names amelogenin ("AMEL", "AMELOGENIN").
[[nodiscard]] bool IsAmelogenin(std::string_view canonical_marker);

}  // namespace whereabouts::io
