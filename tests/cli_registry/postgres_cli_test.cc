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
