// End-to-end tests of the real binary on both back-ends: a value-parametrized fixture whose
// parameter picks the register given to every command (`--db`): a SQLite file in the test's
// temporary folder, or a fresh PostgreSQL schema of the test cluster (WHEREABOUTS_TEST_PG, see
// store/pg_test_util.h), migrated with `whereabouts db migrate` as an administrator would. The
// PostgreSQL instance skips when no cluster is available. SQL behind the register's back (the
// tampering tests) goes through the back-end's own client library: sqlite3 or libpq.
//
// Use: `class MyTest : public BackendCliTest {};`, TEST_P(MyTest, ...), and
// WB_INSTANTIATE_ON_BOTH_BACKENDS(MyTest). Tests are named .../sqlite and .../postgres.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli_registry/cli_util.h"
#include "store/pg_test_util.h"

namespace whereabouts::testing {

enum class Backend { kSqlite, kPostgres };

inline void PrintTo(Backend b, std::ostream* os) {
  *os << (b == Backend::kSqlite ? "sqlite" : "postgres");
}

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgres";
}

#define WB_INSTANTIATE_ON_BOTH_BACKENDS(fixture)                                          \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture,                                             \
                           ::testing::Values(::whereabouts::testing::Backend::kSqlite,    \
                                             ::whereabouts::testing::Backend::kPostgres), \
                           ::whereabouts::testing::BackendName)

class BackendCliTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Derived fixtures that override SetUp call this first and return when
  // IsSkipped() || HasFatalFailure().
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      db_ = "--db '" + dir_.File("whereabouts.db") + "'";
      return;
    }
    const auto uri = PgTestUri();
    if (!uri) GTEST_SKIP() << kNoPostgres;
    pg_ = std::make_unique<PgSchema>(*uri);
    ASSERT_TRUE(pg_->ok()) << pg_->error();
    // The test's own connection sees the register's tables unqualified, as the program does.
    ASSERT_TRUE(pg_->Exec("SET search_path TO " + pg_->name())) << pg_->error();
    db_ = "--db '" + pg_->uri() + "'";
    const RunResult m = Wb("db migrate");
    ASSERT_EQ(m.rc, 0) << m.err;
  }

  [[nodiscard]] bool OnPostgres() const { return GetParam() == Backend::kPostgres; }

  // `whereabouts ARGS --db REGISTER` in the test's folder.
  RunResult Wb(const std::string& args) const {
    return ::whereabouts::testing::Wb(dir_, args + " " + db_);
  }

  // The same with WHEREABOUTS_DATA set to `data` (the folder of vocabularies.json).
  RunResult WbData(const std::string& data, const std::string& args) const {
    return WbEnv(dir_, "WHEREABOUTS_DATA='" + data + "'", args + " " + db_);
  }

  // The number of events in the register (0 when empty or not created yet), read with the
  // back-end's client library (cheaper than a run of the binary; the tests run it before and after
  // every refusal).
  long Events() const {
    const std::string sql = "SELECT COALESCE(MAX(seq), 0) FROM events";
    if (OnPostgres()) {
      const std::optional<std::string> v = pg_->Value(sql);
      EXPECT_TRUE(v.has_value()) << pg_->error();
      return v ? std::stol(*v) : -1;
    }
    if (!std::filesystem::exists(dir_.File("whereabouts.db"))) return 0;
    sqlite3* db = nullptr;
    long n = -1;
    if (sqlite3_open_v2(dir_.File("whereabouts.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW) {
        n = sqlite3_column_int64(st, 0);
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    EXPECT_GE(n, 0) << "cannot read the events of " << dir_.File("whereabouts.db");
    return n;
  }

  void Ok(const std::string& args) const {
    const RunResult r = Wb(args);
    ASSERT_EQ(r.rc, 0) << args << "\n" << r.out << r.err;
  }

  // Expects a refusal: exit 2, one line containing `what`, and no new event.
  void ExpectRefused(const std::string& args, const std::string& what) const {
    const long before = Events();
    const RunResult r = Wb(args);
    EXPECT_EQ(r.rc, 2) << args << "\n" << r.out << r.err;
    EXPECT_TRUE(OneErrorLine(r)) << args << "\n" << r.err;
    EXPECT_TRUE(Has(r.err, what)) << args << "\n" << r.err;
    EXPECT_EQ(Events(), before) << args;
  }

  // A second, fresh register on the same back-end (created on first use): its `--db` argument.
  // For comparisons of two registers (use ::whereabouts::testing::Wb(dir_, args + " " + it)).
  std::string OtherRegister() {
    if (!other_db_.empty()) return other_db_;
    if (!OnPostgres()) return other_db_ = "--db '" + dir_.File("other.db") + "'";
    other_pg_ = std::make_unique<PgSchema>(*PgTestUri());
    EXPECT_TRUE(other_pg_->ok()) << other_pg_->error();
    other_db_ = "--db '" + other_pg_->uri() + "'";
    const RunResult m = ::whereabouts::testing::Wb(dir_, "db migrate " + other_db_);
    EXPECT_EQ(m.rc, 0) << m.err;
    return other_db_;
  }

  // Runs SQL on the register behind the program's back: `sqlite_sql` on SQLite, `pg_sql` on
  // PostgreSQL (where the two dialects differ; trigger names differ too).
  void Tamper(const std::string& sqlite_sql, const std::string& pg_sql) {
    if (OnPostgres()) {
      ASSERT_TRUE(pg_->Exec(pg_sql)) << pg_->error() << "\n" << pg_sql;
      return;
    }
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("whereabouts.db").c_str(), &db), SQLITE_OK);
    char* msg = nullptr;
    const int rc = sqlite3_exec(db, sqlite_sql.c_str(), nullptr, nullptr, &msg);
    EXPECT_EQ(rc, SQLITE_OK) << (msg ? msg : "") << "\n" << sqlite_sql;
    sqlite3_free(msg);
    sqlite3_close(db);
  }
  // The same SQL on both.
  void Tamper(const std::string& sql) { Tamper(sql, sql); }

  TempDir dir_;
  std::unique_ptr<PgSchema> pg_;  // declared after dir_: dropped first
  std::string db_;                // `--db ...`
  std::unique_ptr<PgSchema> other_pg_;
  std::string other_db_;
};

}  // namespace whereabouts::testing
