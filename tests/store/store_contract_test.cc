// One contract, every RegistryStore: the in-memory fake, SQLite and PostgreSQL (the postgres
// instance skips when the build found no PostgreSQL server; see store/pg_test_util.h).
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "registry/store_port.h"
#include "registry/test_util.h"
#include "store/memory_store.h"
#include "store/pg_test_util.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace whereabouts::store {
namespace {

using registry::AsOf;
using registry::Date;
using registry::EntityKind;
using registry::Event;
using registry::testing::Ev;
using registry::testing::PersonEv;

struct StoreFactory {
  std::string name;
  // `where`: a temporary folder, or for PostgreSQL the URI of a fresh schema.
  std::function<std::unique_ptr<registry::RegistryStore>(const std::string& where)> make;
  bool postgres = false;
};

// Names the store in test output (instead of gtest's bytes of the struct).
void PrintTo(const StoreFactory& f, std::ostream* os) { *os << f.name; }

class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    std::string where = dir_.path().string();
    if (GetParam().postgres) {
      const auto uri = testing::PgTestUri();
      if (!uri) GTEST_SKIP() << testing::kNoPostgres;
      schema_ = std::make_unique<testing::PgSchema>(*uri);
      ASSERT_TRUE(schema_->ok()) << schema_->error();
      where = schema_->uri();
    }
    store_ = GetParam().make(where);
    ASSERT_TRUE(store_);
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::PgSchema> schema_;  // dropped after the store closes
  std::unique_ptr<registry::RegistryStore> store_;
};

AsOf On(const char* d) { return AsOf{*Date::Parse(d)}; }

TEST_P(StoreContractTest, AssignsIdsAndSeqs) {
  auto s = store_->Append({PersonEv(0, "person.registered", "2000-01-01", {{"family_name", "A"}}),
                           PersonEv(0, "person.registered", "2000-01-01", {{"family_name", "B"}}),
                           Ev(EntityKind::kSite, 0, "site.registered", "2000-01-01",
                              {{"name", "S"}, {"lon", "1"}, {"lat", "2"}})});
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ((*s)[0].entity_id, 1);
  EXPECT_EQ((*s)[1].entity_id, 2);
  EXPECT_EQ((*s)[2].entity_id, 1);
  EXPECT_LT((*s)[0].seq, (*s)[1].seq);
  auto next = store_->NextId(EntityKind::kPerson);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 3);
  auto dup =
      store_->Append({PersonEv(2, "person.registered", "2000-01-02", {{"family_name", "C"}})});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreContractTest, ABatchIsAllOrNothing) {
  auto s = store_->Append(
      {PersonEv(1, "person.registered", "2000-01-01",
                {{"family_name", "A"}, {"birth_date", "1970-01-01"}}),
       PersonEv(2, "person.registered", "2000-01-01", {{"family_name", "B"}}),
       PersonEv(1, "person.reported_dead", "2000-02-01", {{"death_date", "1960-01-01"}})});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
  auto persons = store_->Persons(std::nullopt);
  ASSERT_TRUE(persons);
  EXPECT_TRUE(persons->empty());
  registry::EventQuery q;
  q.include_persons = true;
  auto events = store_->Events(q);
  ASSERT_TRUE(events);
  EXPECT_TRUE(events->empty());
  auto next = store_->NextId(EntityKind::kPerson);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 1);
}

TEST_P(StoreContractTest, EventsOfUnknownEntitiesAreRefused) {
  auto s = store_->Append({PersonEv(9, "person.corrected", "2000-01-01", {{"family_name", "A"}})});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContractTest, AsOfReadsSeeTheStateOfThatDay) {
  ASSERT_TRUE(store_->Append({PersonEv(1, "person.registered", "2000-01-01",
                                       {{"family_name", "Velani"}, {"given_name", "Tom"}})}));
  ASSERT_TRUE(
      store_->Append({PersonEv(1, "person.corrected", "2005-05-05", {{"given_name", "Toma"}})}));
  ASSERT_TRUE(
      store_->Append({PersonEv(1, "person.corrected", "2005-05-05", {{"given_name", "Tomas"}})}));
  ASSERT_TRUE(
      store_->Append({PersonEv(2, "person.registered", "2010-01-01", {{"family_name", "Morsa"}})}));
  auto p = store_->FindPerson(registry::PersonId{1}, On("1999-12-31"));
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->has_value());
  p = store_->FindPerson(registry::PersonId{1}, On("2005-05-04"));
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->given_name, "Tom");
  p = store_->FindPerson(registry::PersonId{1}, On("2005-05-05"));
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->given_name, "Tomas");  // the later of two events on one day
  p = store_->FindPerson(registry::PersonId{1}, std::nullopt);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->given_name, "Tomas");
  auto all = store_->Persons(On("2009-12-31"));
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
  all = store_->Persons(std::nullopt);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].family_name, "Morsa");
  // A backdated event is refused: history is appended.
  auto late =
      store_->Append({PersonEv(1, "person.corrected", "2001-01-01", {{"given_name", "X"}})});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
}

