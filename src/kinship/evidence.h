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
#include <string>
#include <vector>

#include "kinship/frequencies.h"
#include "kinship/genotype.h"

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

}  // namespace whereabouts::kinship
