// Property: for any history of person events, the SQLite and PostgreSQL projections answer every
// as-of query exactly as replaying the events does (the in-memory store replays them).
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <sstream>

#include "registry/test_util.h"
#include "store/memory_store.h"
#include "store/pg_test_util.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace whereabouts::store {
namespace {

using registry::Date;
using registry::Event;
using registry::Person;

// A random but mostly valid history: registrations, corrections, captures, deaths, returns,
// identifications, merges, on non-decreasing days; events that break a rule are refused by both
// stores alike.
std::vector<std::vector<Event>> RandomBatches() {
  const int persons = *rc::gen::inRange(1, 8);
  const int steps = *rc::gen::inRange(1, 40);
  std::vector<std::vector<Event>> batches;
  int day = 0;
  const char* kTypes[] = {"person.corrected",       "person.captured",      "person.icrc_visited",
                          "person.reported_dead",   "person.body_returned", "person.identified",
                          "person.family_notified", "person.merged_into",   "person.withdrawn"};
  for (int i = 0; i < steps; ++i) {
    day += *rc::gen::inRange(0, 3);
    const Date on{Date::FromCivil(2000, 1, 1).days + day};
    const std::string on_text = on.ToString();
    const int64_t id = *rc::gen::inRange(1, persons + 1);
    std::vector<Event> batch;
    const int kind = *rc::gen::inRange(0, 11);
    Event e = registry::testing::PersonEv(id, "person.registered", "2000-01-01");
    e.recorded_on = on;
    if (kind <= 1) {
      e.payload = {{"family_name", "F" + std::to_string(id)},
                   {"birth_date", "1970-01-0" + std::to_string(1 + id % 9)},
                   {"sex", id % 2 ? "male" : "female"},
                   {"disappearance_date", "1993-0" + std::to_string(1 + id % 9) + "-01"}};
    } else {
      e.type = kTypes[kind - 2];
      if (e.type == "person.corrected") {
        e.payload = {{"given_name", "G" + std::to_string(i)}};
        if (*rc::gen::inRange(0, 2)) e.payload["birth_date"] = "1930-02-02";
      } else if (e.type == "person.captured") {
        e.payload = {{"capture", *rc::gen::inRange(0, 2) ? "hostage" : "prisoner_of_war"},
                     {"capture_date", "1993-06-01"}};
      } else if (e.type == "person.reported_dead") {
        e.payload = {{"death_date", *rc::gen::inRange(0, 4) ? "1994-01-01" : "1960-01-01"},
                     {"death_territory", "other_party"},
                     {"death_locality", "L"}};
      } else if (e.type == "person.merged_into") {
        e.payload = {{"into", std::to_string(*rc::gen::inRange(1, persons + 1))}};
      } else if (e.type != "person.withdrawn") {
        e.payload = {{"date", on_text}};
      }
    }
    batch.push_back(std::move(e));
    batches.push_back(std::move(batch));
  }
  return batches;
}

std::string Key(const Person& p) {
  return std::to_string(p.id.value) + "|" + p.given_name + "|" +
         (p.birth_date ? p.birth_date->ToString() : "") + "|" + std::string(Name(p.capture)) + "|" +
         std::to_string(p.icrc_visits) + "|" + std::string(Name(p.body)) + "|" +
         std::string(Name(p.status)) + "|" + std::to_string(p.merged_into) + "|" +
         (p.family_notified_on ? "n" : "");
}

// Appends one random history to `store` and to the in-memory replay, then compares every as-of
// read from the day before the first event to the day after the last.
void CheckProjectionEqualsReplay(registry::RegistryStore& store) {
  MemoryStore memory;
  int last_day = 0;
  for (auto& batch : RandomBatches()) {
    auto a = memory.Append(batch);
    auto b = store.Append(batch);
    RC_ASSERT(a.has_value() == b.has_value());
    if (a) last_day = batch.back().recorded_on.days;
  }
  for (int d = Date::FromCivil(1999, 12, 31).days; d <= last_day + 1; ++d) {
    auto m = memory.Persons(Date{d});
    auto s = store.Persons(Date{d});
    auto f = store.PersonsForFigures(Date{d});
    RC_ASSERT(m.has_value() && s.has_value() && f.has_value());
    RC_ASSERT(m->size() == s->size());
    RC_ASSERT(m->size() == f->size());
    for (size_t i = 0; i < m->size(); ++i) {
      RC_ASSERT(Key((*m)[i]) == Key((*s)[i]));
      RC_ASSERT((*m)[i].status == (*f)[i].status);
      RC_ASSERT((*m)[i].capture == (*f)[i].capture);
      RC_ASSERT((*m)[i].body == (*f)[i].body);
    }
  }
}

RC_GTEST_PROP(StoreProperty, SqliteProjectionEqualsReplayAsOfEveryDay, ()) {
  testing::TempDir dir;
  auto sqlite = SqliteStore::Open(dir.File("p.db"));
  RC_ASSERT(sqlite.has_value());
  CheckProjectionEqualsReplay(**sqlite);
}

// The same property on PostgreSQL, each case in a fresh schema (fewer cases: each costs a schema
// and its migration).
TEST(StoreProperty, PostgresProjectionEqualsReplayAsOfEveryDay) {
  const auto uri = testing::PgTestUri();
  if (!uri) GTEST_SKIP() << testing::kNoPostgres;
  {
    testing::PgSchema probe(*uri);
    ASSERT_TRUE(probe.ok()) << probe.error();
  }
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = std::min(params.maxSuccess, 40);
  rc::detail::TestMetadata metadata;
  metadata.id = "StoreProperty/PostgresProjectionEqualsReplayAsOfEveryDay";
  metadata.description = "PostgresProjectionEqualsReplayAsOfEveryDay";
  const auto result = rc::detail::checkTestable(
      [&] {
        testing::PgSchema schema(*uri);
        RC_ASSERT(schema.ok());
        auto pg = PostgresStore::Open(schema.uri());
        RC_ASSERT(pg.has_value());
        CheckProjectionEqualsReplay(**pg);
      },
      metadata, params);
  EXPECT_TRUE(result.template is<rc::detail::SuccessResult>()) << [&] {
    std::ostringstream os;
    rc::detail::printResultMessage(result, os);
    return os.str();
  }();
}

}  // namespace
}  // namespace whereabouts::store
