// Markers and allele frequency databases.
//
// A marker (an autosomal STR locus such as D3S1358) has a list of alleles ("9", "9.3", "31.2", "OL")
// with population frequencies that sum to 1. The database is the set of markers a case may use.
// Pure: loading from a file is an adapter's job (src/io/frequency_tsv.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace whereabouts::kinship {

// Tolerance on the sum of a marker's frequencies.
inline constexpr double kFrequencySumTolerance = 1e-6;

// The canonical designation of a marker's lumped "rest" allele: the frequency of every allele
// the table does not list, as Familias writes it ("Rest allele"). An allele observed in a profile
// but absent from the marker takes the rest allele's frequency (see WithRestAssigned).
inline constexpr std::string_view kRestAllele = "REST";

// True for the spellings of a rest lump that published tables and Familias use: "Rest allele",
// "Rest alleles", "rest", "r", "rest_allele" (any case, surrounding spaces ignored).
[[nodiscard]] bool IsRestAlleleName(std::string_view designation);

// Canonical marker name: upper case, spaces and dashes become '_' ("Penta E" -> "PENTA_E",
// "vWA" -> "VWA"). Matching of marker names is done on this form.
[[nodiscard]] std::string CanonicalMarkerName(std::string_view name);

// Canonical allele designation: numeric alleles lose leading/trailing zeros ("09" -> "9",
// "10.0" -> "10", "9.30" -> "9.3"); anything else is upper-cased ("ol" -> "OL").
// Errors: kInvalidArgument for an empty designation or one with characters other than
// digits, one '.', or letters.
[[nodiscard]] Result<std::string> CanonicalAllele(std::string_view allele);

// Numeric value of a canonical allele ("9.3" -> 9.3), or nullopt for "OL" and other names.
[[nodiscard]] std::optional<double> AlleleValue(std::string_view canonical_allele);

struct MarkerFrequencies {
  std::string name;                  // canonical name
  std::vector<std::string> alleles;  // canonical designations, unique
  std::vector<double> frequencies;   // same length as alleles, each in (0, 1], summing to 1
  std::vector<std::string> added_alleles;  // alleles added with a minimum frequency (if any)
  // Observed alleles absent from the table that took the rest allele's frequency (if any).
  std::vector<std::string> rest_alleles;
  // N, the number of individuals the marker's frequencies were estimated from; 0 when the table
  // does not give it. Labs derive a minimum frequency 5/2N from it (MinimumFrequencyFromSize).
  int database_size = 0;

  // True when the marker lists the lumped rest allele (kRestAllele).
  [[nodiscard]] bool HasRestAllele() const { return IndexOf(kRestAllele) >= 0; }

  // Index of `allele` (canonical), or -1.
  [[nodiscard]] int IndexOf(std::string_view allele) const;
  [[nodiscard]] int size() const { return static_cast<int>(alleles.size()); }
};

// Checks a marker: non-empty, unique canonical alleles, frequencies in (0,1], sum 1 within
// kFrequencySumTolerance. Errors: kInvalidArgument naming the marker and allele.
[[nodiscard]] Status ValidateMarker(const MarkerFrequencies& marker);

// Returns a copy of `marker` with the `missing` alleles added at `minimum_frequency` each and all
// frequencies rescaled to sum to 1; the added alleles are listed in added_alleles.
// REQUIRES: 0 < minimum_frequency < 1; `missing` are canonical and absent from the marker.
[[nodiscard]] MarkerFrequencies WithAddedAlleles(const MarkerFrequencies& marker,
                                                 const std::vector<std::string>& missing,
                                                 double minimum_frequency);

// Returns a copy of `marker` in which the `unlisted` alleles (observed, absent from the table)
// replace the rest allele: one unlisted allele takes the rest allele's frequency whole (exactly as
// if the table had listed it with that frequency); k of them share it equally (each 1/k of it),
// since the table says nothing about how the lump divides. They are listed in rest_alleles.
// REQUIRES: marker.HasRestAllele(); `unlisted` non-empty, canonical, unique, absent from marker.
[[nodiscard]] MarkerFrequencies WithRestAssigned(const MarkerFrequencies& marker,
                                                 const std::vector<std::string>& unlisted);

// The minimum frequency 5/2N of a marker whose database size N is known, or nullopt when the
// table did not give N (the caller must then say so: never a silent default).
[[nodiscard]] std::optional<double> MinimumFrequencyFromSize(const MarkerFrequencies& marker);

// An immutable set of markers keyed by canonical name. Thread-safe for concurrent reads.
class FrequencyDatabase {
 public:
  FrequencyDatabase() = default;
  // Validates every marker (see ValidateMarker) and rejects duplicate marker names.
  [[nodiscard]] static Result<FrequencyDatabase> Create(std::vector<MarkerFrequencies> markers);

  // The marker named `name` (any case/spelling that canonicalises to it), or nullptr.
  [[nodiscard]] const MarkerFrequencies* Find(std::string_view name) const;
  // Marker names in the order they were given.
  [[nodiscard]] const std::vector<std::string>& MarkerNames() const { return order_; }

 private:
  std::map<std::string, MarkerFrequencies, std::less<>> markers_;
  std::vector<std::string> order_;
};

}  // namespace whereabouts::kinship
