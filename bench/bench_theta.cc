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
#include "kinship/theta_shapes.h"

namespace {

using namespace whereabouts::kinship;

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
  const auto shapes = testing::SimulateFamilyShapes();
  const int n = 7;
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
    for (const std::string& id : shape.typed) {
      const int i = ped->IndexOf(id);
      typed[i] = 1;
      ev[i] = testing::RandomEvidence(rng, n, first);  // the first drop-out-like
      first = false;
    }
    auto plan = PeelingPlan::Create(*ped, typed, true);
    if (!plan) return 1;
    MarkerSetup reference = setup;
    reference.reference_enumeration = true;
    double fast_value = 0, slow_value = 0;
    const double slow = TimeIt(*plan, ev, reference, slow_value);
    const double fast = TimeIt(*plan, ev, setup, fast_value);
    const bool agree = std::fabs(fast_value - slow_value) <= 1e-12 * std::fabs(slow_value);
    std::printf("%-56s %12.4f %12.4f %7.1fx%s\n", shape.name.c_str(), slow * 1e3, fast * 1e3,
                slow / fast, agree ? "" : "  DISAGREE");
    if (!agree) return 1;
  }
  return 0;
}
