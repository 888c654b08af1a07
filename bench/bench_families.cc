// Families scored jointly (docs/identify.md, "Families scored jointly"), in memory:
//   - BM_OneFamilyGrave: one household of 8 missing persons (father, mother, six children) in one
//     grave, 1-3 surviving relatives typed (`simulate --households 1 --household-missing 8,8`);
//     the goal is under 0.5 s (dvir's joint step on its 8-victim grave: 66-88 s);
//   - BM_DefaultWithHouseholds: the default scenario plus 40 households of 2-6 missing persons
//     (goal: under 10 s).
// Each measures, in the same run, the same input scored pairwise only (pairwise_s; the ratio
// joint_over_pairwise is the cost of the joint model); the one-family grave also the replaced
// enumeration (one FamilyCase + ComputeLr per partial assignment) as its time per assignment on a
// sample times the partial assignments covered (old_enumeration_s). Counters: assignments summed
// by the joint assignment, family assignments computed (canonical) and covered, per-marker
// pedigree computations, stage times, identified and ambiguous (joint and pairwise).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>

#include "io/frequency_tsv.h"
#include "kinship/identify.h"
#include "kinship/simulate.h"

namespace whereabouts::kinship {
namespace {

using Clock = std::chrono::steady_clock;
double Seconds(Clock::time_point from) {
  return std::chrono::duration<double>(Clock::now() - from).count();
}
// CPU time of the process, all threads (user + system): on a shared machine a steadier measure
// than wall time.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// The enumeration this replaced: one FamilyCase + ComputeLr per partial assignment. Timed on a
// sample of assignments of the scenario's first family (the remains, in order, on its missing
// members, 2 to all of them), per assignment.
double OldEvaluationSeconds(const SimulatedScenario& s, const FrequencyDatabase& db,
                            const IdentifyOptions& opt) {
  const FrequencyDatabase normalized = NormalizedDatabase(db);
  const Family& fam = s.families.front();
  std::map<std::string, const Profile*> refs;
  for (const auto& p : s.references) refs[p.sample] = &p;
  std::vector<std::string> missing;
  for (const auto& m : fam.members) {
    if (m.role == FamilyRole::kMissing) missing.push_back(m.id);
  }
  std::vector<const Profile*> remains;
  for (const auto& t : s.truth) {
    if (t.family != fam.id) continue;
    for (const auto& p : s.remains_profiles) {
      if (p.sample == t.sample) remains.push_back(&p);
    }
  }
  const size_t n = std::min(missing.size(), remains.size());
  if (n < 2) return 0.0;
  const auto start = Clock::now();
  int evaluations = 0;
  for (int round = 0; round < 20; ++round) {
    for (size_t k = 2; k <= n; ++k) {
      std::vector<MemberPlacement> placed;
      for (size_t j = 0; j < k; ++j) {
        placed.push_back({missing[(j + round) % n], {remains[j]}});
      }
      auto kc = FamilyCase(fam, refs, {}, placed, opt.remains_dropout, s.markers, opt.mutation,
                           opt.theta, opt.minimum_frequency);
      if (!kc) return 0.0;
      auto lr = ComputeLr(*kc, normalized);
      benchmark::DoNotOptimize(lr);
      ++evaluations;
    }
  }
  return Seconds(start) / evaluations;
}

// Runs Identify on the scenario with families scored jointly, and once before the timed loop the
// same input pairwise only (max_family_assignments 0: no family table), so that the ratio of the
// two is measured in the same run; with `old_baseline`, also the time the replaced enumeration
// would take (its measured time per assignment x the partial assignments covered).
void Run(benchmark::State& state, const SimulationOptions& so, bool old_baseline) {
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
  const IdentifyInput in = ToIdentifyInput(*scenario, &*db);
  IdentifyOptions opt;
  IdentifyOptions pairwise = opt;
  pairwise.max_family_assignments = 0;
  const auto p0 = Clock::now();
  const double c0 = CpuSeconds();
  auto base = Identify(in, pairwise);
  const double pairwise_s = Seconds(p0), pairwise_cpu_s = CpuSeconds() - c0;
  if (!base) {
    state.SkipWithError(base.error().ToString().c_str());
    return;
  }
  std::map<std::string, double> stage_seconds;
  std::map<std::string, Clock::time_point> stage_start;
  opt.progress = [&](const std::string& stage, double f) {
    const auto now = Clock::now();
    if (f == 0.0) stage_start[stage] = now;
    if (f == 1.0 && stage_start.count(stage) != 0) {
      stage_seconds[stage] += std::chrono::duration<double>(now - stage_start[stage]).count();
    }
  };
  double joint_s = 0.0, joint_cpu_s = 0.0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    const double c1 = CpuSeconds();
    auto r = Identify(in, opt);
    joint_s += Seconds(t0);
    joint_cpu_s += CpuSeconds() - c1;
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
    state.counters["identified_pairwise"] = base->identified;
    state.counters["ambiguous_pairwise"] = base->ambiguous;
    if (old_baseline) {
      state.counters["old_enumeration_s"] =
          OldEvaluationSeconds(*scenario, *db, opt) * r->family_assignments_covered;
    }
  }
  const double iterations = static_cast<double>(state.iterations());
  for (const auto& [stage, sec] : stage_seconds) state.counters[stage + "_s"] = sec / iterations;
  state.counters["pairwise_s"] = pairwise_s;
  state.counters["pairwise_cpu_s"] = pairwise_cpu_s;
  state.counters["joint_cpu_s"] = joint_cpu_s / iterations;
  state.counters["joint_over_pairwise"] = joint_s / iterations / pairwise_s;
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
BENCHMARK(BM_OneFamilyGrave)->Arg(1)->Arg(2)->Arg(3)->Unit(benchmark::kMillisecond);

SimulationOptions WithHouseholds() {
  SimulationOptions so;
  so.households = 40;
  return so;
}
void BM_DefaultWithHouseholds(benchmark::State& state) { Run(state, WithHouseholds(), false); }
BENCHMARK(BM_DefaultWithHouseholds)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace whereabouts::kinship

BENCHMARK_MAIN();
