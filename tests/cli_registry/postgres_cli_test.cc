// End to end on PostgreSQL: `whereabouts demo --db postgresql://...` then `report figures` gives
// the figures the same commands give on SQLite, today and as of the earlier date.
#include <gtest/gtest.h>

#include <set>

#include "cli_registry/concurrency_util.h"
#include "cli_registry/dna_case.h"
#include "store/pg_test_util.h"

namespace whereabouts::testing {
namespace {

TEST(PostgresCliTest, DemoFiguresEqualThoseOnSqlite) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  const std::string pg = "--db '" + schema.uri() + "'";

  RunResult r = Wb(dir, "demo " + pg);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("created the demo register postgresql://whereabouts@"), std::string::npos)
      << r.out;
  r = Wb(dir, "demo --db sqlite.db");
  ASSERT_EQ(r.rc, 0) << r.err;

  for (const std::string as_of : {"", " --as-of 2020-01-15"}) {
    const RunResult on_pg = Wb(dir, "report figures --format csv" + as_of + " " + pg);
    ASSERT_EQ(on_pg.rc, 0) << on_pg.err;
    const RunResult on_sqlite = Wb(dir, "report figures --format csv --db sqlite.db" + as_of);
    ASSERT_EQ(on_sqlite.rc, 0) << on_sqlite.err;
    EXPECT_EQ(on_pg.out, on_sqlite.out) << as_of;
    EXPECT_EQ(FiguresCsv(on_pg.out)["missing"], as_of.empty() ? 3890 : 3889);
  }

  // A second demo into the same database is refused (its history cannot be replaced).
  r = Wb(dir, "demo --force " + pg);
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("already holds a register"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("password"), std::string::npos);
}

// A family's whole DNA case on PostgreSQL: labels and sample ids unique, reference profiles,
// export dna, identify --db, the consent rule at confirmation, figures by the register's site.
TEST(PostgresCliTest, DnaCaseFromRegisterToFigures) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  ASSERT_EQ(Wb(dir, "db migrate --db '" + schema.uri() + "'").rc, 0);  // explicit on PostgreSQL
  RunDnaCase(dir, "--db '" + schema.uri() + "'");
}

// 16 writers at once on one PostgreSQL database: all succeed, no id twice, the chain intact.
TEST(PostgresCliTest, SixteenConcurrentWritersAllKept) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  const std::string pg = " --db '" + schema.uri() + "'";
  ASSERT_EQ(Wb(dir, "db migrate" + pg).rc, 0);  // no other command changes the schema
  ASSERT_EQ(Wb(dir, "person add --family-name First" + pg).rc, 0);
  ASSERT_EQ(Wb(dir, "remains add --label B-1 --kind bag --holder Lab" + pg).rc, 0);
  // Persons, proposals, custody hand-overs of one bag and incidents, 16 at once.
  std::vector<std::string> cmds;
  for (int i = 0; i < 6; ++i) {
    cmds.push_back("person add --family-name Writer" + std::to_string(i) + pg);
  }
  for (int i = 0; i < 4; ++i) {
    cmds.push_back("identification propose 1 --date 2024-05-05 --remains B-" +
                   std::to_string(i) + " --by lab --reason report" + pg);
  }
  for (int i = 0; i < 4; ++i) {
    cmds.push_back("custody transfer 1 --from Lab --to Holder" + std::to_string(i) + pg);
  }
  for (int i = 0; i < 2; ++i) cmds.push_back("incident add --place Village" + std::to_string(i) + pg);
  const auto results = WbConcurrently(dir, cmds);
  std::set<std::string> outputs;
  int transfers = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (cmds[i].rfind("custody", 0) == 0) {
      if (results[i].rc == 0) {
        ++transfers;
      } else {
        EXPECT_EQ(results[i].rc, 2) << results[i].err;  // only the holder hands over
      }
      continue;
    }
    EXPECT_EQ(results[i].rc, 0) << cmds[i] << ": " << results[i].err;
    outputs.insert(results[i].out);
  }
  EXPECT_EQ(transfers, 1);
  EXPECT_EQ(outputs.size(), 12u);  // every write names its own id (persons, proposals, incidents)
  const RunResult chain = Wb(dir, "report chain" + pg);
  EXPECT_EQ(chain.rc, 0) << chain.err;
  // 2 + 6 persons + 4 proposals + 1 transfer + 2 incidents.
  EXPECT_TRUE(Has(chain.out, "15 events")) << chain.out;
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv" + pg).out)["missing"], 7);
  const RunResult list = Wb(dir, "identification list --status proposed --json" + pg);
  for (int i = 1; i <= 4; ++i) {
    EXPECT_TRUE(Has(list.out, "\"proposal\": " + std::to_string(i) + ",")) << list.out;
  }
}

