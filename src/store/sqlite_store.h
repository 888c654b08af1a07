// The embedded default store: one SQLite file in WAL mode with foreign keys on and
// synchronous=FULL, so that a committed batch survives a crash (kill -9, power loss).
//
// Schema (see docs/registry.md, "Storage"): `events` is the append-only history (triggers refuse
// UPDATE and DELETE); `entities` lists every id per kind (events reference it by foreign key);
// `person_versions` is a projection of each person's state with the range of recording dates
// [valid_from, valid_to) during which it was current, so that "as of" reads need no replay. The
// projection is derived data: RebuildProjections() recomputes it from the events.
// Schema changes are numbered migrations recorded in `schema_migrations`.
#pragma once

#include <memory>
#include <string>

#include "registry/store_port.h"

struct sqlite3;

namespace whereabouts::store {

class SqliteStore final : public registry::RegistryStore {
 public:
  // Opens (creating if needed) the database at `path` and applies pending migrations.
  // Errors: kIo naming the file when it cannot be opened or is not a Whereabouts database;
  // kFailedPrecondition when the file's schema is newer than this build.
  [[nodiscard]] static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  [[nodiscard]] Result<std::vector<registry::Event>> Append(
      std::vector<registry::Event> events) override;
  [[nodiscard]] Status RunWrite(const std::function<Status()>& body) override;
  [[nodiscard]] Status RunRead(const std::function<Status()>& body) override;
  [[nodiscard]] Result<registry::ChainHead> Head(const registry::AsOf& as_of) override;
  [[nodiscard]] Result<int64_t> EntityVersion(registry::EntityKind kind, int64_t id) override;
  [[nodiscard]] Result<std::optional<registry::IdempotentWrite>> FindIdempotencyKey(
      const std::string& key) override;
  [[nodiscard]] Status RememberIdempotencyKey(const std::string& key,
                                              const registry::IdempotentWrite& w) override;
  [[nodiscard]] Result<std::vector<registry::Person>> Persons(const registry::AsOf& as_of) override;
  [[nodiscard]] Result<std::vector<registry::Person>> PersonsForFigures(
      const registry::AsOf& as_of) override;
  [[nodiscard]] Status VisitPersonsForFigures(
      const registry::AsOf& as_of,
      const std::function<void(const registry::Person&)>& visit) override;
  [[nodiscard]] Status VisitPersons(
      const registry::AsOf& as_of, int64_t after_id,
      const std::function<bool(const registry::Person&)>& visit) override;
  [[nodiscard]] Result<std::optional<registry::Person>> FindPerson(
      registry::PersonId id, const registry::AsOf& as_of) override;
  [[nodiscard]] Result<std::vector<registry::Event>> Events(
      const registry::EventQuery& query) override;
  [[nodiscard]] Result<int64_t> NextId(registry::EntityKind kind) override;
  [[nodiscard]] Status VisitProjectionRows(
      const std::function<bool(const registry::ProjectionRow&)>& visit) override;

  // The schema version of the open database.
  [[nodiscard]] int SchemaVersion() const { return schema_version_; }
  // Recomputes person_versions from the events (one transaction).
  [[nodiscard]] Status RebuildProjections();
  // PRAGMA integrity_check and foreign_key_check; kInternal describing the first problem.
  [[nodiscard]] Status CheckIntegrity();

  // The latest schema version this build knows.
  static int LatestSchemaVersion();

 private:
  // The access store shares this connection and joins RunWrite (store/sqlite_access_store.h).
  friend class SqliteAccessStore;
  // Computes and stores the chain hash of every event (migration 5 on a register with events).
  [[nodiscard]] Status FillChain();
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  [[nodiscard]] Status Migrate();
  [[nodiscard]] Status Exec(const char* sql);

  sqlite3* db_;
  std::string path_;
  int schema_version_ = 0;
  bool in_write_ = false;  // inside RunWrite: Append joins its transaction
  bool in_read_ = false;   // inside RunRead
};

}  // namespace whereabouts::store
