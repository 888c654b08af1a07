// Compact per-marker evidence of one person, for the batch identification (screen, re-association).
//
// What one or several samples of a person show at a marker, as P(what was seen | true genotype g),
// in one of three shapes that are closed under multiplication (several samples of one person):
//   kUntyped     1 for every genotype
//   kGenotype    w at {a,b} (a <= b), 0 elsewhere: a heterozygote taken at face value, a reliable
//                homozygote, or samples that together pin the genotype down
//   kAllele      alpha at {a,a}, beta at {a,x} for every x != a, 0 elsewhere: a single allele seen
//                with drop-out probability d (alpha = 1 - d^2, beta = d(1 - d)), or "a/-" (1, 1)
//   kImpossible  0 everywhere: samples that cannot come from one person
// These are exactly the values MultiplyObservation (genotype.h) gives, so that results computed
// from them equal the exact engine's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kinship/frequencies.h"
#include "kinship/genotype.h"
#include "kinship/pedigree.h"

namespace whereabouts::kinship {

struct MarkerEvidence {
  enum class Kind : std::uint8_t { kUntyped, kGenotype, kAllele, kImpossible };
  Kind kind = Kind::kUntyped;
  int a = -1;  // allele index (the smaller one for kGenotype)
  int b = -1;  // kGenotype only: the larger allele index
  double alpha = 1.0;
  double beta = 0.0;  // kAllele only

  [[nodiscard]] bool typed() const { return kind != Kind::kUntyped; }
  // The value at genotype {i, j}.
  [[nodiscard]] double At(int i, int j) const;
  // A bitmask of the alleles shown (alleles >= 64 share bit 63); 0 when untyped.
  [[nodiscard]] std::uint64_t Mask() const;
};

// Evidence of an observation (allele indices into the marker; see Observation).
[[nodiscard]] MarkerEvidence EvidenceOf(const Observation& obs);

// The product of two evidences of one person (two samples, or a sample and a consensus).
[[nodiscard]] MarkerEvidence Multiply(const MarkerEvidence& x, const MarkerEvidence& y);

// The evidence as a vector over GenotypeSpace(n_alleles), for the exact engine.
[[nodiscard]] std::vector<double> EvidenceVector(const MarkerEvidence& e, int n_alleles);

// Sum over genotypes of P(g) * e[g] under Hardy-Weinberg with allele frequencies `p` (theta = 0).
[[nodiscard]] double ExpectedEvidence(const MarkerEvidence& e, const std::vector<double>& p);

// Same-person likelihood ratio at one marker (theta = 0, no mutation):
//   sum_g P(g) x[g] y[g] / (sum_g P(g) x[g] * sum_g P(g) y[g]).
// 1 when either is untyped; 0 when they are incompatible.
[[nodiscard]] double SamePersonLr(const MarkerEvidence& x, const MarkerEvidence& y,
                                  const std::vector<double>& p);

// What amelogenin (AMEL) shows of one person, over one or several of its samples. Y is seen only
// in men. X only is a woman, or a man whose Y did not show: drop-out in a degraded sample, or
// (rare) a deletion of AMELY. So:
//   - Y shown excludes a missing woman;
//   - X only never excludes a missing man; it is flagged for the reviewer;
//   - two samples of one person may differ (Y in one, X only in the other) only if the X-only one
//     may have lost the Y by drop-out; an X-only sample without drop-out (dropout 0: Y would have
//     shown) and a Y sample cannot be one person.
// Amelogenin is not a kinship marker: it changes no LR, only which pairs are possible.
struct SexEvidence {
  int y = 0;            // samples showing Y
  int x_only = 0;       // samples showing X only, with drop-out (a Y may have dropped out)
  int x_only_firm = 0;  // samples showing X only without drop-out

  [[nodiscard]] bool typed() const { return y + x_only + x_only_firm > 0; }
  [[nodiscard]] bool ShowsY() const { return y > 0; }
  [[nodiscard]] bool XOnly() const { return y == 0 && x_only + x_only_firm > 0; }
  // Samples that cannot be one person (Y in one, X only without drop-out in another).
  [[nodiscard]] bool Impossible() const { return y > 0 && x_only_firm > 0; }
  // Samples that are one person only if a Y dropped out (Y in one, X only in another).
  [[nodiscard]] bool Disagrees() const { return y > 0 && x_only > 0; }
  // "Y", "X only", "not typed", "Y (X only in 1 of 3 samples)", "Y and X only (impossible)".
  [[nodiscard]] std::string Describe() const;
};

// The sex evidence of one sample: `amelogenin` as Profile::amelogenin_sex (kMale: Y shown,
// kFemale: X only, nullopt or kUnknown: not typed), `dropout` the sample's drop-out probability.
[[nodiscard]] SexEvidence SexEvidenceOf(std::optional<Sex> amelogenin, double dropout);

// The evidence of two sets of samples of one person.
[[nodiscard]] SexEvidence Combine(const SexEvidence& x, const SexEvidence& y);

// A person's amelogenin against the sex of a missing person.
enum class SexCheck : std::uint8_t {
  kNotChecked,  // amelogenin not typed, or the missing person's sex unknown
  kConsistent,  // Y and a man, or X only and a woman
  kXOnlyMan,    // X only and a man: possible (Y drop-out, AMELY deletion), flagged for review
  kExcluded,    // Y and a woman: impossible, the pair is never proposed
};
[[nodiscard]] SexCheck CheckSex(const SexEvidence& person, Sex missing);
// "not checked", "consistent", "flag: X only, missing man", "excluded: Y, missing woman".
[[nodiscard]] const char* SexCheckName(SexCheck check);

}  // namespace whereabouts::kinship
