// The theta enumeration that reuses work (EvaluateUrn in likelihood.cc) against the slow exact
// reference that re-peels the whole pedigree at every combination of the enumerated genotypes
// (MarkerSetup::reference_enumeration), and against brute force over every person's genotype on
// small pedigrees. Random pedigrees (seeded, so every run checks the same cases) with loops,
// untyped founders, typed persons with drop-out-like evidence, mutation and theta.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>

#include "kinship/genotype.h"
#include "kinship/likelihood.h"
#include "kinship/pedigree.h"
#include "kinship/theta_shapes.h"

namespace whereabouts::kinship {
namespace {

struct Case {
  std::vector<Individual> people;
  std::vector<std::vector<double>> evidence;
  MarkerSetup setup;
};

// A random pedigree of `size` persons: each either a founder or the child of an earlier man and an
// earlier woman (so siblings, half-siblings and matings between relatives, i.e. loops, occur).
Case RandomCase(std::mt19937& rng, int size, int alleles, double theta) {
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto real = [&]() { return std::uniform_real_distribution<double>(0.05, 1.0)(rng); };
  Case c;
  std::vector<int> men, women;
  for (int i = 0; i < size; ++i) {
    Individual ind;
    ind.id = "P" + std::to_string(i);
    ind.sex = uniform(0, 1) == 0 ? Sex::kMale : Sex::kFemale;
    if (!men.empty() && !women.empty() && uniform(0, 3) != 0) {
      ind.father = c.people[men[uniform(0, static_cast<int>(men.size()) - 1)]].id;
      ind.mother = c.people[women[uniform(0, static_cast<int>(women.size()) - 1)]].id;
    }
    (ind.sex == Sex::kMale ? men : women).push_back(i);
    c.people.push_back(ind);
  }
  double sum = 0;
  for (int a = 0; a < alleles; ++a) sum += c.setup.frequencies.emplace_back(real());
  for (double& f : c.setup.frequencies) f /= sum;
  c.setup.theta = theta;
  if (uniform(0, 2) != 0) {
    for (auto* m : {&c.setup.male_mutation, &c.setup.female_mutation}) {
      m->assign(static_cast<size_t>(alleles) * alleles, 0.0);
      for (int x = 0; x < alleles; ++x) {
        double row = 0;
        for (int y = 0; y < alleles; ++y) row += (*m)[x * alleles + y] = x == y ? 20.0 : real();
        for (int y = 0; y < alleles; ++y) (*m)[x * alleles + y] /= row;
      }
    }
  }
  const GenotypeSpace space(alleles);
  c.evidence.resize(size);
  for (int i = 0; i < size; ++i) {
    const int kind = uniform(0, 2);  // untyped, one genotype, several (drop-out-like)
    if (kind == 0) continue;
    c.evidence[i].assign(space.size(), 0.0);
    if (kind == 1) {
      c.evidence[i][uniform(0, space.size() - 1)] = 1.0;
    } else {
      for (int g = 0; g < space.size(); ++g) {
        if (uniform(0, 2) == 0) c.evidence[i][g] = real();
      }
      c.evidence[i][uniform(0, space.size() - 1)] = real();
    }
  }
  return c;
}

bool Near(double a, double b) {
  return a == b || std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
}

TEST(UrnEnumeration, EqualsReenumerationOnRandomPedigrees) {
  std::mt19937 rng(20261207);
  int compared = 0, nonzero = 0, with_loops = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const int size = 3 + trial % 8;
    const int alleles = 2 + trial % 3;
    const double theta = trial % 5 == 0 ? 0.0 : (trial % 5 == 1 ? 0.2 : 0.02);
    Case c = RandomCase(rng, size, alleles, theta);
    auto ped = Pedigree::Create(c.people);
    ASSERT_TRUE(ped.has_value()) << ped.error().message;
    std::vector<char> typed(size);
    for (int i = 0; i < size; ++i) typed[i] = !c.evidence[i].empty();
    auto plan = PeelingPlan::Create(*ped, typed, true);
    ASSERT_TRUE(plan.has_value());
    MarkerSetup setup = c.setup;
    setup.enumerate_founders = true;
    LikelihoodWorkspace ws;
    auto fast = EvaluatePlan(*plan, c.evidence, setup, ws);
    setup.reference_enumeration = true;
    auto slow = EvaluatePlan(*plan, c.evidence, setup, ws);
    ASSERT_EQ(fast.has_value(), slow.has_value()) << "trial " << trial;
    if (!fast) continue;
    EXPECT_TRUE(Near(*fast, *slow)) << "trial " << trial << ": " << *fast << " vs " << *slow;
    ++compared;
    nonzero += *slow != 0.0;
    with_loops += plan->node_person.size() > static_cast<size_t>(plan->base_nodes);
  }
  // The generator must exercise what it claims to.
  EXPECT_GT(compared, 350);
  EXPECT_GT(nonzero, 200);
  EXPECT_GT(with_loops, 20);
}

// Brute force: the sum over every kept person's genotype of the founders' joint urn probability
// (drawn in person order) times the transmissions and the evidence.
double BruteForce(const Pedigree& ped, const Case& c) {
  const int n = static_cast<int>(c.setup.frequencies.size());
  const GenotypeSpace space(n);
  const int size = ped.size();
  const double theta = c.setup.theta;
  const auto& p = c.setup.frequencies;
  auto gamete = [&](const std::vector<double>& m, int g, int a) {
    const int x = space.First(g), y = space.Second(g);
    if (m.empty()) return 0.5 * ((x == a) + (y == a));
    return 0.5 * (m[x * n + a] + m[y * n + a]);
  };
  std::vector<int> g(size, 0);
  double total = 0;
  while (true) {
    double w = 1.0;
    std::vector<int> counts(n, 0);
    int drawn = 0;
    for (int i = 0; i < size && w != 0.0; ++i) {
      if (!c.evidence[i].empty()) w *= c.evidence[i][g[i]];
      const int a = space.First(g[i]), b = space.Second(g[i]);
      if (ped.father(i) < 0) {
        for (int x : {a, b}) {
          w *= (counts[x] * theta + (1.0 - theta) * p[x]) / (1.0 + (drawn - 1) * theta);
          ++counts[x];
          ++drawn;
        }
        if (a != b) w *= 2.0;
      } else {
        const int f = g[ped.father(i)], m = g[ped.mother(i)];
        double t = gamete(c.setup.male_mutation, f, a) * gamete(c.setup.female_mutation, m, b);
        if (a != b)
          t += gamete(c.setup.male_mutation, f, b) * gamete(c.setup.female_mutation, m, a);
        w *= t;
      }
    }
    total += w;
    int i = 0;
    while (i < size && ++g[i] == space.size()) g[i++] = 0;
    if (i == size) break;
  }
  return total;
}

TEST(UrnEnumeration, EqualsBruteForceOnSmallPedigrees) {
  std::mt19937 rng(7);
  int compared = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const int size = 3 + trial % 3;
    Case c = RandomCase(rng, size, 2 + trial % 2, trial % 2 == 0 ? 0.05 : 0.3);
    auto ped = Pedigree::Create(c.people);
    ASSERT_TRUE(ped.has_value());
    auto fast = PedigreeLikelihood(*ped, c.evidence, c.setup);
    ASSERT_TRUE(fast.has_value());
    const double brute = BruteForce(*ped, c);
    EXPECT_TRUE(std::fabs(*fast - brute) <= 1e-12 * std::max(std::fabs(brute), 1e-300) ||
                *fast == brute)
        << "trial " << trial << ": " << *fast << " vs " << brute;
    ++compared;
  }
  EXPECT_EQ(compared, 60);
}

