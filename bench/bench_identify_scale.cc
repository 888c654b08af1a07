// Identification at scale and with every model (issue 9's benchmarks; docs/identify.md,
// "Benchmarks of the joint model"). In memory (kinship::Simulate, then kinship::Identify), on the
// threads given (default 2, the CI machine's cores):
//
//   bench_identify_scale scale [--families N] [--threads T]
//     N households (default 10,000) of 2-6 missing persons each (father, mother, children; 1-3
//     surviving relatives typed), half of the victims found (every other remains sample of the
//     simulation kept: about 2N individuals). First the same input pairwise only
//     (max_family_assignments = 0), then with the joint model; prints for each the seconds per
//     stage, assignments summed, families scored jointly, family assignments computed,
//     identified / ambiguous / wrong against the simulation's truth, and the ratio joint /
//     pairwise of the times. The goal (issue 9): N = 10,000 in under 5 minutes on 2 cores.
//
//   bench_identify_scale models [--threads T] [--seed S] [--limit S] [--theta ONLY_THIS]
//     the default scenario of `simulate` (seed 1) with every combination of mutation model (none,
//     equal 0.005, proportional 0.005, stepwise 0.002 / 1e-6 / 0.1, as the CLI offers them), theta
//     (0, 0.01) and remains drop-out (0, 0.1): each run's seconds, its stages, identified, wrong,
//     or the reason it was refused; the first combination (equal, theta 0, drop-out 0.1: the CLI's
//     defaults) is the baseline of the ratios. The goal: each under a minute (--limit, default 60:
//     a run over it is marked OVER), with progress (a line per stage on stderr).
//
// Not a google-benchmark binary: each figure is one run of minutes, printed as it comes.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "io/frequency_tsv.h"
#include "kinship/identify.h"
#include "kinship/simulate.h"

