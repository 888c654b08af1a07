// Families scored jointly (docs/identify.md, "Families scored jointly"), in memory:
//   - BM_OneFamilyGrave: one household of 8 missing persons (father, mother, six children) in one
//     grave, 1-3 surviving relatives typed (`simulate --households 1 --household-missing 8,8`);
//     the goal is under 0.5 s (dvir's joint step on its 8-victim grave: 66-88 s);
//   - BM_DefaultWithHouseholds: the default scenario plus 40 households of 2-6 missing persons;
//   - each beside the same input scored pairwise only (--max-family-assignments 0: no family
//     table), measured in the same run, so the ratio is the cost of the joint model.
// Counters: assignments summed by the joint assignment, family assignments computed (pedigree
// computations), identified.
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <string>

#include "io/frequency_tsv.h"
#include "kinship/identify.h"
#include "kinship/simulate.h"

namespace whereabouts::kinship {
namespace {

IdentifyInput InputOf(const SimulatedScenario& s, const FrequencyDatabase* db) {
  IdentifyInput in;
  in.database = db;
  in.families = s.families;
  in.references = s.references;
  in.remains = s.remains;
  in.remains_profiles = s.remains_profiles;
  return in;
}

void Run(benchmark::State& state, const SimulationOptions& so, bool joint) {
  static auto db =
      io::ReadFrequencyFile(std::string(WHEREABOUTS_SOURCE_DIR) + "/data/NorwegianFrequencies.tsv");
  if (!db) {
    state.SkipWithError(db.error().ToString().c_str());
    return;
  }
  auto scenario = Simulate(so, *db);
  if (!scenario) {
    state.SkipWithError(scenario.error().ToString().c_str());
    return;
  }
  const IdentifyInput in = InputOf(*scenario, &*db);
  IdentifyOptions opt;
  if (!joint) opt.max_family_assignments = 0;
  std::map<std::string, double> stage_seconds;
  std::map<std::string, std::chrono::steady_clock::time_point> stage_start;
  opt.progress = [&](const std::string& stage, double f) {
    const auto now = std::chrono::steady_clock::now();
    if (f == 0.0) stage_start[stage] = now;
    if (f == 1.0 && stage_start.count(stage) != 0) {
      stage_seconds[stage] += std::chrono::duration<double>(now - stage_start[stage]).count();
    }
  };
  for (auto _ : state) {
    auto r = Identify(in, opt);
    if (!r) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
    state.counters["assignments_summed"] = static_cast<double>(r->assignments_summed);
    state.counters["family_assignments"] = static_cast<double>(r->family_assignments);
    state.counters["family_assignments_covered"] = r->family_assignments_covered;
    state.counters["marker_computations"] = static_cast<double>(r->family_marker_computations);
    state.counters["families_refused"] = r->families_too_large;
    state.counters["families_joint"] = r->family_tables;
    state.counters["identified"] = r->identified;
    state.counters["ambiguous"] = r->ambiguous;
  }
  for (const auto& [stage, sec] : stage_seconds) {
    state.counters[stage + "_s"] = sec / static_cast<double>(state.iterations());
  }
}

SimulationOptions OneFamily(std::uint64_t seed) {
  SimulationOptions so;
  so.seed = seed;
  so.missing_persons = 0;
  so.bag_persons = so.bags = so.grave_persons = so.graves = so.unrelated = 0;
  so.households = 1;
  so.min_household_missing = so.max_household_missing = 8;
  return so;
}

void BM_OneFamilyGrave(benchmark::State& state) { Run(state, OneFamily(state.range(0)), true); }
void BM_OneFamilyGravePairwise(benchmark::State& state) {
  Run(state, OneFamily(state.range(0)), false);
}
BENCHMARK(BM_OneFamilyGravePairwise)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OneFamilyGrave)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

SimulationOptions WithHouseholds() {
  SimulationOptions so;
  so.households = 40;
  return so;
}
void BM_DefaultWithHouseholds(benchmark::State& state) { Run(state, WithHouseholds(), true); }
void BM_DefaultWithHouseholdsPairwise(benchmark::State& state) {
  Run(state, WithHouseholds(), false);
}
BENCHMARK(BM_DefaultWithHouseholdsPairwise)->Unit(benchmark::kSecond)->Iterations(1);
BENCHMARK(BM_DefaultWithHouseholds)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace whereabouts::kinship

BENCHMARK_MAIN();
