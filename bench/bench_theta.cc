// The exact likelihood under theta (Balding-Nichols) on the pedigree shapes of `simulate`'s
// families with two to four untyped founders: the enumeration that reuses work (the default)
// against the reference that re-peels the whole pedigree at every combination of the enumerated
// genotypes (MarkerSetup::reference_enumeration), timed in the same run. 7 alleles, equal
// mutation 0.005, theta 0.01, the missing person and the references typed (one with drop-out-like
// evidence). Prints the time per marker of each and their ratio, and checks that both agree.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "kinship/genotype.h"
#include "kinship/likelihood.h"
#include "kinship/pedigree.h"

namespace {

using namespace whereabouts::kinship;

struct Shape {
  const char* name;
  std::vector<Individual> people;
  std::vector<const char*> typed;
};

double TimeIt(const PeelingPlan& plan, const std::vector<std::vector<double>>& ev,
              const MarkerSetup& setup, double& value) {
  LikelihoodWorkspace ws;
  int reps = 0;
  const auto start = std::chrono::steady_clock::now();
  double elapsed = 0;
  do {
    auto r = EvaluatePlan(plan, ev, setup, ws);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().message.c_str());
      std::exit(1);
    }
    value = *r;
    ++reps;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < 0.5);
  return elapsed / reps;
}

}  // namespace

int main() {
  const Sex M = Sex::kMale, F = Sex::kFemale;
  const std::vector<Shape> shapes = {
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
  const int n = 7;
  const GenotypeSpace space(n);
  std::mt19937 rng(1);
  MarkerSetup setup;
  double sum = 0;
  for (int a = 0; a < n; ++a) sum += setup.frequencies.emplace_back(0.05 + 0.1 * a);
  for (double& f : setup.frequencies) f /= sum;
  for (auto* m : {&setup.male_mutation, &setup.female_mutation}) {
    m->assign(static_cast<size_t>(n) * n, 0.005 / (n - 1));
    for (int x = 0; x < n; ++x) (*m)[x * n + x] = 0.995;
  }
  setup.theta = 0.01;
  std::printf("%-56s %12s %12s %8s\n", "pedigree (theta 0.01, 7 alleles)", "reference ms", "new ms",
              "ratio");
  for (const auto& shape : shapes) {
    auto ped = Pedigree::Create(shape.people);
    if (!ped) return 1;
    std::vector<std::vector<double>> ev(ped->size());
    std::vector<char> typed(ped->size(), 0);
    bool first = true;
    for (const char* id : shape.typed) {
      const int i = ped->IndexOf(id);
      typed[i] = 1;
      ev[i].assign(space.size(), 0.0);
      const int a = std::uniform_int_distribution<int>(0, n - 1)(rng);
      const int b = std::uniform_int_distribution<int>(0, n - 1)(rng);
      if (first) {  // drop-out-like: a shown, the other allele anything
        for (int x = 0; x < n; ++x) ev[i][GenotypeSpace::Index(a, x)] = x == a ? 1.0 : 0.1;
        first = false;
      } else {
        ev[i][GenotypeSpace::Index(a, b)] = 1.0;
      }
    }
    auto plan = PeelingPlan::Create(*ped, typed, true);
    if (!plan) return 1;
    MarkerSetup reference = setup;
    reference.reference_enumeration = true;
    double fast_value = 0, slow_value = 0;
    const double slow = TimeIt(*plan, ev, reference, slow_value);
    const double fast = TimeIt(*plan, ev, setup, fast_value);
    const bool agree = std::fabs(fast_value - slow_value) <= 1e-12 * std::fabs(slow_value);
    std::printf("%-56s %12.4f %12.4f %7.1fx%s\n", shape.name, slow * 1e3, fast * 1e3, slow / fast,
                agree ? "" : "  DISAGREE");
    if (!agree) return 1;
  }
  return 0;
}
