// End to end on PostgreSQL: `whereabouts demo --db postgresql://...` then `report figures` gives
// the figures the same commands give on SQLite, today and as of the earlier date.
#include <gtest/gtest.h>

#include <set>

#include "cli_registry/concurrency_util.h"
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

// 16 writers at once on one PostgreSQL database: all succeed, no id twice, the chain intact.
TEST(PostgresCliTest, SixteenConcurrentWritersAllKept) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  const std::string pg = " --db '" + schema.uri() + "'";
  ASSERT_EQ(Wb(dir, "person add --family-name First" + pg).rc, 0);
  std::vector<std::string> cmds;
  for (int i = 0; i < 12; ++i) {
    cmds.push_back("person add --family-name Writer" + std::to_string(i) + pg);
  }
  for (int i = 0; i < 4; ++i) cmds.push_back("incident add --place Village" + std::to_string(i) + pg);
  const auto results = WbConcurrently(dir, cmds);
  std::set<std::string> ids;
  for (const RunResult& r : results) {
    EXPECT_EQ(r.rc, 0) << r.err;
    ids.insert(r.out);
  }
  EXPECT_EQ(ids.size(), 16u);  // every output names its own id
  const RunResult chain = Wb(dir, "report chain" + pg);
  EXPECT_EQ(chain.rc, 0) << chain.err;
  EXPECT_TRUE(Has(chain.out, "17 events")) << chain.out;
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv" + pg).out)["missing"], 13);
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