namespace whereabouts::kinship {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

struct Outcome {
  bool ok = false;
  std::string error;
  double seconds = 0;
  std::map<std::string, double> stage_seconds;
  IdentifyReport report;
  int wrong = 0;
};

// Runs Identify with a line per stage on stderr (its progress), and counts wrong identifications
// against the truth.
Outcome Run(const SimulatedScenario& s, const IdentifyInput& in, IdentifyOptions opt,
            const std::string& label) {
  Outcome out;
  const auto start = Clock::now();
  std::map<std::string, Clock::time_point> stage_start;
  std::map<std::string, int> stage_tenth;
  opt.progress = [&](const std::string& stage, double f) {
    if (f == 0.0) stage_start[stage] = Clock::now();
    const int tenth = static_cast<int>(f * 10);
    auto [it, fresh] = stage_tenth.emplace(stage, -1);
    if (tenth > it->second) {
      it->second = tenth;
      std::fprintf(stderr, "  [%s] %-14s %3d%%  %.1f s\n", label.c_str(), stage.c_str(), tenth * 10,
                   Since(start));
    }
    if (f >= 1.0 && stage_start.count(stage)) {
      out.stage_seconds[stage] = Since(stage_start[stage]);
    }
  };
  // Refused up front, as the CLI and the register's runs do (kinship/mutation.h).
  if (auto st = CheckThetaWithMutation(opt.mutation, opt.theta); !st) {
    out.seconds = Since(start);
    out.error = st.error().ToString();
    return out;
  }
  auto rep = Identify(in, opt);
  out.seconds = Since(start);
  if (!rep) {
    out.error = rep.error().ToString();
    return out;
  }
  out.ok = true;
  out.report = std::move(*rep);
  std::map<std::string, const TruthRow*> truth;
  for (const TruthRow& t : s.truth) truth[t.sample] = &t;
  std::map<std::string, std::vector<std::string>> samples_of;
  for (const auto& r : out.report.individuals) samples_of[r.individual].push_back(r.sample);
  for (const auto& row : out.report.identifications) {
    if (row.decision != Decision::kIdentified) continue;
    // Wrong: a sample of the individual is not of that missing person.
    for (const std::string& sample : samples_of[row.individual]) {
      const TruthRow* t = truth.at(sample);
      if (t->family != row.family || t->missing != row.missing) {
        ++out.wrong;
        break;
      }
    }
  }
  return out;
}

void Print(const std::string& label, const Outcome& o) {
  if (!o.ok) {
    std::printf("%-44s refused after %.2f s: %s\n", label.c_str(), o.seconds, o.error.c_str());
    return;
  }
  const IdentifyReport& r = o.report;
  std::printf(
      "%-44s %8.2f s  identified %6d  ambiguous %5d  wrong %d  assignments summed %llu  families "
      "scored jointly %d (%llu family assignments, %d too large); pairs screened %llu, re-scored "
      "%d\n",
      label.c_str(), o.seconds, r.identified, r.ambiguous, o.wrong,
      static_cast<unsigned long long>(r.assignments_summed), r.family_tables,
      static_cast<unsigned long long>(r.family_assignments), r.families_too_large,
      static_cast<unsigned long long>(r.screen_pairs), r.rescored);
  std::string stages;
  for (const auto& [stage, s] : o.stage_seconds) {
    char buf[80];
    std::snprintf(buf, sizeof buf, "%s%s %.2f s", stages.empty() ? "" : ", ", stage.c_str(), s);
    stages += buf;
  }
  std::printf("%-44s   stages: %s\n", "", stages.c_str());
  if (r.families_bar_raised > 0) {
    std::printf(
        "%-44s   families with a raised bar %d: %d candidate individuals left out (largest "
        "posterior left out %.3g), %d kept (lifted by a relative; %llu pairs computed for it)\n",
        "", r.families_bar_raised, r.family_individuals_left_out, r.family_left_out_max,
        r.family_individuals_lifted, static_cast<unsigned long long>(r.family_lift_evaluations));
  }
  if (r.family_marker_lookups > 0) {
    std::printf("%-44s   per-marker pedigree computations %llu of %llu look-ups\n", "",
                static_cast<unsigned long long>(r.family_marker_computations),
                static_cast<unsigned long long>(r.family_marker_lookups));
  }
  std::fflush(stdout);
}

int Scale(const FrequencyDatabase& db, int families, int threads, int max_family) {
  SimulationOptions so;
  so.seed = 1;
  so.missing_persons = 0;
  so.bag_persons = so.bags = so.grave_persons = so.graves = so.unrelated = 0;
  so.households = families;
  so.min_household_missing = 2;
  so.max_household_missing = 6;
  const auto t0 = Clock::now();
  auto sim = Simulate(so, db);
  if (!sim) {
    std::fprintf(stderr, "simulate: %s\n", sim.error().ToString().c_str());
    return 1;
  }
  // Half of the victims found: every other remains sample (one sample per victim).
  SimulatedScenario s = std::move(*sim);
  SimulatedScenario half = s;
  half.remains.clear();
  half.remains_profiles.clear();
  half.truth.clear();
  for (size_t i = 0; i < s.remains.size(); i += 2) {
    half.remains.push_back(s.remains[i]);
    half.remains_profiles.push_back(s.remains_profiles[i]);
    half.truth.push_back(s.truth[i]);
  }
  int missing = 0;
  for (const Family& f : half.families) {
    for (const FamilyMember& m : f.members) missing += m.role == FamilyRole::kMissing ? 1 : 0;
  }
  std::printf(
      "scenario: %zu families (households of 2-6 missing), %d missing persons, %zu references, %zu "
      "remains samples (every other victim found), %zu markers; simulated in %.1f s; %d threads\n",
      half.families.size(), missing, half.references.size(), half.remains.size(),
      half.markers.size(), Since(t0), threads);
  std::fflush(stdout);
  const IdentifyInput in = ToIdentifyInput(half, &db);
  IdentifyOptions opt;
  opt.threads = threads;
  if (max_family > 0) opt.family_budget = max_family;
  IdentifyOptions pairwise = opt;
  pairwise.max_family_assignments = 0;
  const Outcome base = Run(half, in, pairwise, "pairwise");
  Print("pairwise only (max_family_assignments 0)", base);
  const Outcome joint = Run(half, in, opt, "joint");
  Print(max_family > 0 ? "joint model (family_budget " + std::to_string(max_family) + ")"
                       : std::string("joint model (defaults)"),
        joint);
  if (base.ok && joint.ok) {
    std::printf("ratio joint / pairwise: %.2fx; identified %+d, ambiguous %+d\n",
                joint.seconds / base.seconds, joint.report.identified - base.report.identified,
                joint.report.ambiguous - base.report.ambiguous);
  }
  return joint.ok && base.ok ? 0 : 1;
}

int Models(const FrequencyDatabase& db, int threads, std::uint64_t seed, double limit,
           const std::vector<double>& thetas) {
  SimulationOptions so;
  so.seed = seed;
  auto sim = Simulate(so, db);
  if (!sim) {
    std::fprintf(stderr, "simulate: %s\n", sim.error().ToString().c_str());
    return 1;
  }
  const SimulatedScenario& s = *sim;
  std::printf(
      "scenario: the default of simulate, seed %llu: %zu families, %zu remains samples; %d "
      "threads; limit %.0f s per run\n",
      static_cast<unsigned long long>(seed), s.families.size(), s.remains.size(), threads, limit);
  std::fflush(stdout);
  const IdentifyInput in = ToIdentifyInput(s, &db);
  const std::vector<std::pair<std::string, MutationSpec>> models = {
      {"equal 0.005", {MutationKind::kEqual, 0.005, 0.0, 0.0}},
      {"none", {MutationKind::kNone, 0.0, 0.0, 0.0}},
      {"proportional 0.005", {MutationKind::kProportional, 0.005, 0.0, 0.0}},
      {"stepwise 0.002/1e-6/0.1", {MutationKind::kStepwise, 0.002, 1e-6, 0.1}},
  };
  double baseline = 0;
  int over = 0;
  for (const auto& [name, spec] : models) {
    for (double theta : thetas) {
      for (double dropout : {0.1, 0.0}) {
        IdentifyOptions opt;
        opt.threads = threads;
        opt.mutation = MutationModel::Same(spec);
        opt.theta = theta;
        opt.remains_dropout = dropout;
        char label[120];
        std::snprintf(label, sizeof label, "%s, theta %g, drop-out %g", name.c_str(), theta,
                      dropout);
        const Outcome o = Run(s, in, opt, label);
        Print(label, o);
        if (baseline == 0) baseline = o.seconds;
        if (o.ok) {
          std::printf("%-44s   ratio to the first: %.2fx%s\n", "", o.seconds / baseline,
                      o.seconds > limit ? "  OVER THE LIMIT" : "");
          over += o.seconds > limit ? 1 : 0;
        }
        std::fflush(stdout);
      }
    }
  }
  std::printf("%d combinations over %.0f s\n", over, limit);
  return over == 0 ? 0 : 1;
}

}  // namespace
}  // namespace whereabouts::kinship

