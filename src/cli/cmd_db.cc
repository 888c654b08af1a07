// `whereabouts db migrate`: the explicit administrator's command that creates or migrates a
// register's schema. On PostgreSQL no other command changes the schema (they refuse a schema that
// is not this build's), so the role clerks use needs no right to create or alter tables
// (docs/registry.md, "A clerk's database role"). A SQLite file is migrated when opened, as before.
#include <fmt/format.h>

#include <memory>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"

namespace whereabouts::cli {

void RegisterDb(CLI::App& root, int& exit_code) {
  CLI::App* db = root.add_subcommand("db", "administration of the register's database");
  db->require_subcommand(1);
  auto path = std::make_shared<std::string>();
  CLI::App* migrate = db->add_subcommand(
      "migrate",
      "create the register's schema or apply the migrations it lacks (PostgreSQL: the only "
      "command that changes the schema; run it as the schema's owner)");
  AddDbOption(migrate, path.get());
  SetCallback(migrate, exit_code, [path]() -> Status {
    if (store::PostgresStore::IsUri(*path)) {
      WB_ASSIGN_OR_RETURN(
          auto store, store::PostgresStore::Open(*path, store::PostgresStore::Schema::kMigrate));
      fmt::print("{}: schema at version {} (this build's)\n", DbDisplayName(*path),
                 store->SchemaVersion());
      return {};
    }
    WB_ASSIGN_OR_RETURN(auto store, store::SqliteStore::Open(*path));
    fmt::print("{}: schema at version {} (this build's)\n", *path, store->SchemaVersion());
    return {};
  });
}

}  // namespace whereabouts::cli