// The family shapes of `simulate` with two to four untyped founders (bench/bench_theta.cc), each
// typed person with one genotype or drop-out-like evidence, with and without mutation.
TEST(UrnEnumeration, SimulateFamilyShapesEqualTheReference) {
  const auto shapes = testing::SimulateFamilyShapes();
  std::mt19937 rng(3);
  const int n = 5;
  int compared = 0, nonzero = 0;
  for (int trial = 0; trial < 16; ++trial) {
    const testing::ThetaShape& shape = shapes[trial % shapes.size()];
    Case c = RandomCase(rng, 3, n, 0.01 + 0.05 * (trial % 3));  // frequencies and mutation only
    auto ped = Pedigree::Create(shape.people);
    ASSERT_TRUE(ped.has_value());
    std::vector<std::vector<double>> ev(ped->size());
    std::vector<char> typed(ped->size(), 0);
    for (const std::string& id : shape.typed) {
      const int i = ped->IndexOf(id);
      typed[i] = 1;
      ev[i] = testing::RandomEvidence(rng, n, (trial + i) % 3 == 0);
    }
    auto plan = PeelingPlan::Create(*ped, typed, true);
    ASSERT_TRUE(plan.has_value());
    EXPECT_TRUE(plan->urn_layout);
    LikelihoodWorkspace ws;
    auto fast = EvaluatePlan(*plan, ev, c.setup, ws);
    MarkerSetup reference = c.setup;
    reference.reference_enumeration = true;
    auto slow = EvaluatePlan(*plan, ev, reference, ws);
    ASSERT_TRUE(fast.has_value() && slow.has_value());
    EXPECT_TRUE(Near(*fast, *slow)) << "trial " << trial << ": " << *fast << " vs " << *slow;
    ++compared;
    nonzero += *slow > 0.0;  // zero: inconsistent genotypes without mutation
  }
  EXPECT_EQ(compared, 16);
  EXPECT_GE(nonzero, 10);
}

}  // namespace
}  // namespace whereabouts::kinship
