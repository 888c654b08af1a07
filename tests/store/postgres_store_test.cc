// What only the PostgreSQL store has to show beyond the contract: URIs and messages without the
// password, the schema and its version, events refused UPDATE/DELETE/TRUNCATE by the database,
// and two connections appending at once.
#include "store/postgres_store.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "registry/test_util.h"
#include "store/pg_test_util.h"

namespace whereabouts::store {
namespace {

using registry::EntityKind;
using registry::Event;
using registry::testing::Ev;
using registry::testing::PersonEv;

TEST(PostgresStoreTest, RecognisesUris) {
  EXPECT_TRUE(PostgresStore::IsUri("postgresql://u@h/db"));
  EXPECT_TRUE(PostgresStore::IsUri("postgres://h/db"));
  EXPECT_FALSE(PostgresStore::IsUri("whereabouts.db"));
  EXPECT_FALSE(PostgresStore::IsUri("/data/postgresql/whereabouts.db"));
  EXPECT_FALSE(PostgresStore::IsUri("postgresql:/h"));
}

TEST(PostgresStoreTest, DisplayNameHasNoPassword) {
  EXPECT_EQ(PostgresStore::DisplayName("postgresql://clerk:s3cret@db.example.org:5433/register"),
            "postgresql://clerk@db.example.org:5433/register");
  EXPECT_EQ(PostgresStore::DisplayName("postgresql:///register?host=/run/pg&password=s3cret"),
            "postgresql:///run/pg/register");
}

TEST(PostgresStoreTest, ConnectionFailureNamesTheServerNotThePassword) {
  auto s =
      PostgresStore::Open("postgresql://clerk:s3cret@/register?host=/nonexistent-wb-dir&port=1");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  const std::string text = s.error().ToString();
  EXPECT_NE(text.find("postgresql://clerk@/nonexistent-wb-dir:1/register"), std::string::npos)
      << text;
  EXPECT_NE(text.find("cannot connect to PostgreSQL"), std::string::npos) << text;
  EXPECT_EQ(text.find("s3cret"), std::string::npos) << text;
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto uri = testing::PgTestUri();
    if (!uri) GTEST_SKIP() << testing::kNoPostgres;
    schema_ = std::make_unique<testing::PgSchema>(*uri);
    ASSERT_TRUE(schema_->ok()) << schema_->error();
  }
  std::string Table(const char* name) const { return schema_->name() + "." + name; }
  std::unique_ptr<testing::PgSchema> schema_;
};

TEST_F(PostgresTest, SchemaVersionAndAppendOnlyEvents) {
  {
    auto store = PostgresStore::Open(schema_->uri());
    ASSERT_TRUE(store) << store.error().ToString();
    EXPECT_EQ((*store)->SchemaVersion(), PostgresStore::LatestSchemaVersion());
    ASSERT_TRUE(
        (*store)->Append({PersonEv(0, "person.registered", "2000-01-01", {{"family_name", "A"}})}));
  }
  for (const std::string& sql :
       {"UPDATE " + Table("events") + " SET actor = 'x'", "DELETE FROM " + Table("events"),
        "TRUNCATE " + Table("events") + " CASCADE"}) {
    EXPECT_FALSE(schema_->Exec(sql)) << sql;
    EXPECT_NE(schema_->error().find("append-only"), std::string::npos) << schema_->error();
  }
  // Reopening applies nothing; a schema newer than this build is refused.
  auto again = PostgresStore::Open(schema_->uri());
  ASSERT_TRUE(again) << again.error().ToString();
  auto persons = (*again)->Persons(std::nullopt);
  ASSERT_TRUE(persons);
  EXPECT_EQ(persons->size(), 1u);
  ASSERT_TRUE(schema_->Exec("INSERT INTO " + Table("schema_migrations") + "(version) VALUES (99)"));
  auto newer = PostgresStore::Open(schema_->uri());
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.error().code, ErrorCode::kFailedPrecondition);
}

TEST_F(PostgresTest, ServerErrorsAreIoErrorsWithTheServersMessage) {
  auto store = PostgresStore::Open(schema_->uri());
  ASSERT_TRUE(store) << store.error().ToString();
  ASSERT_TRUE(schema_->Exec("DROP TABLE " + Table("person_facts")));
  auto s = (*store)->PersonsForFigures(std::nullopt);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
  EXPECT_NE(s.error().message.find("person_facts"), std::string::npos) << s.error().message;
}

// Two connections append at once, each many small batches with fresh ids: every id and seq is
// assigned once, nothing is lost, and seq order is the order of the batches' commits.
TEST_F(PostgresTest, ConcurrentWritersGetDistinctIdsAndSeqs) {
  constexpr int kBatches = 40;
  constexpr int kPersonsPerBatch = 3;
  auto writer = [&](const std::string& tag, std::string* error) {
    auto store = PostgresStore::Open(schema_->uri());
    if (!store) {
      *error = store.error().ToString();
      return;
    }
    for (int b = 0; b < kBatches; ++b) {
      std::vector<Event> batch;
      for (int i = 0; i < kPersonsPerBatch; ++i) {
        batch.push_back(PersonEv(0, "person.registered", "2000-01-01",
                                 {{"family_name", tag + std::to_string(b)}}));
      }
      batch.push_back(Ev(EntityKind::kSite, 0, "site.registered", "2000-01-01",
                         {{"name", tag}, {"lon", "1"}, {"lat", "2"}}));
      auto s = (*store)->Append(std::move(batch));
      if (!s) {
        *error = s.error().ToString();
        return;
      }
    }
  };
  std::string error_a, error_b;
  std::thread a(writer, "A", &error_a);
  std::thread b(writer, "B", &error_b);
  a.join();
  b.join();
  ASSERT_EQ(error_a, "");
  ASSERT_EQ(error_b, "");

  auto store = PostgresStore::Open(schema_->uri());
  ASSERT_TRUE(store) << store.error().ToString();
  auto persons = (*store)->Persons(std::nullopt);
  ASSERT_TRUE(persons);
  ASSERT_EQ(persons->size(), static_cast<size_t>(2 * kBatches * kPersonsPerBatch));
  for (size_t i = 0; i < persons->size(); ++i) {
    EXPECT_EQ((*persons)[i].id.value, static_cast<int64_t>(i + 1));
  }
  registry::EventQuery q;
  q.include_persons = true;
  auto events = (*store)->Events(q);
  ASSERT_TRUE(events);
  ASSERT_EQ(events->size(), static_cast<size_t>(2 * kBatches * (kPersonsPerBatch + 1)));
  std::set<int64_t> seqs;
  std::set<int64_t> sites;
  for (size_t i = 0; i < events->size(); ++i) {
    const Event& e = (*events)[i];
    EXPECT_EQ(e.seq, static_cast<int64_t>(i + 1));  // no gap, no duplicate
    seqs.insert(e.seq);
    if (e.kind == EntityKind::kSite) sites.insert(e.entity_id);
    // A batch is contiguous: its persons and its site are never interleaved with another's.
    if (e.kind == EntityKind::kPerson && i % (kPersonsPerBatch + 1) != 0) {
      EXPECT_EQ(e.Get("family_name"), (*events)[i - 1].Get("family_name"));
    }
  }
  EXPECT_EQ(seqs.size(), events->size());
  EXPECT_EQ(sites.size(), static_cast<size_t>(2 * kBatches));
  auto next = (*store)->NextId(EntityKind::kPerson);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 2 * kBatches * kPersonsPerBatch + 1);
}

}  // namespace
}  // namespace whereabouts::store