// Schema changes are an administrator's explicit command; a clerk's role with only the rights
// docs/registry.md lists runs the register's commands, and cannot drop the append-only triggers.
TEST(PostgresCliTest, MigrationIsExplicitAndAClerkNeedsOnlyTheDocumentedRights) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  const std::string pg = " --db '" + schema.uri() + "'";
  RunResult r = Wb(dir, "person add --family-name First" + pg);
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_NE(r.err.find("whereabouts db migrate"), std::string::npos) << r.err;
  r = Wb(dir, "db migrate" + pg);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("schema at version"), std::string::npos) << r.out;
  EXPECT_EQ(Wb(dir, "db migrate" + pg).rc, 0);  // again: nothing to do

  const std::string clerk = "wb_clerk_" + schema.name();
  const std::string s = schema.name();
  ASSERT_TRUE(schema.Exec("DROP ROLE IF EXISTS " + clerk + "; CREATE ROLE " + clerk + " LOGIN"))
      << schema.error();
  // The clerk's rights, exactly as documented.
  ASSERT_TRUE(schema.Exec("GRANT USAGE ON SCHEMA " + s + " TO " + clerk + "; " +
                          "GRANT SELECT ON " + s + ".schema_migrations TO " + clerk + "; " +
                          "GRANT SELECT, INSERT ON " + s + ".entities, " + s + ".events, " + s +
                          ".event_chain, " + s + ".idempotency_keys, " + s + ".person_versions, " +
                          s + ".person_facts TO " + clerk + "; " + "GRANT UPDATE (valid_to) ON " +
                          s + ".person_versions, " + s + ".person_facts TO " + clerk))
      << schema.error();
  std::string as_clerk = schema.uri();
  const size_t user = as_clerk.find("user=");
  ASSERT_NE(user, std::string::npos) << as_clerk;
  const size_t end = as_clerk.find('&', user);
  as_clerk.replace(user, end == std::string::npos ? std::string::npos : end - user,
                   "user=" + clerk);
  const std::string cp = " --db '" + as_clerk + "'";
  for (const std::string cmd :
       {"person add --family-name Velani --sex male --born 1970-02-02 --disappeared 1993-05-01",
        "person update 1 --event captured --set capture=hostage --set capture_date=1993-05-01",
        "person relative-add 1 --name Ana --relationship mother --sample REF-1",
        "remains add --label B-1 --holder Lab --recovered 2015-01-01",
        "custody transfer 1 --from Lab --to Court --date 2016-01-01",
        "identification propose 1 --date 2015-05-05 --remains B-1 --by clerk --reason lab",
        "person show 1", "person relatives 1", "report figures", "report chain", "verify"}) {
    r = Wb(dir, cmd + cp);
    EXPECT_EQ(r.rc, 0) << cmd << ": " << r.err;
  }
  // Without CREATE on the schema the clerk cannot change it, nor lift the history's protection.
  PGconn* conn = PQconnectdb(as_clerk.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* res = PQexec(conn, "DROP TRIGGER events_append_only_row ON events");
  EXPECT_NE(PQresultStatus(res), PGRES_COMMAND_OK);
  PQclear(res);
  res = PQexec(conn, "UPDATE person_facts SET capture = 0");
  EXPECT_NE(PQresultStatus(res), PGRES_COMMAND_OK);  // only valid_to may be updated
  PQclear(res);
  PQfinish(conn);
  EXPECT_TRUE(schema.Exec("DROP OWNED BY " + clerk + "; DROP ROLE " + clerk)) << schema.error();
}

// `verify` on PostgreSQL: a changed projection row and an event rewritten with the trigger
// dropped are named (exit 1).
TEST(PostgresCliTest, VerifyFindsChangedRowsAndEvents) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  const std::string pg = " --db '" + schema.uri() + "'";
  ASSERT_EQ(Wb(dir, "db migrate" + pg).rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Velani --disappeared 1993-05-01" + pg).rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Morsa" + pg).rc, 0);
  ASSERT_EQ(Wb(dir, "person update 1 --event captured --set capture=hostage" + pg).rc, 0);
  RunResult v = Wb(dir, "verify" + pg);
  ASSERT_EQ(v.rc, 0) << v.err;
  EXPECT_NE(v.out.find("projections: 6 rows"), std::string::npos) << v.out;
  const std::string s = schema.name() + ".";  // the test's connection has its own search_path
  ASSERT_TRUE(schema.Exec("UPDATE " + s + "person_facts SET capture = 2 WHERE person_id = 2"))
      << schema.error();
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv" + pg).out)["captured"], 2);
  v = Wb(dir, "verify" + pg);
  EXPECT_EQ(v.rc, 1);
  EXPECT_NE(v.err.find("person_facts row of person 2 at event #2 does not match the events"),
            std::string::npos)
      << v.err;
  ASSERT_TRUE(schema.Exec("UPDATE " + s + "person_facts SET capture = 0 WHERE person_id = 2"));
  EXPECT_EQ(Wb(dir, "verify" + pg).rc, 0);
  ASSERT_TRUE(schema.Exec("DROP TRIGGER events_append_only_row ON " + s + "events; UPDATE " + s +
                          "events SET payload = '{\"family_name\": \"Morsan\"}' WHERE seq = 2"))
      << schema.error();
  v = Wb(dir, "verify" + pg);
  EXPECT_EQ(v.rc, 1);
  EXPECT_NE(v.err.find("event #2"), std::string::npos) << v.err;
}

TEST(PostgresCliTest, AnUnreachableServerIsOneClearLine) {
  TempDir dir;
  const RunResult r = Wb(
      dir, "report figures --db 'postgresql://clerk:s3cret@/register?host=/nonexistent-wb&port=1'");
  EXPECT_EQ(r.rc, 1);
  EXPECT_EQ(r.err.rfind("whereabouts: postgresql://clerk@/nonexistent-wb:1/register", 0), 0u)
      << r.err;
  EXPECT_EQ(r.err.find("s3cret"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace whereabouts::testing
