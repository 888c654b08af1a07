// Genotypes, the genotype space of a marker, and observations of a sample at a marker.
//
// A true genotype is an unordered pair of allele indices {i, j}. An *observation* is what a sample
// shows at a marker (two alleles, one allele, or nothing) together with the sample's allele
// drop-out probability; it contributes P(observation | true genotype) for every genotype, so that
// partial profiles, degraded remains and later ambiguous calls share one mechanism.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace whereabouts::kinship {

// The unordered genotypes {i <= j} over n alleles, indexed j*(j+1)/2 + i.
// The index does not depend on n, so one shared table serves every marker: constructing a space
// allocates nothing (up to kSharedAlleles alleles).
class GenotypeSpace {
 public:
  static constexpr int kSharedAlleles = 256;
  explicit GenotypeSpace(int n_alleles);
  GenotypeSpace(const GenotypeSpace& other) : GenotypeSpace(other.n_) {}
  GenotypeSpace& operator=(const GenotypeSpace&) = delete;
  [[nodiscard]] int alleles() const { return n_; }
  [[nodiscard]] int size() const { return size_; }
  [[nodiscard]] static int Index(int i, int j) { return i <= j ? j * (j + 1) / 2 + i : i * (i + 1) / 2 + j; }
  [[nodiscard]] int First(int g) const { return first_[g]; }    // smaller allele index
  [[nodiscard]] int Second(int g) const { return second_[g]; }  // larger allele index

 private:
  int n_;
  int size_;
  const int* first_;
  const int* second_;
  std::vector<int> own_first_, own_second_;  // only for more than kSharedAlleles alleles
};

// A genotype as written in a case or allele table: "16/18", "7/7", "15/-" (one allele known, the
// other any), "-/-" (untyped). Allele designations are canonical (see CanonicalAllele).
struct GenotypeCall {
  std::optional<std::string> first;   // nullopt = unknown
  std::optional<std::string> second;  // nullopt = unknown
  [[nodiscard]] bool untyped() const { return !first && !second; }
  [[nodiscard]] std::string ToString() const;
};

// Parses "a/b". Errors: kInvalidArgument for three or more alleles, a missing '/', or a bad
// allele designation.
[[nodiscard]] Result<GenotypeCall> ParseGenotype(std::string_view text);

// What one sample shows at one marker, with alleles as indices into the marker's allele list
// (-1 = unknown) and the sample's drop-out probability.
struct Observation {
  int first = -1;
  int second = -1;
  double dropout = 0.0;  // probability that one allele copy fails to show; 0 = reliable
  // true when the sample has *drop-out semantics*: a single shown allele may hide another one.
  bool dropout_model = false;
};

// P(observation | genotype g) for every g of `space` into `out` (multiplied in, so several samples
// of one person combine). Model (as the reference README states):
//   - both alleles unknown: 1 for every genotype;
//   - "a/-": 1 if a is in the genotype, else 0;
//   - "a/b", a != b: 1 at {a,b}, else 0 (face value, also with drop-out);
//   - "a/a" without drop-out: 1 at {a,a}; with drop-out d: 1-d^2 at {a,a}, d(1-d) at {a,x}, x != a.
void MultiplyObservation(const Observation& obs, const GenotypeSpace& space, std::vector<double>& out);

}  // namespace whereabouts::kinship
