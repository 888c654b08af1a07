// The server on PostgreSQL survives the loss of its database connections (a database restart, an
// administrator terminating sessions): a connection whose database failed is replaced, so the
// server answers again without a restart. Runs alone (it terminates every other connection of the
// test cluster's database); skipped without the cluster.
#include <gtest/gtest.h>

#include <fstream>

#include "server_api/server_process.h"
#include "store/pg_test_util.h"

namespace whereabouts::testing {
namespace {

TEST(ServerReconnect, ConnectionsLostToTheDatabaseAreReplaced) {
  const auto uri = PgTestUri();
  if (!uri) GTEST_SKIP() << kNoPostgres;
  PgSchema schema(*uri);
  ASSERT_TRUE(schema.ok()) << schema.error();
  TempDir dir;
  const std::string db = "'" + schema.uri() + "'";
  // The schema is created by the administrator's command only (no other command migrates).
  ASSERT_EQ(Wb(dir, "db migrate --db " + db).rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Reconnect --given-name One --db " + db).rc, 0);
  {
    std::ofstream pw(dir.File("pw"));
    pw << "a password long enough\n";
  }
  ASSERT_EQ(Wb(dir, "user add officer --role case_officer --db " + db + " < pw").rc, 0);
  ServerProcess server(dir, schema.uri(), "--threads 2");
  ApiClient c(server.port());
  ASSERT_EQ(c.Login("officer", "a password long enough"), 201);
  ASSERT_EQ(c.Get("/api/v1/persons/1").status, 200);

  // Every other connection to the database goes (the server's two among them).
  ASSERT_TRUE(schema.Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
      "AND datname = current_database()"))
      << schema.error();

  // A request on a lost connection fails (5xx, as problem+json); the connection is replaced, and
  // the server answers again.
  int failures = 0;
  int status = 0;
  for (int i = 0; i < 8; ++i) {
    status = c.Get("/api/v1/persons/1").status;
    if (status == 200) break;
    EXPECT_GE(status, 500);
    ++failures;
  }
  EXPECT_EQ(status, 200);
  EXPECT_LE(failures, 2);  // at most one per pooled connection
  for (int i = 0; i < 4; ++i) EXPECT_EQ(c.Get("/api/v1/persons/1").status, 200);
  SchemaViolations().clear();
}

}  // namespace
}  // namespace whereabouts::testing
