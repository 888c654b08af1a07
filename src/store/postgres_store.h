// The multi-user store: a PostgreSQL database reached through libpq, with the same schema and
// semantics as SqliteStore (docs/registry.md, "Running on PostgreSQL").
//
// `events` is the append-only history (a trigger refuses UPDATE, DELETE and TRUNCATE); `entities`
// lists every id per kind; `person_versions` and `person_facts` are the person projections with
// the recording dates [valid_from, valid_to) during which each state was current. Schema changes
// are numbered migrations recorded in `schema_migrations`, applied in one transaction.
//
// Concurrency: every Append takes a transaction-scoped advisory lock
// (pg_advisory_xact_lock(kAppendLockKey)) before it reads the next ids and seqs, so writers on
// any number of connections and hosts are serialised: no two batches get the same ids or seqs, and
// seq order is commit order. Readers never wait: each read is one statement on one snapshot.
// Every query is parameterised (PQexecParams / PQexecPrepared); no value is pasted into SQL.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "registry/store_port.h"

struct pg_conn;

namespace whereabouts::store {

class PostgresStore final : public registry::RegistryStore {
 public:
  // The key of the advisory lock that serialises writers (the bytes "WHEREABT").
  static constexpr int64_t kAppendLockKey = 0x5748455245414254;

  // True when `db` names a PostgreSQL database: it starts with "postgresql://" or "postgres://".
  [[nodiscard]] static bool IsUri(std::string_view db);

  // "postgresql://USER@HOST:PORT/DBNAME" (only the parts `uri` gives), never the password; for
  // messages and logs. A string libpq cannot parse is shown as "postgresql://(unparsable URI)".
  [[nodiscard]] static std::string DisplayName(const std::string& uri);

  // Connects to `uri` (a libpq connection URI or keyword=value string) and, with
  // Schema::kMigrate, applies pending migrations; with kRequireCurrent it refuses
  // (kFailedPrecondition, naming `whereabouts db migrate`) a schema older than this build's.
  // Errors: kIo "cannot connect to PostgreSQL at <DisplayName>: <libpq's message>" (no password);
  // kIo with the server's message when a migration fails; kFailedPrecondition when the database's
  // schema is newer than this build. Thread-safety: the returned store is used by one thread at a
  // time (one connection); open one store per thread or process.
  //
  // Schema: what Open does with the database's schema.
  enum class Schema {
    kMigrate,         // create it or run the migrations it lacks (`whereabouts db migrate`, tests)
    kRequireCurrent,  // refuse a database whose schema is not this build's (every other command):
                      // a clerk's role needs no right to change the schema
  };
  [[nodiscard]] static Result<std::unique_ptr<PostgresStore>> Open(
      const std::string& uri, Schema schema = Schema::kMigrate);
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // As the port says. Errors also: kIo with the server's message when the database fails.
  [[nodiscard]] Result<std::vector<registry::Event>> Append(
      std::vector<registry::Event> events) override;
  [[nodiscard]] Result<std::vector<registry::Person>> Persons(const registry::AsOf& as_of) override;
  [[nodiscard]] Result<std::vector<registry::Person>> PersonsForFigures(
      const registry::AsOf& as_of) override;
  [[nodiscard]] Status VisitPersonsForFigures(
      const registry::AsOf& as_of,
      const std::function<void(const registry::Person&)>& visit) override;
  [[nodiscard]] Result<std::optional<registry::Person>> FindPerson(
      registry::PersonId id, const registry::AsOf& as_of) override;
  [[nodiscard]] Result<std::vector<registry::Event>> Events(
      const registry::EventQuery& query) override;
  [[nodiscard]] Result<int64_t> NextId(registry::EntityKind kind) override;
  [[nodiscard]] Status VisitProjectionRows(
      const std::function<bool(const registry::ProjectionRow&)>& visit) override;
  [[nodiscard]] Status RunWrite(const std::function<Status()>& body) override;
  [[nodiscard]] Status RunRead(const std::function<Status()>& body) override;
  [[nodiscard]] Result<registry::ChainHead> Head(const registry::AsOf& as_of) override;
  [[nodiscard]] Result<int64_t> EntityVersion(registry::EntityKind kind, int64_t id) override;
  [[nodiscard]] Result<std::optional<registry::IdempotentWrite>> FindIdempotencyKey(
      const std::string& key) override;
  [[nodiscard]] Status RememberIdempotencyKey(const std::string& key,
                                              const registry::IdempotentWrite& w) override;

  // The schema version of the connected database.
  [[nodiscard]] int SchemaVersion() const { return schema_version_; }
  // The latest schema version this build knows.
  static int LatestSchemaVersion();

 private:
  // The access store shares this connection and joins RunWrite (store/postgres_access_store.h).
  friend class PostgresAccessStore;
  PostgresStore(pg_conn* conn, std::string name) : conn_(conn), name_(std::move(name)) {}
  [[nodiscard]] Status Migrate();
  // Reads the schema version; kFailedPrecondition unless it is this build's.
  [[nodiscard]] Status RequireCurrentSchema();
  [[nodiscard]] Status Prepare();
  // Computes and stores the chain hash of every event (migration 3 on a database with events).
  [[nodiscard]] Status FillChain();

  pg_conn* conn_;
  std::string name_;  // DisplayName of the URI
  int schema_version_ = 0;
  bool in_write_ = false;  // inside RunWrite: Append joins its transaction
  bool in_read_ = false;   // inside RunRead
};

}  // namespace whereabouts::store
