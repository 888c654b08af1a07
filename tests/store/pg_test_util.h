// The PostgreSQL test cluster, for the postgres instances of the store tests and the CLI test.
//
// ctest starts one throwaway cluster for the whole run (fixture `pg_cluster`,
// tests/store/pg_cluster.sh) and passes its URI in WHEREABOUTS_TEST_PG. When the build found no
// PostgreSQL server binaries the variable is not set and the postgres tests skip; when it is set,
// a cluster that cannot be reached fails them. Each test works in a fresh schema of its own
// (search_path set through the URI's `options`), dropped when it ends.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>

namespace whereabouts::testing {

inline constexpr const char* kNoPostgres =
    "WHEREABOUTS_TEST_PG is not set: no PostgreSQL server binaries were found when the build was "
    "configured (install the 'postgresql' package and re-run cmake), or the test runs outside "
    "ctest";

// The cluster's URI, or nullopt when the postgres tests should skip.
inline std::optional<std::string> PgTestUri() {
  const char* v = std::getenv("WHEREABOUTS_TEST_PG");
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

// A schema created for one test and dropped with everything in it when the object goes.
class PgSchema {
 public:
  explicit PgSchema(const std::string& base_uri) {
    static std::atomic<int> counter{0};
    name_ = "wb_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    base_ = base_uri;
    conn_ = PQconnectdb(base_uri.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      error_ = "cannot connect to the test cluster " + base_uri + ": " + PQerrorMessage(conn_);
      return;
    }
    if (!Exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE; CREATE SCHEMA " + name_)) return;
    ok_ = true;
  }
  ~PgSchema() {
    if (ok_) Exec("DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
    PQfinish(conn_);
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const std::string& name() const { return name_; }
  // The cluster's URI with search_path set to this schema.
  [[nodiscard]] std::string uri() const {
    return base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           name_;
  }
  // Runs constant SQL (no values) on the test's own connection; false and error() on failure.
  bool Exec(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    const bool good = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!good) error_ = PQresultErrorMessage(r);
    PQclear(r);
    return good;
  }
  // The first column of the first row of a constant query, as text; nullopt and error() when the
  // query fails or gives no row.
  std::optional<std::string> Value(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    std::optional<std::string> out;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      error_ = PQresultErrorMessage(r);
    } else if (PQntuples(r) == 0 || PQnfields(r) == 0) {
      error_ = "no row: " + sql;
    } else {
      out = std::string(PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    return out;
  }

 private:
  std::string base_;
  std::string name_;
  std::string error_;
  PGconn* conn_ = nullptr;
  bool ok_ = false;
};

}  // namespace whereabouts::testing
