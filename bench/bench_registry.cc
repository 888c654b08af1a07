// Benchmarks of the register on SQLite: bulk import of 100,000 persons and 300,000 relatives
// (batches of 10,000 rows, one transaction each), `report figures` on 100,000 persons (target
// < 100 ms), and as-of queries. The register is synthetic.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "registry/figures.h"
#include "registry/registry.h"
#include "store/sqlite_store.h"

namespace whereabouts {
namespace {

using registry::Date;
using registry::EntityKind;
using registry::Event;

constexpr int kPersons = 100000;
constexpr int kRelativesPerPerson = 3;
constexpr int kBatch = 10000;

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string TempPath(const char* name) {
  return (std::filesystem::temp_directory_path() /
          (std::string("wb-bench-") + std::to_string(getpid()) + "-" + name))
      .string();
}

void RemoveDb(const std::string& path) {
  std::error_code ec;
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s, ec);
}

Event PersonEvent(int64_t id) {
  const uint64_t r = Mix(static_cast<uint64_t>(id));
  Event e;
  e.kind = EntityKind::kPerson;
  e.entity_id = id;
  e.type = "person.registered";
  e.recorded_on = Date{Date::FromCivil(1995, 1, 1).days + static_cast<int32_t>(r % 9000)};
  e.actor = "bench";
  e.reason = "bulk import";
  e.payload["family_name"] = "Fam" + std::to_string(r % 5000);
  e.payload["given_name"] = "Giv" + std::to_string((r >> 13) % 700);
  const bool civilian = (r >> 20) % 5 == 0;
  e.payload["sex"] = civilian && (r >> 23) % 2 ? "female" : "male";
  e.payload["affiliation"] = civilian ? "civilian" : "serviceman";
  const Date disappeared{Date::FromCivil(1992, 3, 1).days + static_cast<int32_t>((r >> 30) % 800)};
  const int age =
      civilian ? 3 + static_cast<int>((r >> 40) % 80) : 19 + static_cast<int>((r >> 40) % 27);
  e.payload["birth_date"] = Date{disappeared.days - age * 366}.ToString();
  e.payload["disappearance_date"] = disappeared.ToString();
  e.payload["disappearance_place"] = "Village" + std::to_string((r >> 50) % 300);
  return e;
}

Event CaptureEvent(const Event& reg) {
  Event e;
  e.kind = EntityKind::kPerson;
  e.entity_id = reg.entity_id;
  e.type = "person.captured";
  e.recorded_on = Date{reg.recorded_on.days + 30};
  e.actor = "bench";
  e.payload["capture"] = "prisoner_of_war";
  e.payload["capture_date"] = reg.payload.at("disappearance_date");
  return e;
}

Event RelativeEvent(int64_t id, int64_t person, Date on) {
  Event e;
  e.kind = EntityKind::kRelative;
  e.entity_id = id;
  e.type = "relative.registered";
  e.recorded_on = on;
  e.actor = "bench";
  e.reason = "bulk import";
  e.payload["person"] = std::to_string(person);
  e.payload["name"] = "Relative " + std::to_string(id);
  e.payload["relationship"] = id % 3 == 0 ? "mother" : id % 3 == 1 ? "father" : "sibling";
  e.payload["sample"] = "REF-" + std::to_string(id);
  e.payload["consent"] = "identification";
  return e;
}

// Imports kPersons persons (one in five captured) and 3 relatives each into `path`.
int64_t Import(const std::string& path) {
  auto store = store::SqliteStore::Open(path);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().ToString().c_str());
    std::abort();
  }
  registry::PlanarGeometry geo;
  registry::Registry reg(**store, geo, registry::LegacyHistory{});
  int64_t relative = 0;
  // A dated history goes in in date order (LegacyHistory refuses going back), then in batches.
  std::vector<Event> all;
  all.reserve(static_cast<size_t>(kPersons) * (2 + kRelativesPerPerson));
  for (int64_t id = 1; id <= kPersons; ++id) {
    Event p = PersonEvent(id);
    const Date on = p.recorded_on;
    const bool captured = Mix(static_cast<uint64_t>(id) * 7) % 5 == 0;
    Event c = captured ? CaptureEvent(p) : Event{};
    all.push_back(std::move(p));
    if (captured) all.push_back(std::move(c));
    for (int k = 0; k < kRelativesPerPerson; ++k) {
      all.push_back(RelativeEvent(++relative, id, Date{on.days + 10}));
    }
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Event& a, const Event& b) { return a.recorded_on < b.recorded_on; });
  const int64_t events = static_cast<int64_t>(all.size());
  for (size_t first = 0; first < all.size(); first += kBatch * 5) {
    const size_t last = std::min(all.size(), first + kBatch * 5);
    std::vector<Event> batch(std::make_move_iterator(all.begin() + static_cast<long>(first)),
                             std::make_move_iterator(all.begin() + static_cast<long>(last)));
    auto stored = reg.RecordBatch(std::move(batch));
    if (!stored) {
      std::fprintf(stderr, "%s\n", stored.error().ToString().c_str());
      std::abort();
    }
  }
  return events;
}

