// Benchmarks of duplicate suggestions: FoldName on the names and places of 100,000 synthetic
// persons (all Latin, or spelled in five scripts), and SuggestDuplicates on 10,000 persons. The
// names are made of syllables and belong to no one.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "registry/duplicates.h"

namespace whereabouts {
namespace {

using registry::Date;
using registry::Person;

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The same 16 syllables in Latin, Cyrillic, Armenian, Georgian and Greek.
constexpr int kScripts = 5;
constexpr int kSyllables = 16;
const std::array<std::array<const char*, kSyllables>, kScripts> kSyllable = {{
    {"ka", "ra", "to", "mi", "se", "lu", "na", "vo", "di", "pe", "ga", "zo", "ni", "ta", "be",
     "ro"},
    {"ка", "ра", "то", "ми", "се", "лу", "на", "во", "ди", "пе", "га", "зо", "ни", "та", "бе",
     "ро"},
    {"կա", "րա", "տո", "մի", "սե", "լու", "նա", "վո", "դի", "պե", "գա", "զո", "նի", "տա", "բե",
     "րո"},
    {"კა", "რა", "ტო", "მი", "სე", "ლუ", "ნა", "ვო", "დი", "პე", "გა", "ზო", "ნი", "ტა", "ბე",
     "რო"},
    {"κα", "ρα", "το", "μι", "σε", "λου", "να", "βο", "ντι", "πε", "γκα", "ζο", "νι", "τα", "μπε",
     "ρο"},
}};

std::string Word(int script, uint64_t r, int syllables) {
  std::string w;
  for (int k = 0; k < syllables; ++k) w += kSyllable[script][(r >> (4 * k)) % kSyllables];
  return w;
}

// `n` persons; with `mixed`, the primary spelling is in one of the five scripts and one in seven
// has a Latin other spelling, else every name is Latin. Every 50th person registers the previous
// one again (same names, birth date and place; with `mixed`, likely in another script).
std::vector<Person> Persons(int n, bool mixed) {
  std::vector<Person> persons;
  persons.reserve(n);
  for (int i = 1; i <= n; ++i) {
    const uint64_t r = Mix(static_cast<uint64_t>(i % 50 == 0 ? i - 1 : i));
    const uint64_t family = r % 40000;  // some families share a name
    const int script =
        mixed ? static_cast<int>((Mix(static_cast<uint64_t>(i)) >> 20) % kScripts) : 0;
    Person p;
    p.id = registry::PersonId{i};
    p.family_name = Word(script, Mix(family), 3);
    p.given_name = Word(script, r >> 24, 2);
    p.sex = registry::Sex::kMale;
    p.birth_date = Date{Date::FromCivil(1950, 1, 1).days + static_cast<int32_t>((r >> 36) % 15000)};
    p.disappearance_place = Word(script, (r >> 52) % 300, 3);
    if (mixed && script != 0 && i % 7 == 0) {
      p.other_names.push_back(Word(0, Mix(family), 3) + " " + Word(0, r >> 24, 2));
    }
    persons.push_back(std::move(p));
  }
  return persons;
}

void BM_FoldName(benchmark::State& state) {
  const bool mixed = state.range(0) != 0;
  const std::vector<Person> persons = Persons(100000, mixed);
  int64_t names = 0;
  for (auto _ : state) {
    names = 0;
    for (const Person& p : persons) {
      benchmark::DoNotOptimize(registry::FoldName(p.family_name));
      benchmark::DoNotOptimize(registry::FoldName(p.given_name));
      benchmark::DoNotOptimize(registry::FoldName(p.disappearance_place));
      names += 3;
      for (const auto& o : p.other_names) {
        benchmark::DoNotOptimize(registry::FoldName(o));
        ++names;
      }
    }
  }
  state.counters["names"] = static_cast<double>(names);
  state.counters["ns/name"] =
      benchmark::Counter(static_cast<double>(names) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetLabel(mixed ? "100,000 persons, five scripts" : "100,000 persons, Latin only");
}
BENCHMARK(BM_FoldName)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SuggestDuplicates(benchmark::State& state) {
  const bool mixed = state.range(0) != 0;
  const std::vector<Person> persons = Persons(10000, mixed);
  size_t found = 0;
  for (auto _ : state) {
    auto s = registry::SuggestDuplicates(persons, registry::DuplicateOptions{});
    found = s.size();
    benchmark::DoNotOptimize(s.data());
  }
  state.counters["suggestions"] = static_cast<double>(found);
  state.SetLabel(mixed ? "10,000 persons, five scripts" : "10,000 persons, Latin only");
}
BENCHMARK(BM_SuggestDuplicates)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace whereabouts

BENCHMARK_MAIN();
