// The peeling engine against brute force: for small pedigrees (with and without loops), random
// evidence, random sex-specific mutation matrices and theta, the likelihood must equal the sum over
// every joint genotype assignment of (founder probabilities x transmissions x evidence).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "kinship/genotype.h"
#include "kinship/likelihood.h"
#include "kinship/pedigree.h"
#include "kinship/relationships.h"

namespace whereabouts::kinship {
namespace {

using Evidence = std::vector<std::vector<double>>;

double Transmission(const GenotypeSpace& s, const std::vector<double>& m, int g, int a) {
  const int n = s.alleles();
  auto row = [&](int x) { return m.empty() ? (x == a ? 1.0 : 0.0) : m[x * n + a]; };
  return 0.5 * (row(s.First(g)) + row(s.Second(g)));
}

double BruteForce(const Pedigree& ped, const Evidence& ev, const MarkerSetup& setup) {
  const int n = static_cast<int>(setup.frequencies.size());
  const GenotypeSpace s(n);
  const int k = ped.size();
  const int size = s.size();
  std::vector<int> g(k, 0);
  double total = 0;
  const auto& p = setup.frequencies;
  const double theta = setup.theta;
  while (true) {
    double w = 1;
    std::vector<int> counts(n, 0);
    int drawn = 0;
    for (int i = 0; i < k && w != 0; ++i) {
      if (!ev[i].empty()) w *= ev[i][g[i]];
      const int a = s.First(g[i]), b = s.Second(g[i]);
      if (ped.father(i) < 0) {
        for (int allele : {a, b}) {
          w *= (counts[allele] * theta + (1 - theta) * p[allele]) / (1 + (drawn - 1) * theta);
          ++counts[allele];
          ++drawn;
        }
        if (a != b) w *= 2;
      } else {
        const int f = g[ped.father(i)], m = g[ped.mother(i)];
        double t = Transmission(s, setup.male_mutation, f, a) * Transmission(s, setup.female_mutation, m, b);
        if (a != b) {
          t += Transmission(s, setup.male_mutation, f, b) * Transmission(s, setup.female_mutation, m, a);
        }
        w *= t;
      }
    }
    total += w;
    int i = 0;
    while (i < k && ++g[i] == size) g[i++] = 0;
    if (i == k) break;
  }
  return total;
}

std::vector<double> RandomMatrix(int n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.01, 1.0);
  std::vector<double> m(n * n);
  for (int i = 0; i < n; ++i) {
    double sum = 0;
    for (int j = 0; j < n; ++j) sum += m[i * n + j] = (i == j ? 20.0 : u(rng));
    for (int j = 0; j < n; ++j) m[i * n + j] /= sum;
  }
  return m;
}

Evidence RandomEvidence(int persons, int n, std::mt19937_64& rng) {
  const GenotypeSpace s(n);
  Evidence ev(persons);
  std::uniform_int_distribution<int> allele(0, n - 1);
  std::uniform_int_distribution<int> kind(0, 3);
  for (int i = 0; i < persons; ++i) {
    const int k = kind(rng);
    if (k == 0) continue;  // untyped
    ev[i].assign(s.size(), 1.0);
    Observation obs;
    obs.first = allele(rng);
    obs.second = k == 3 ? -1 : allele(rng);
    if (k == 2) {
      obs.second = obs.first;
      obs.dropout_model = true;
      obs.dropout = 0.2;
    }
    MultiplyObservation(obs, s, ev[i]);
  }
  return ev;
}

struct Shape {
  const char* name;
  std::vector<Individual> individuals;
  int alleles;
};

std::vector<Shape> Shapes() {
  using S = Sex;
  return {
      {"trio", {{"F", S::kMale, "", ""}, {"M", S::kFemale, "", ""}, {"C", S::kMale, "F", "M"}}, 4},
      {"three children",
       {{"F", S::kMale, "", ""}, {"M", S::kFemale, "", ""}, {"A", S::kMale, "F", "M"},
        {"B", S::kFemale, "F", "M"}, {"C", S::kMale, "F", "M"}},
       4},
      {"half-sibling mating (loop)",
       {{"F", S::kMale, "", ""}, {"M1", S::kFemale, "", ""}, {"M2", S::kFemale, "", ""},
        {"A", S::kMale, "F", "M1"}, {"B", S::kFemale, "F", "M2"}, {"C", S::kMale, "A", "B"}},
       3},
      {"sibling mating (loop)",
       {{"F", S::kMale, "", ""}, {"M", S::kFemale, "", ""}, {"S", S::kMale, "F", "M"},
        {"D", S::kFemale, "F", "M"}, {"C", S::kFemale, "S", "D"}},
       3},
      {"first-cousin marriage (loop)",
       {{"GF", S::kMale, "", ""}, {"GM", S::kFemale, "", ""}, {"S", S::kMale, "GF", "GM"},
        {"D", S::kFemale, "GF", "GM"}, {"W", S::kFemale, "", ""}, {"H", S::kMale, "", ""},
        {"X", S::kMale, "S", "W"}, {"Y", S::kFemale, "H", "D"}, {"Z", S::kMale, "X", "Y"}},
       2},
      {"grandparents and two components",
       {{"GF", S::kMale, "", ""}, {"GM", S::kFemale, "", ""}, {"P", S::kMale, "GF", "GM"},
        {"Q", S::kFemale, "", ""}, {"K", S::kFemale, "P", "Q"}, {"U", S::kMale, "", ""}},
       3},
  };
}

TEST(PedigreeLikelihood, EqualsBruteForceWithLoopsMutationAndTheta) {
  std::mt19937_64 rng(20261123);
  for (const auto& shape : Shapes()) {
    SCOPED_TRACE(shape.name);
    auto ped = Pedigree::Create(shape.individuals);
    ASSERT_TRUE(ped) << ped.error().ToString();
    const int n = shape.alleles;
    for (int trial = 0; trial < 12; ++trial) {
      MarkerSetup setup;
      std::uniform_real_distribution<double> u(0.05, 1.0);
      double sum = 0;
      for (int a = 0; a < n; ++a) sum += setup.frequencies.emplace_back(u(rng));
      for (double& f : setup.frequencies) f /= sum;
      if (trial % 3 != 0) {
        setup.male_mutation = RandomMatrix(n, rng);
        setup.female_mutation = RandomMatrix(n, rng);
      }
      setup.theta = trial % 2 == 0 ? 0.0 : 0.07;
      const Evidence ev = RandomEvidence(ped->size(), n, rng);
      auto got = PedigreeLikelihood(*ped, ev, setup);
      ASSERT_TRUE(got) << got.error().ToString();
      const double want = BruteForce(*ped, ev, setup);
      if (want == 0) {
        EXPECT_EQ(*got, 0.0);
      } else {
        EXPECT_NEAR(*got / want, 1.0, 1e-11) << "trial " << trial << ": " << *got << " vs " << want;
      }
    }
  }
}

TEST(PedigreeLikelihood, UntypedPedigreeHasLikelihoodOne) {
  for (const auto& shape : Shapes()) {
    auto ped = Pedigree::Create(shape.individuals);
    ASSERT_TRUE(ped);
    MarkerSetup setup;
    setup.frequencies.assign(shape.alleles, 1.0 / shape.alleles);
    setup.theta = 0.03;
    auto l = PedigreeLikelihood(*ped, Evidence(ped->size()), setup);
    ASSERT_TRUE(l);
    EXPECT_DOUBLE_EQ(*l, 1.0) << shape.name;
  }
}

TEST(PedigreeLikelihood, RefusesAnEnumerationTooLargeToBeExact) {
  // Twelve untyped founders, each with a typed child by a typed partner, under theta: the exact
  // sum over founder genotypes is astronomically large and must be refused, not approximated.
  std::vector<Individual> people;
  for (int i = 0; i < 12; ++i) {
    people.push_back({"F" + std::to_string(i), Sex::kMale, "", ""});
    people.push_back({"M" + std::to_string(i), Sex::kFemale, "", ""});
    people.push_back({"C" + std::to_string(i), Sex::kMale, "F" + std::to_string(i), "M" + std::to_string(i)});
  }
  auto ped = Pedigree::Create(people);
  ASSERT_TRUE(ped);
  MarkerSetup setup;
  setup.frequencies.assign(6, 1.0 / 6);
  setup.theta = 0.01;
  Evidence ev(ped->size());
  const GenotypeSpace s(6);
  for (int i = 2; i < ped->size(); i += 3) {
    ev[i].assign(s.size(), 0.0);
    ev[i][GenotypeSpace::Index(0, 1)] = 1.0;
  }
  auto l = PedigreeLikelihood(*ped, ev, setup);
  ASSERT_FALSE(l);
  EXPECT_EQ(l.error().code, ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace whereabouts::kinship
