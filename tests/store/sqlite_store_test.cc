// What only the SQLite store promises: durability across reopen, an append-only events table
// enforced by the database, migrations, a projection that can be rebuilt from the events.
#include "store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "demo/demo.h"
#include "registry/figures.h"
#include "registry/registry.h"
#include "registry/test_util.h"
#include "store/temp_dir.h"

namespace whereabouts::store {
namespace {

using registry::testing::PersonEv;

std::string Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  char* err = nullptr;
  std::string out;
  const int rc = sqlite3_exec(
      db, sql.c_str(),
      [](void* o, int n, char** v, char**) {
        auto* s = static_cast<std::string*>(o);
        for (int i = 0; i < n; ++i)
          *s += std::string(v[i] ? v[i] : "NULL") + (i + 1 < n ? "|" : "\n");
        return 0;
      },
      &out, &err);
  if (rc != SQLITE_OK) out = std::string("ERROR: ") + (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
  return out;
}

TEST(SqliteStoreTest, SettingsAndSchemaVersion) {
  testing::TempDir dir;
  const std::string path = dir.File("r.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_EQ((*store)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  EXPECT_EQ(Sql(path, "PRAGMA journal_mode"), "wal\n");
  EXPECT_EQ(Sql(path, "SELECT group_concat(version) FROM schema_migrations"), "1,2,3,4,5,6\n");
  store->reset();
  // Reopening applies nothing new.
  auto again = SqliteStore::Open(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(Sql(path, "SELECT count(*) FROM schema_migrations"), "6\n");
}

TEST(SqliteStoreTest, RefusesANewerSchema) {
  testing::TempDir dir;
  const std::string path = dir.File("r.db");
  ASSERT_TRUE(SqliteStore::Open(path));
  Sql(path, "INSERT INTO schema_migrations VALUES (99, 'future')");
  auto s = SqliteStore::Open(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
}

TEST(SqliteStoreTest, NotADatabaseIsAnIoError) {
  testing::TempDir dir;
  const std::string path = dir.File("junk.db");
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("this is not a database, just some text that is long enough to fail", f);
  std::fclose(f);
  auto s = SqliteStore::Open(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kIo);
}

TEST(SqliteStoreTest, EventsAreAppendOnlyInTheDatabase) {
  testing::TempDir dir;
  const std::string path = dir.File("r.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(
        (*store)->Append({PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "A"}})}));
  }
  EXPECT_NE(Sql(path, "UPDATE events SET actor = 'x'").find("append-only"), std::string::npos);
  EXPECT_NE(Sql(path, "DELETE FROM events").find("append-only"), std::string::npos);
  EXPECT_EQ(Sql(path, "SELECT count(*) FROM events"), "1\n");
  // Foreign keys are enforced: an event of an unknown entity cannot be slipped in.
  EXPECT_NE(Sql(path,
                "PRAGMA foreign_keys=ON; INSERT INTO events(kind, entity_id, type, "
                "recorded_on, actor, reason, payload) VALUES ('person', 7, 'x', "
                "'2000-01-01', 'a', 'b', '{}')")
                .find("FOREIGN KEY"),
            std::string::npos);
}

TEST(SqliteStoreTest, DurableAcrossReopenAndProjectionRebuilds) {
  testing::TempDir dir;
  const std::string path = dir.File("demo.db");
  registry::PlanarGeometry geo;
  std::string before_now, before_then;
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store);
    registry::Registry reg(**store, geo, registry::LegacyHistory{});
    ASSERT_TRUE(reg.RecordBatch(demo::DemoEvents()));
  }
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store);
  registry::Registry reg(**store, geo, registry::LegacyHistory{});
  auto now = reg.ComputeFigures(std::nullopt, registry::AgeLimits{});
  auto then = reg.ComputeFigures(*registry::Date::Parse("2020-01-15"), registry::AgeLimits{});
  ASSERT_TRUE(now && then);
  EXPECT_EQ(now->Value("missing"), 3890);
  EXPECT_EQ(then->Value("captured.serviceman"), 604);
  const std::string projection = Sql(path, "SELECT * FROM person_versions ORDER BY person_id, seq");
  const std::string facts = Sql(path, "SELECT * FROM person_facts ORDER BY person_id, seq");
  ASSERT_TRUE((*store)->RebuildProjections());
  EXPECT_EQ(Sql(path, "SELECT * FROM person_versions ORDER BY person_id, seq"), projection);
  EXPECT_EQ(Sql(path, "SELECT * FROM person_facts ORDER BY person_id, seq"), facts);
  // The narrow read gives the same figures as the full one.
  auto full = (*store)->Persons(std::nullopt);
  ASSERT_TRUE(full);
  const auto f_full =
      registry::ComputeFigures(*full, registry::Snapshot{}, registry::AgeLimits{}, std::nullopt);
  auto narrow = (*store)->PersonsForFigures(std::nullopt);
  ASSERT_TRUE(narrow);
  const auto f_narrow =
      registry::ComputeFigures(*narrow, registry::Snapshot{}, registry::AgeLimits{}, std::nullopt);
  ASSERT_EQ(f_full.rows.size(), f_narrow.rows.size());
  for (size_t i = 0; i < f_full.rows.size(); ++i) {
    EXPECT_EQ(f_full.rows[i].key, f_narrow.rows[i].key);
    EXPECT_EQ(f_full.rows[i].ids, f_narrow.rows[i].ids) << f_full.rows[i].key;
  }
  EXPECT_TRUE((*store)->CheckIntegrity());
}

}  // namespace
}  // namespace whereabouts::store