TEST_P(StoreContractTest, EventsFilterByKindEntityAndDate) {
  ASSERT_TRUE(store_->Append(
      {PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "A"}}),
       Ev(EntityKind::kSite, 1, "site.registered", "2001-01-01",
          {{"name", "S"}, {"lon", "1"}, {"lat", "2"}, {"village", "Lerin, upper"}}),
       Ev(EntityKind::kSite, 1, "site.excavated", "2002-01-01", {{"date", "2002-01-01"}})}));
  registry::EventQuery q;
  auto non_person = store_->Events(q);
  ASSERT_TRUE(non_person);
  EXPECT_EQ(non_person->size(), 2u);
  EXPECT_EQ((*non_person)[0].Get("village"), "Lerin, upper");
  EXPECT_EQ((*non_person)[0].actor, "tester");
  q.as_of = On("2001-06-01");
  auto early = store_->Events(q);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->size(), 1u);
  registry::EventQuery pq;
  pq.kind = EntityKind::kPerson;
  pq.entity_id = 1;
  auto pe = store_->Events(pq);
  ASSERT_TRUE(pe);
  ASSERT_EQ(pe->size(), 1u);
  EXPECT_EQ((*pe)[0].type, "person.registered");
}

TEST_P(StoreContractTest, EveryEventCarriesTheChainHashAndTheHeadIsTheLastEvent) {
  auto empty = store_->Head(std::nullopt);
  ASSERT_TRUE(empty) << empty.error().ToString();
  EXPECT_EQ(empty->seq, 0);
  auto s = store_->Append({PersonEv(0, "person.registered", "2000-01-01", {{"family_name", "A"}}),
                           PersonEv(0, "person.registered", "2000-02-01", {{"family_name", "B"}})});
  ASSERT_TRUE(s) << s.error().ToString();
  auto t = store_->Append({PersonEv(1, "person.corrected", "2000-03-01", {{"given_name", "C"}})});
  ASSERT_TRUE(t) << t.error().ToString();
  // Each hash chains on the one before, as ChainHash computes it.
  EXPECT_EQ((*s)[0].hash, registry::ChainHash("", (*s)[0]));
  EXPECT_EQ((*s)[1].hash, registry::ChainHash((*s)[0].hash, (*s)[1]));
  EXPECT_EQ((*t)[0].hash, registry::ChainHash((*s)[1].hash, (*t)[0]));
  EXPECT_EQ((*t)[0].hash.size(), 64u);
  // Read back with the same hashes.
  registry::EventQuery q;
  q.kind = EntityKind::kPerson;
  auto all = store_->Events(q);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].hash, (*t)[0].hash);
  auto head = store_->Head(std::nullopt);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, (*t)[0].seq);
  EXPECT_EQ(head->hash, (*t)[0].hash);
  auto then = store_->Head(On("2000-02-15"));
  ASSERT_TRUE(then);
  EXPECT_EQ(then->seq, (*s)[1].seq);
  EXPECT_EQ(then->recorded_on.ToString(), "2000-02-01");
  auto before = store_->Head(On("1999-12-31"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->seq, 0);
  // Versions: the seq of an entity's last event.
  auto v1 = store_->EntityVersion(EntityKind::kPerson, 1);
  ASSERT_TRUE(v1);
  EXPECT_EQ(*v1, (*t)[0].seq);
  auto v2 = store_->EntityVersion(EntityKind::kPerson, 2);
  ASSERT_TRUE(v2);
  EXPECT_EQ(*v2, (*s)[1].seq);
  auto none = store_->EntityVersion(EntityKind::kPerson, 99);
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0);
  // Events by seq range.
  registry::EventQuery r;
  r.from_seq = (*s)[1].seq;
  r.to_seq = (*t)[0].seq;
  auto range = store_->Events(r);
  ASSERT_TRUE(range);
  ASSERT_EQ(range->size(), 2u);
  EXPECT_EQ((*range)[0].seq, (*s)[1].seq);
}

TEST_P(StoreContractTest, IdempotencyKeysAreRememberedOnceAndRolledBackWithTheirWrite) {
  auto s = store_->Append({PersonEv(0, "person.registered", "2000-01-01", {{"family_name", "A"}})});
  ASSERT_TRUE(s);
  auto found = store_->FindIdempotencyKey("k1");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
  ASSERT_TRUE(store_->RememberIdempotencyKey("k1", {(*s)[0].seq, (*s)[0].seq}));
  found = store_->FindIdempotencyKey("k1");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->first_seq, (*s)[0].seq);
  EXPECT_FALSE(store_->RememberIdempotencyKey("k1", {(*s)[0].seq, (*s)[0].seq}));
  // A failed write leaves neither its events nor its key.
  auto failed = store_->RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(auto ev, store_->Append({PersonEv(0, "person.registered", "2000-01-02",
                                                          {{"family_name", "B"}})}));
    WB_RETURN_IF_ERROR(store_->RememberIdempotencyKey("k2", {ev[0].seq, ev[0].seq}));
    return MakeError(ErrorCode::kFailedPrecondition, "a rule");
  });
  EXPECT_FALSE(failed);
  found = store_->FindIdempotencyKey("k2");
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
  auto next = store_->NextId(EntityKind::kPerson);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 2);
}

INSTANTIATE_TEST_SUITE_P(
    Stores, StoreContractTest,
    ::testing::Values(
        StoreFactory{"memory",
                     [](const std::string&) -> std::unique_ptr<registry::RegistryStore> {
                       return std::make_unique<MemoryStore>();
                     }},
        StoreFactory{"sqlite",
                     [](const std::string& dir) -> std::unique_ptr<registry::RegistryStore> {
                       auto s = SqliteStore::Open(dir + "/contract.db");
                       EXPECT_TRUE(s) << s.error().ToString();
                       return std::move(*s);
                     }},
        StoreFactory{"postgres",
                     [](const std::string& uri) -> std::unique_ptr<registry::RegistryStore> {
                       auto s = PostgresStore::Open(uri);
                       EXPECT_TRUE(s) << s.error().ToString();
                       if (!s) return nullptr;
                       return std::move(*s);
                     },
                     /*postgres=*/true}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace whereabouts::store
