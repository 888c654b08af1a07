// Kinship LR benchmarks: a pairwise case (parent-child) and a missing person with two typed
// relatives (mother and brother), 20 markers, each with and without mutation and theta.
// Cases come from the reference file, so the numbers timed are the ones the tests check.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

#include "io/frequency_tsv.h"
#include "io/kinship_case_json.h"
#include "kinship/lr.h"

namespace {

using namespace whereabouts;

struct Loaded {
  std::map<std::string, io::CaseEntry> cases;
  kinship::FrequencyDatabase db;
};

const Loaded& Data() {
  static const Loaded loaded = [] {
    Loaded l;
    auto file = io::ReadCaseFile(std::string(WHEREABOUTS_SHARED_DIR) + "/reference/kinship-cases.json");
    if (!file) throw std::runtime_error(file.error().ToString());
    for (auto& e : file->cases) l.cases.emplace(e.kinship_case.id, e);
    auto db = io::ReadFrequencyFile(l.cases.begin()->second.frequencies_path);
    if (!db) throw std::runtime_error(db.error().ToString());
    l.db = std::move(*db);
    return l;
  }();
  return loaded;
}

void RunCase(benchmark::State& state, const std::string& id) {
  const auto& data = Data();
  const auto& kcase = data.cases.at(id).kinship_case;
  double lr = 0;
  for (auto _ : state) {
    auto r = kinship::ComputeLr(kcase, data.db);
    if (!r) {
      state.SkipWithError(r.error().ToString().c_str());
      return;
    }
    // DoNotOptimize on the whole result: Debian's benchmark 1.7.1 miscompiles its "+m,r"
    // constraint on a plain double with g++ 12 (the value read back afterwards is garbage).
    benchmark::DoNotOptimize(r);
    lr = r->lr;
  }
  char label[64];
  std::snprintf(label, sizeof label, "LR=%.6g markers=%zu", lr, kcase.markers.size());
  state.SetLabel(label);
}

#define WB_CASE(name, id) \
  BENCHMARK_CAPTURE(RunCase, name, std::string(id))->Unit(benchmark::kMicrosecond)

WB_CASE(pair_parent_child / no_mutation / theta0, "pair_PC/none/theta=0");
WB_CASE(pair_parent_child / equal_mutation / theta0, "pair_PC/equal/theta=0");
WB_CASE(pair_parent_child / no_mutation / theta001, "pair_PC/none/theta=0.01");
WB_CASE(pair_parent_child / equal_mutation / theta001, "pair_PC/equal/theta=0.01");
WB_CASE(pair_parent_child / stepwise_mutation / theta0, "pair_PC/stepwise/theta=0");
WB_CASE(missing_person_2_relatives / no_mutation / theta0, "mp_MP1_POI_true/none/theta=0");
WB_CASE(missing_person_2_relatives / equal_mutation / theta0, "mp_MP1_POI_true/equal/theta=0");
WB_CASE(missing_person_2_relatives / no_mutation / theta001, "mp_MP1_POI_true/none/theta=0.01");
WB_CASE(missing_person_2_relatives / equal_mutation / theta001, "mp_MP1_POI_true/equal/theta=0.01");
WB_CASE(missing_person_2_relatives / stepwise_mutation / theta0, "mp_MP1_POI_true/stepwise/theta=0");
WB_CASE(missing_person_2_relatives / stepwise_mutation / theta001, "mp_MP1_POI_true/stepwise/theta=0.01");

}  // namespace

BENCHMARK_MAIN();