namespace whereabouts::store {
namespace {

// Migration 4 adds the identification date to person_facts and copies it from person_versions,
// so that a version-3 database gives figures by period without reading the full projection.
TEST(SqliteStoreTest, MigratesAVersion3DatabaseCopyingIdentificationDates) {
  testing::TempDir dir;
  const std::string path = dir.File("v3.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(
        (*store)->Append({PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "A"}})}));
  }
  // What version 3 wrote: person_facts without the date; the full projection holds one.
  ASSERT_EQ(Sql(path, R"(ALTER TABLE person_facts DROP COLUMN identified_on;
    DROP TABLE audit; DROP TABLE case_restrictions; DROP TABLE api_tokens; DROP TABLE sessions;
    DROP TABLE accounts;
    UPDATE person_versions SET identified_on = 16000;
    DROP TABLE event_chain;
    DROP TABLE idempotency_keys;
    DROP INDEX events_by_person_ref; DROP INDEX events_by_individual; DROP INDEX events_by_proposal;
    DELETE FROM schema_migrations WHERE version >= 4;)"),
            "");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_EQ((*store)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  auto facts = (*store)->PersonsForFigures(std::nullopt);
  ASSERT_TRUE(facts);
  ASSERT_EQ(facts->size(), 1u);
  ASSERT_TRUE((*facts)[0].identified_on.has_value());
  EXPECT_EQ((*facts)[0].identified_on->days, 16000);
}