void BM_ImportPersonsAndRelatives(benchmark::State& state) {
  const std::string path = TempPath("import.db");
  int64_t events = 0;
  for (auto _ : state) {
    state.PauseTiming();
    RemoveDb(path);
    state.ResumeTiming();
    events = Import(path);
  }
  RemoveDb(path);
  state.counters["persons"] = kPersons;
  state.counters["relatives"] = kPersons * kRelativesPerPerson;
  state.counters["events/s"] =
      benchmark::Counter(static_cast<double>(events) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImportPersonsAndRelatives)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

// A register of kPersons persons, built once and shared by the read benchmarks.
class Register {
 public:
  static Register& Get() {
    static Register r;
    return r;
  }
  registry::Registry& reg() { return *registry_; }
  store::SqliteStore& store() { return **store_; }
  ~Register() {
    registry_.reset();
    if (store_) store_->reset();
    RemoveDb(path_);
  }

 private:
  Register() : path_(TempPath("read.db")) {
    RemoveDb(path_);
    Import(path_);
    store_ = store::SqliteStore::Open(path_);
    registry_ = std::make_unique<registry::Registry>(**store_, geo_, registry::LegacyHistory{});
  }
  std::string path_;
  Result<std::unique_ptr<store::SqliteStore>> store_;
  registry::PlanarGeometry geo_;
  std::unique_ptr<registry::Registry> registry_;
};

void BM_ReportFigures(benchmark::State& state) {
  auto& r = Register::Get();
  const registry::AsOf as_of =
      state.range(0) ? registry::AsOf{Date::FromCivil(2005, 6, 30)} : registry::AsOf{};
  int64_t missing = 0;
  for (auto _ : state) {
    auto f = r.reg().ComputeFigures(as_of, registry::AgeLimits{});
    if (!f || !f->AllAddUp()) std::abort();
    missing = f->Value("missing");
    benchmark::DoNotOptimize(missing);
  }
  state.counters["persons"] = static_cast<double>(missing);
  state.SetLabel(state.range(0) ? "as of 2005-06-30" : "now");
}
BENCHMARK(BM_ReportFigures)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FiguresInMemory(benchmark::State& state) {
  auto& r = Register::Get();
  auto persons = r.store().Persons(std::nullopt);
  if (!persons) std::abort();
  for (auto _ : state) {
    auto f = registry::ComputeFigures(*persons, registry::Snapshot{}, registry::AgeLimits{},
                                      std::nullopt);
    benchmark::DoNotOptimize(f.rows.data());
  }
  state.SetLabel("figures from loaded persons, no I/O");
}
BENCHMARK(BM_FiguresInMemory)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadPersonsForFigures(benchmark::State& state) {
  auto& r = Register::Get();
  for (auto _ : state) {
    auto p = r.store().PersonsForFigures(std::nullopt);
    if (!p) std::abort();
    benchmark::DoNotOptimize(p->data());
  }
  state.SetLabel("the narrow read of 100,000 persons into a vector, now");
}
BENCHMARK(BM_LoadPersonsForFigures)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FindPersonAsOf(benchmark::State& state) {
  auto& r = Register::Get();
  uint64_t i = 0;
  for (auto _ : state) {
    const int64_t id = 1 + static_cast<int64_t>(Mix(++i) % kPersons);
    auto p = r.store().FindPerson(registry::PersonId{id}, Date::FromCivil(2010, 1, 1));
    if (!p) std::abort();
    benchmark::DoNotOptimize(p->has_value());
  }
}
BENCHMARK(BM_FindPersonAsOf)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_PersonsAsOf(benchmark::State& state) {
  auto& r = Register::Get();
  size_t n = 0;
  for (auto _ : state) {
    auto p = r.store().Persons(Date::FromCivil(2005, 6, 30));
    if (!p) std::abort();
    n = p->size();
  }
  state.counters["persons"] = static_cast<double>(n);
}
BENCHMARK(BM_PersonsAsOf)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace whereabouts

BENCHMARK_MAIN();
