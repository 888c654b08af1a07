// Identification benchmarks (docs/identify.md):
//   - screen throughput (sample x family pairs per second, table look-ups only, and the time to
//     build the tables) for 20 and 24 markers;
//   - the exact engine on the same kind of pairs, and the ratio of the two, in the same run;
//   - re-association of 100,000 samples;
//   - the whole identification of the default simulated scenario (simulate + identify in memory).
// With WB_BENCH_LARGE=1 also 100,000 samples x 100,000 families (minutes).
// All data are synthetic. Threads: all cores (the figures in docs/identify.md are for 2).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <string>

#include "io/frequency_tsv.h"
#include "kinship/identify.h"
#include "kinship/simulate.h"

namespace {

using namespace whereabouts;
using namespace whereabouts::kinship;
using Clock = std::chrono::steady_clock;

std::map<std::string, double> g_figures;  // printed at the end

const FrequencyDatabase& Database35() {
  static const FrequencyDatabase db = [] {
    auto d = io::ReadFrequencyFile(std::string(WHEREABOUTS_SOURCE_DIR) +
                                   "/data/NorwegianFrequencies35.tsv");
    if (!d) throw std::runtime_error(d.error().ToString());
    return NormalizedDatabase(*d);
  }();
  return db;
}

std::vector<MarkerFrequencies> FirstMarkers(int count) {
  std::vector<MarkerFrequencies> out;
  for (const auto& name : Database35().MarkerNames()) {
    if (static_cast<int>(out.size()) == count) break;
    out.push_back(*Database35().Find(name));
  }
  return out;
}

struct Synthetic {
  std::vector<MarkerFrequencies> markers;
  std::vector<ScreenFamily> families;
  std::vector<Family> plain_families;  // the same, for the exact engine
  std::vector<Profile> references;
  std::vector<ScreenPerson> persons;
  std::vector<Profile> person_profiles;
};

// Families of three shapes (parents + missing child; one parent + missing child; sibling + missing
// sibling) with genotypes by gene dropping; persons: random, 10% of markers with one allele shown
// (drop-out 0.1), 5% untyped.
Synthetic MakeSynthetic(int n_markers, int n_families, int n_persons, std::uint64_t seed,
                        bool profiles) {
  Synthetic s;
  s.markers = FirstMarkers(n_markers);
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::discrete_distribution<int>> draw;
  for (const auto& m : s.markers) draw.emplace_back(m.frequencies.begin(), m.frequencies.end());
  const int M = n_markers;
  auto founder = [&](std::vector<std::pair<int, int>>& g) {
    g.resize(M);
    for (int m = 0; m < M; ++m) g[m] = {draw[m](rng), draw[m](rng)};
  };
  auto child = [&](const std::vector<std::pair<int, int>>& f,
                   const std::vector<std::pair<int, int>>& mo,
                   std::vector<std::pair<int, int>>& g) {
    g.resize(M);
    for (int m = 0; m < M; ++m) {
      g[m] = {u(rng) < 0.5 ? f[m].first : f[m].second, u(rng) < 0.5 ? mo[m].first : mo[m].second};
    }
  };
  auto evidence = [&](const std::vector<std::pair<int, int>>& g) {
    std::vector<MarkerEvidence> e(M);
    for (int m = 0; m < M; ++m) e[m] = EvidenceOf(Observation{g[m].first, g[m].second, 0.0, false});
    return e;
  };
  auto profile = [&](const std::string& name, const std::vector<std::pair<int, int>>& g) {
    Profile p;
    p.sample = name;
    for (int m = 0; m < M; ++m) {
      p.markers[s.markers[m].name] =
          GenotypeCall{s.markers[m].alleles[g[m].first], s.markers[m].alleles[g[m].second]};
    }
    return p;
  };
  for (int f = 0; f < n_families; ++f) {
    std::vector<std::pair<int, int>> fa, mo, x, sib;
    founder(fa);
    founder(mo);
    child(fa, mo, x);
    child(fa, mo, sib);
    const int shape = f % 3;
    const std::string id = "F" + std::to_string(f);
    std::vector<Individual> people = {{"FA", Sex::kMale, "", ""},
                                      {"MO", Sex::kFemale, "", ""},
                                      {"X", Sex::kMale, "FA", "MO"},
                                      {"S", Sex::kMale, "FA", "MO"}};
    ScreenFamily sf;
    sf.id = id;
    sf.pedigree = *Pedigree::Create(people);
    sf.missing = {2};
    sf.evidence.assign(4, std::vector<MarkerEvidence>(M));
    Family plain;
    plain.id = id;
    plain.members = {{"FA", Sex::kMale, "", "", FamilyRole::kUntyped, "", ""},
                     {"MO", Sex::kFemale, "", "", FamilyRole::kUntyped, "", ""},
                     {"X", Sex::kMale, "FA", "MO", FamilyRole::kMissing, "", ""},
                     {"S", Sex::kMale, "FA", "MO", FamilyRole::kUntyped, "", ""}};
    auto type = [&](int member, const std::vector<std::pair<int, int>>& g) {
      sf.evidence[member] = evidence(g);
      plain.members[member].role = FamilyRole::kReference;
      plain.members[member].sample = id + "-" + plain.members[member].id;
      if (profiles) s.references.push_back(profile(plain.members[member].sample, g));
    };
    if (shape == 0) {
      type(0, fa);
      type(1, mo);
    } else if (shape == 1) {
      type(1, mo);
    } else {
      type(3, sib);
    }
    s.families.push_back(std::move(sf));
    if (profiles) s.plain_families.push_back(std::move(plain));
  }
  for (int p = 0; p < n_persons; ++p) {
    std::vector<std::pair<int, int>> g;
    founder(g);
    ScreenPerson person;
    person.id = "P" + std::to_string(p);
    person.markers.resize(M);
    Profile prof;
    prof.sample = person.id;
    for (int m = 0; m < M; ++m) {
      const double x = u(rng);
      if (x < 0.05) continue;
      int a = g[m].first, b = g[m].second;
      if (x < 0.15) b = a;
      person.markers[m] = EvidenceOf(Observation{a, b, 0.1, true});
      if (profiles)
        prof.markers[s.markers[m].name] =
            GenotypeCall{s.markers[m].alleles[a], s.markers[m].alleles[b]};
    }
    s.persons.push_back(std::move(person));
    if (profiles) s.person_profiles.push_back(std::move(prof));
  }
  return s;
}

ScreenOptions Options() {
  ScreenOptions o;
  o.mutation = MutationSpec{MutationKind::kProportional, 0.005, 0, 0};
  o.top_k = 10;
  o.lr_threshold = 100;
  o.threads = 0;
  return o;
}

// Screen throughput: the time of the look-ups (a run with persons minus a run without).
void BM_Screen(benchmark::State& state) {
  const int markers = static_cast<int>(state.range(0));
  const int families = 2000, persons = 50000;
  static std::map<int, Synthetic> cache;
  if (cache.count(markers) == 0)
    cache.emplace(markers, MakeSynthetic(markers, families, persons, 42, false));
  const Synthetic& s = cache.at(markers);
  const std::vector<ScreenPerson> none;
  double pairs_per_s = 0, tables_per_s = 0;
  for (auto _ : state) {
    auto t0 = Clock::now();
    auto tables = Screen(s.markers, s.families, none, Options());
    auto t1 = Clock::now();
    auto full = Screen(s.markers, s.families, s.persons, Options());
    auto t2 = Clock::now();
    if (!tables || !full) state.SkipWithError("screen failed");
    const double t_tables = std::chrono::duration<double>(t1 - t0).count();
    const double t_full = std::chrono::duration<double>(t2 - t1).count();
    const double t_pairs = t_full - t_tables;
    state.SetIterationTime(t_pairs);
    pairs_per_s = static_cast<double>(full->pairs) / t_pairs;
    tables_per_s = families / t_tables;
    benchmark::DoNotOptimize(full->weighted_lr_sum.data());
  }
  state.counters["pairs_per_s"] = pairs_per_s;
  state.counters["tables_per_s"] = tables_per_s;
  g_figures["screen_pairs_per_s_" + std::to_string(markers)] = pairs_per_s;
  g_figures["screen_tables_per_s_" + std::to_string(markers)] = tables_per_s;
}
BENCHMARK(BM_Screen)->Arg(20)->Arg(24)->UseManualTime()->Unit(benchmark::kSecond)->Iterations(1);

// The exact engine on the same kind of pairs (theta 0, the same mutation model), one thread.
void BM_ExactPairs(benchmark::State& state) {
  const int markers = static_cast<int>(state.range(0));
  static std::map<int, Synthetic> cache;
  if (cache.count(markers) == 0) cache.emplace(markers, MakeSynthetic(markers, 30, 20, 42, true));
  const Synthetic& s = cache.at(markers);
  std::map<std::string, const Profile*> refs;
  for (const auto& p : s.references) refs[p.sample] = &p;
  std::vector<std::string> names;
  for (const auto& m : s.markers) names.push_back(m.name);
  std::vector<KinshipCase> cases;
  for (const auto& f : s.plain_families) {
    for (const auto& p : s.person_profiles) {
      auto k = PairCase(f, "X", refs, {&p}, 0.1, names, MutationModel::Same(Options().mutation),
                        0.0, std::nullopt);
      if (!k) state.SkipWithError(k.error().ToString().c_str());
      cases.push_back(std::move(*k));
    }
  }
  std::size_t pairs = 0;
  for (auto _ : state) {
    for (const auto& k : cases) {
      auto lr = ComputeLr(k, Database35());
      benchmark::DoNotOptimize(lr);
      ++pairs;
    }
  }
  state.counters["pairs_per_s"] =
      benchmark::Counter(static_cast<double>(pairs), benchmark::Counter::kIsRate);
  state.SetItemsProcessed(static_cast<std::int64_t>(pairs));
}
BENCHMARK(BM_ExactPairs)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// Re-association of 100,000 samples: 40,000 persons with 1-4 samples each.
void BM_Reassociate(benchmark::State& state) {
  const int target = static_cast<int>(state.range(0));
  const auto markers = FirstMarkers(20);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  std::vector<std::discrete_distribution<int>> draw;
  for (const auto& m : markers) draw.emplace_back(m.frequencies.begin(), m.frequencies.end());
  std::vector<std::vector<MarkerEvidence>> samples;
  std::vector<std::string> bags;
  int persons = 0;
  while (static_cast<int>(samples.size()) < target) {
    std::vector<std::pair<int, int>> g(markers.size());
    for (size_t m = 0; m < markers.size(); ++m) g[m] = {draw[m](rng), draw[m](rng)};
    const int n = 1 + static_cast<int>(u(rng) * 4);
    for (int k = 0; k < n && static_cast<int>(samples.size()) < target; ++k) {
      std::vector<MarkerEvidence> e(markers.size());
      for (size_t m = 0; m < markers.size(); ++m) {
        if (u(rng) < 0.05) continue;
        int a = g[m].first, b = g[m].second;
        if (u(rng) < 0.1) b = a;
        e[m] = EvidenceOf(Observation{a, b, 0.1, true});
      }
      samples.push_back(std::move(e));
      bags.push_back("B" + std::to_string(persons / 2));
    }
    ++persons;
  }
  int individuals = 0;
  std::uint64_t compared = 0;
  for (auto _ : state) {
    auto r = Reassociate(markers, samples, bags, ReassociationOptions{});
    if (!r) state.SkipWithError("re-association failed");
    individuals = static_cast<int>(r->individuals.size());
    compared = r->pairs_compared;
  }
  state.counters["samples"] = static_cast<double>(samples.size());
  state.counters["persons"] = persons;
  state.counters["individuals"] = individuals;
  state.counters["pairs_compared"] = static_cast<double>(compared);
  g_figures["reassociation_samples"] = static_cast<double>(samples.size());
  g_figures["reassociation_persons"] = persons;
  g_figures["reassociation_individuals"] = individuals;
  g_figures["reassociation_pairs_compared"] = static_cast<double>(compared);
}
BENCHMARK(BM_Reassociate)->Arg(100000)->Unit(benchmark::kSecond)->Iterations(1);

// The default scenario of `whereabouts simulate`, identified in memory (no file I/O).
void BM_IdentifyDefaultScenario(benchmark::State& state) {
  auto db =
      io::ReadFrequencyFile(std::string(WHEREABOUTS_SOURCE_DIR) + "/data/NorwegianFrequencies.tsv");
  if (!db) {
    state.SkipWithError(db.error().ToString().c_str());
    return;
  }
  auto scenario = Simulate(SimulationOptions{}, *db);
  if (!scenario) {
    state.SkipWithError(scenario.error().ToString().c_str());
    return;
  }
  IdentifyInput in = ToIdentifyInput(*scenario, &*db);
  int identified = 0, individuals = 0;
  for (auto _ : state) {
    auto r = Identify(in, IdentifyOptions{});
    if (!r) state.SkipWithError(r.error().ToString().c_str());
    identified = r->identified;
    individuals = r->individual_count;
  }
  state.counters["identified"] = identified;
  state.counters["individuals"] = individuals;
}
BENCHMARK(BM_IdentifyDefaultScenario)->Unit(benchmark::kSecond)->Iterations(1);

// 100,000 samples x 100,000 families (only with WB_BENCH_LARGE=1).
void BM_Screen100k(benchmark::State& state) {
  const Synthetic s = MakeSynthetic(20, 100000, 100000, 99, false);
  for (auto _ : state) {
    auto r = Screen(s.markers, s.families, s.persons, Options());
    if (!r) state.SkipWithError("screen failed");
    state.counters["pairs"] = static_cast<double>(r->pairs);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const char* large = std::getenv("WB_BENCH_LARGE");
  if (large != nullptr && std::string(large) == "1") {
    benchmark::RegisterBenchmark("BM_Screen100k", BM_Screen100k)
        ->Unit(benchmark::kSecond)
        ->Iterations(1);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
