// Property: whatever commands come later, the figures as of every past day stay the same, digit
// for digit. Random command sequences (registrations, corrections, captures, deaths, merges,
// withdrawals, sites, remains) go through the Registry on a clock that moves forward by random
// steps; after each command every day before today is recomputed and compared.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "registry/geometry.h"
#include "registry/registry.h"
#include "registry/test_util.h"
#include "store/memory_store.h"

namespace whereabouts::registry {
namespace {

using testing::Ev;
using testing::PersonEv;

// Every cell of the figures (key=value), as one comparable value.
std::map<std::string, int64_t> Cells(const Figures& f) {
  std::map<std::string, int64_t> out;
  for (const auto& r : f.rows) out[r.key] = r.value;
  return out;
}

RC_GTEST_PROP(AsOfPropertyTest, FiguresForPastDaysNeverChange, ()) {
  store::MemoryStore store;
  PlanarGeometry geometry;
  const Date start = Date::FromCivil(2024, 1, 1);
  FixedClock clock(start);
  Registry reg(store, geometry, clock);
  std::map<int32_t, std::map<std::string, int64_t>> seen;  // day -> figures as first computed
  int64_t persons = 0;
  const int steps = *rc::gen::inRange(1, 30);
  for (int i = 0; i < steps; ++i) {
    clock.Set(Date{clock.Today().days + *rc::gen::inRange(0, 3)});
    const int what = *rc::gen::inRange(0, 8);
    const int64_t id = persons == 0 ? 0 : *rc::gen::inRange<int64_t>(1, persons + 1);
    Event e = PersonEv(id, "person.corrected", "2024-01-01");
    if (what <= 2 || persons == 0) {
      e = PersonEv(0, "person.registered", "2024-01-01",
                   {{"family_name", "F" + std::to_string(i)},
                    {"sex", i % 2 ? "male" : "female"},
                    {"birth_date", "19" + std::to_string(40 + i % 50) + "-01-01"},
                    {"affiliation", i % 3 ? "civilian" : "serviceman"},
                    {"disappearance_date", "1993-05-01"}});
    } else if (what == 3) {
      e = PersonEv(id, "person.captured", "2024-01-01",
                   {{"capture", "hostage"}, {"capture_date", "1993-05-02"}});
    } else if (what == 4) {
      e = PersonEv(id, "person.reported_dead", "2024-01-01", {{"death_date", "1993-06-01"}});
    } else if (what == 5) {
      e = PersonEv(id, "person.withdrawn", "2024-01-01");
    } else if (what == 6 && persons > 1) {
      e = PersonEv(id, "person.merged_into", "2024-01-01",
                   {{"into", std::to_string(id == 1 ? 2 : 1)}});
    } else {
      e = Ev(EntityKind::kRemains, 0, "remains.recovered", "2024-01-01",
             {{"label", "B-" + std::to_string(i)}, {"remains_kind", "bag"}, {"holder", "Lab"}});
    }
    auto stored = reg.Record(e);  // a rule may refuse it (e.g. a merge of a withdrawn case)
    if (stored && stored->type == "person.registered") persons = stored->entity_id;
    // Every day before today, as first seen, must be as now computed.
    for (int32_t d = start.days - 1; d < clock.Today().days; ++d) {
      auto f = reg.ComputeFigures(AsOf{Date{d}}, AgeLimits{});
      RC_ASSERT(f.has_value());
      const auto cells = Cells(*f);
      auto [it, first] = seen.emplace(d, cells);
      if (!first) RC_ASSERT(it->second == cells);
    }
  }
}

}  // namespace
}  // namespace whereabouts::registry
