// Allele tables: the STR profiles of reference and remains samples in the layout genotyping
// software writes (GeneMapper ID-X "Genotypes" export), as docs/FORMATS.md describes:
// `Sample Name`, `Marker`, `Allele 1`, `Allele 2`, ... ; one row per sample and marker.
//
// Reading: marker names are canonicalised (kinship::CanonicalMarkerName), alleles too
// (kinship::CanonicalAllele, so "OL" stays "OL"). One filled allele cell is read as the call a/a
// (one allele seen: a homozygote in a good reference, possibly a drop-out in a degraded sample;
// the drop-out model is the caller's choice, since only it knows which samples are degraded). All
// cells empty, or the marker absent, means untyped (the marker is left out of Profile::markers).
// A cell holding `-` is an allele present but not designated: `12` and `-` is the call 12/- (12
// plus any allele, as in the kinship case format; for a sample with a drop-out model, one allele
// shown);
// `-` alone is untyped. Writing gives 12/- back as `12`, `-`.
// `AMEL` / `Amelogenin` (X, Y) sets Profile::amelogenin_sex and is not a kinship marker.
//
// GeneMapper ID-X "Genotypes Table" exports (docs/formats.md) are read by the same functions. A
// header with a column only such an export has (`Sample File`, `Size n`, `Height n`,
// `Data Point n`, `Peak Area n`, `Dye`, `Panel`, a quality-flag column such as `AN` or `CGQ`, or
// `Sample Comment`) switches these rules on, for that file only:
// - any number of `Allele n` columns; more than two different alleles at a marker (every sample is
//   taken as single-source) is a possible mixture: that marker of that sample is not used, with
//   a warning (a plain table refuses the row, as before);
// - an allele carrying a suffix (`12-NB`, `9.3?`, `OL*`: a label GeneMapper or the analyst added
//   to the designation) or a `?` alone makes its marker not used, with a warning; `OL` alone is
//   read as OL;
// - Size n, Height n, Data Point n, Peak Area n, Dye, Panel and other columns are ignored;
// - quality-flag columns (AN, SHP, OS, OBA, SPU, ADO, AE, BIN, PHR, LPK, LPH, MPH, NBC, GQ, CGQ,
//   BD, OVL, SPK, SPA, CC, ME, SQ) raised on a row, and a non-empty `Sample Comment`, give one
//   warning per row (the comment's text is not repeated: it may name persons);
// - with a `Sample File` column, rows of one sample from different files are runs of the same
//   sample: the runs are merged into one profile when every marker typed in two runs has the same
//   call there (stated in a warning), and the sample is refused when they disagree (the reason
//   names the marker, both calls and both files).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/profiles.h"

namespace whereabouts::io {

// Parses the text of an allele table; `source` names it in errors. Profiles come in the order
// their samples first appear; a sample whose rows are all untyped still gets a (empty) profile.
// Warnings (GeneMapper exports) are dropped: use ParseAlleleTableWithWarnings to show them.
// A sample whose runs disagree is an error (naming the later run's row).
// Errors (kInvalidArgument, each naming source:line: column): a missing `Sample Name`, `Marker` or
// allele column (`Allele 1`, also written `Allele1`); an empty sample name or marker; a bad allele
// designation; three or more different alleles at one marker (every sample is taken as
// single-source); a sample/marker pair given twice; an amelogenin value other than X or Y.
[[nodiscard]] Result<std::vector<kinship::Profile>> ParseAlleleTable(std::string_view text,
                                                                     const std::string& source);
// Reads and parses the file at `path`. Errors: kNotFound if it cannot be read; as above.
[[nodiscard]] Result<std::vector<kinship::Profile>> ReadAlleleTable(const std::string& path);

// What the reader tells the user without refusing anything: a marker not used (a possible
// mixture, an allele with a suffix), quality flags raised, a sample comment, runs merged.
struct AlleleTableWarning {
  std::string sample;
  std::string marker;  // canonical; empty when it concerns the whole sample
  std::string where;   // "source:line: column"
  std::string message;
  // "where: message"
  [[nodiscard]] std::string ToString() const { return where + ": " + message; }
};

// The profiles of a file and one error per sample left out.
struct AlleleTableFile {
  std::vector<kinship::Profile> profiles;
  std::vector<Error> skipped;                // field: source:line: column; message names the sample
  std::vector<AlleleTableWarning> warnings;  // in the order of the file's rows
  bool genemapper = false;                   // the header showed a GeneMapper ID-X export
};

// As ParseAlleleTable (row errors are fatal), but keeps the warnings, and a sample whose runs
// disagree (GeneMapper exports with `Sample File`) is left out with the reason in `skipped`
// instead of failing the file: the batch identification reads its inputs so, and reports both.
[[nodiscard]] Result<AlleleTableFile> ParseAlleleTableWithWarnings(std::string_view text,
                                                                   const std::string& source);
[[nodiscard]] Result<AlleleTableFile> ReadAlleleTableWithWarnings(const std::string& path);

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