int main(int argc, char** argv) {
  using namespace whereabouts;
  std::string what = argc > 1 ? argv[1] : "";
  int families = 10000, threads = 2, max_family = 0;
  std::uint64_t seed = 1;
  double limit = 60;
  std::vector<double> thetas = {0.0, 0.01};
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    if (key == "--families")
      families = std::atoi(argv[i + 1]);
    else if (key == "--family-budget")
      max_family = std::atoi(argv[i + 1]);
    else if (key == "--threads")
      threads = std::atoi(argv[i + 1]);
    else if (key == "--seed")
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (key == "--limit")
      limit = std::atof(argv[i + 1]);
    else if (key == "--theta")
      thetas = {std::atof(argv[i + 1])};
    else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      return 2;
    }
  }
  if (what != "scale" && what != "models") {
    std::fprintf(
        stderr,
        "usage: bench_identify_scale scale [--families N] [--threads T] [--family-budget N]\n"
        "       bench_identify_scale models [--threads T] [--seed S] [--limit SECONDS] "
        "[--theta ONLY_THIS]\n");
    return 2;
  }
  auto db =
      io::ReadFrequencyFile(std::string(WHEREABOUTS_SOURCE_DIR) + "/data/NorwegianFrequencies.tsv");
  if (!db) {
    std::fprintf(stderr, "%s\n", db.error().ToString().c_str());
    return 1;
  }
  return what == "scale" ? kinship::Scale(*db, families, threads, max_family)
                         : kinship::Models(*db, threads, seed, limit, thetas);
}