TEST(SqliteStoreTest, MigratesAVersion1Database) {
  testing::TempDir dir;
  const std::string path = dir.File("v1.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE(
        (*store)->Append({PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "A"}})}));
  }
  // Turn it back into what schema version 1 wrote: entities without incidents and sources.
  ASSERT_EQ(Sql(path, R"(PRAGMA foreign_keys=OFF;
    DROP TABLE audit; DROP TABLE case_restrictions; DROP TABLE api_tokens; DROP TABLE sessions;
    DROP TABLE accounts;
    CREATE TABLE entities_v1(
      kind TEXT NOT NULL CHECK (kind IN ('person','relative','site','hazard','remains','list')),
      id INTEGER NOT NULL CHECK (id > 0), PRIMARY KEY (kind, id)) WITHOUT ROWID;
    INSERT INTO entities_v1 SELECT kind, id FROM entities;
    DROP TABLE entities;
    ALTER TABLE entities_v1 RENAME TO entities;
    DROP TABLE person_facts;
    DROP TABLE event_chain;
    DROP TABLE idempotency_keys;
    DROP INDEX events_by_person_ref; DROP INDEX events_by_individual; DROP INDEX events_by_proposal;
    DELETE FROM schema_migrations WHERE version >= 2;)"),
            "");
  EXPECT_NE(Sql(path, "INSERT INTO entities VALUES ('source', 1)").find("CHECK"),
            std::string::npos);
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store) << store.error().ToString();
  EXPECT_EQ((*store)->SchemaVersion(), SqliteStore::LatestSchemaVersion());
  auto facts = (*store)->PersonsForFigures(std::nullopt);  // migration 3 filled person_facts
  ASSERT_TRUE(facts);
  ASSERT_EQ(facts->size(), 1u);
  auto s = (*store)->Append({registry::testing::Ev(
      registry::EntityKind::kSource, 0, "source.registered", "2021-01-01", {{"symbol", "CMP/1"}})});
  ASSERT_TRUE(s) << s.error().ToString();
  auto p = (*store)->FindPerson(registry::PersonId{1}, std::nullopt);
  ASSERT_TRUE(p && *p);
  EXPECT_TRUE((*store)->CheckIntegrity());
  EXPECT_EQ(Sql(path, "PRAGMA foreign_key_check"), "");
}

// Migration 5 computes the chain of a register written before it: the hashes are those a new
// register would have, and new events chain on.
TEST(SqliteStoreTest, MigratesAVersion4DatabaseComputingTheEventChain) {
  testing::TempDir dir;
  const std::string path = dir.File("v4.db");
  std::string hash_b;
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store);
    auto s = (*store)->Append({PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "A"}}),
                               PersonEv(2, "person.registered", "2000-01-02", {{"family_name", "B"}})});
    ASSERT_TRUE(s);
    hash_b = (*s)[1].hash;
  }
  ASSERT_EQ(Sql(path, R"(DROP TABLE audit; DROP TABLE case_restrictions; DROP TABLE api_tokens;
    DROP TABLE sessions; DROP TABLE accounts;
    DROP TABLE event_chain; DROP TABLE idempotency_keys;
    DROP INDEX events_by_person_ref; DROP INDEX events_by_individual; DROP INDEX events_by_proposal;
    DELETE FROM schema_migrations WHERE version >= 5;)"),
            "");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store) << store.error().ToString();
  auto head = (*store)->Head(std::nullopt);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 2);
  EXPECT_EQ(head->hash, hash_b);
  registry::PlanarGeometry geo;
  registry::Registry reg(**store, geo, registry::LegacyHistory{});
  ASSERT_TRUE(reg.Record(PersonEv(1, "person.corrected", "2000-01-03", {{"given_name", "C"}})));
  auto verified = reg.VerifyChain();
  ASSERT_TRUE(verified) << verified.error().ToString();
  EXPECT_EQ(verified->seq, 3);
}

// The database refuses changes to the history; one made behind its back (triggers dropped) is
// found by recomputing the chain, which names the first changed event.
TEST(SqliteStoreTest, AChangedHistoryIsFoundByTheChain) {
  testing::TempDir dir;
  const std::string path = dir.File("r.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->Append(
        {PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "A"}}),
         PersonEv(2, "person.registered", "2000-01-02", {{"family_name", "B"}}),
         PersonEv(3, "person.registered", "2000-01-03", {{"family_name", "C"}})}));
  }
  EXPECT_NE(Sql(path, "UPDATE event_chain SET hash = hash WHERE seq = 2").find("append-only"),
            std::string::npos);
  ASSERT_EQ(Sql(path, R"(DROP TRIGGER events_append_only_update;
    UPDATE events SET payload = '{"family_name":"Z"}' WHERE seq = 2;)"),
            "");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store);
  registry::PlanarGeometry geo;
  registry::Registry reg(**store, geo, registry::LegacyHistory{});
  auto verified = reg.VerifyChain();
  ASSERT_FALSE(verified);
  EXPECT_NE(verified.error().message.find("event #2 (person.registered of person 2)"),
            std::string::npos)
      << verified.error().message;
}

}  // namespace
}  // namespace whereabouts::store
