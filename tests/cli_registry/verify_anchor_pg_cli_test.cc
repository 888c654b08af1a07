// `verify --head` on PostgreSQL, through the real binary: an anchor at or before the head holds,
// an anchor beyond the head (events cut from the end) and an anchor whose hash is not the
// register's are named (exit 1). The cut itself is made on SQLite (verify_anchor_cli_test.cc):
// the check reads the events through the store port alike on both.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "cli_registry/cli_util.h"
#include "store/pg_test_util.h"

namespace whereabouts::testing {
namespace {

TEST(VerifyAnchorPgCliTest, AnchorsAreCheckedOnPostgres) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  const std::string db = " --db '" + schema.uri() + "'";
  ASSERT_EQ(Wb(dir, "db migrate" + db).rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Velani" + db).rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Morsa" + db).rc, 0);
  RunResult r = Wb(dir, "verify" + db);
  ASSERT_EQ(r.rc, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex("head event #2, hash ([0-9a-f]{64})")))
      << r.out;
  const std::string head = m[1].str();
  ASSERT_EQ(Wb(dir, "person add --family-name Tulan" + db).rc, 0);
  r = Wb(dir, "verify --head 2:" + head + db);
  EXPECT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "event #2 of the chain (the anchor's chain had 2 events; 1 recorded "
                  "after it)"))
      << r.out;
  r = Wb(dir, "verify --head " + head + db);
  EXPECT_EQ(r.rc, 0) << r.err;
  // An anchor of a longer chain (events cut since) and a hash the register does not have.
  r = Wb(dir, "verify --head 9:" + head + db);
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(Has(r.err, "the register's chain ends at event #3")) << r.err;
  EXPECT_TRUE(Has(r.err, "6 events are missing from the end")) << r.err;
  r = Wb(dir, "verify --head " + std::string(64, 'a') + db);
  EXPECT_EQ(r.rc, 1) << r.out;
  EXPECT_TRUE(Has(r.err, "no event of the register has the anchor's chain hash")) << r.err;
}

}  // namespace
}  // namespace whereabouts::testing
