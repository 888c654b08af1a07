#include "store/access_store.h"

#include "store/postgres_access_store.h"
#include "store/sqlite_access_store.h"

namespace whereabouts::store {

Result<std::unique_ptr<app::AccessStore>> OpenAccessStore(registry::RegistryStore& store) {
  if (auto* sqlite = dynamic_cast<SqliteStore*>(&store); sqlite != nullptr) {
    return std::unique_ptr<app::AccessStore>(std::make_unique<SqliteAccessStore>(*sqlite));
  }
  if (auto* pg = dynamic_cast<PostgresStore*>(&store); pg != nullptr) {
    return std::unique_ptr<app::AccessStore>(std::make_unique<PostgresAccessStore>(*pg));
  }
  return MakeError(ErrorCode::kUnimplemented,
                   "this register store keeps no accounts or audit trail");
}

}  // namespace whereabouts::store
