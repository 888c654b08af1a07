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
