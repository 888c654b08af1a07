// Pedigree shapes of `simulate`'s families with two to four untyped founders, and random evidence
// for their typed persons: shared by kinship_urn_enumeration_test and bench/bench_theta.cc (the
// theta enumeration against the re-peel). All data are synthetic.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "kinship/genotype.h"
#include "kinship/pedigree.h"

namespace whereabouts::kinship::testing {

struct ThetaShape {
  std::string name;
  std::vector<Individual> people;
  std::vector<std::string> typed;  // the missing person and the references
};

inline std::vector<ThetaShape> SimulateFamilyShapes() {
  const Sex M = Sex::kMale, F = Sex::kFemale;
  return {
      {"parents untyped, brother typed",
       {{"FA", M, "", ""}, {"MO", F, "", ""}, {"MP", M, "FA", "MO"}, {"S1", M, "FA", "MO"}},
       {"MP", "S1"}},
      {"parents and spouse untyped, brother and child typed",
       {{"FA", M, "", ""},
        {"MO", F, "", ""},
        {"MP", M, "FA", "MO"},
        {"S1", M, "FA", "MO"},
        {"SP", F, "", ""},
        {"C1", F, "MP", "SP"}},
       {"MP", "S1", "C1"}},
      {"maternal grandparents and father untyped, uncle typed",
       {{"MGF", M, "", ""},
        {"MGM", F, "", ""},
        {"FA", M, "", ""},
        {"MO", F, "MGF", "MGM"},
        {"U1", M, "MGF", "MGM"},
        {"MP", M, "FA", "MO"}},
       {"MP", "U1"}},
      {"parents, half-sibling's mother and spouse untyped",
       {{"FA", M, "", ""},
        {"MO", F, "", ""},
        {"HP1", F, "", ""},
        {"MP", M, "FA", "MO"},
        {"HS1", F, "FA", "HP1"},
        {"SP", F, "", ""},
        {"C1", M, "MP", "SP"}},
       {"MP", "HS1", "C1"}},
  };
}

// Evidence over GenotypeSpace(n) for one typed person: one random genotype, or (drop_out)
// drop-out-like: a random allele shown, the other allele anything (weight 0.1 for the others).
inline std::vector<double> RandomEvidence(std::mt19937& rng, int n, bool drop_out) {
  const GenotypeSpace space(n);
  std::vector<double> ev(space.size(), 0.0);
  const int a = std::uniform_int_distribution<int>(0, n - 1)(rng);
  const int b = std::uniform_int_distribution<int>(0, n - 1)(rng);
  if (drop_out) {
    for (int x = 0; x < n; ++x) ev[GenotypeSpace::Index(a, x)] = x == a ? 1.0 : 0.1;
  } else {
    ev[GenotypeSpace::Index(a, b)] = 1.0;
  }
  return ev;
}

}  // namespace whereabouts::kinship::testing
