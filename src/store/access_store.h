// Opens the access port (app/access_store.h) on an open register: the SQLite or PostgreSQL access
// store on the same connection, whose RunWrite joins the register store's, so that a register
// write and its audit record commit together.
#pragma once

#include <memory>

#include "app/access_store.h"
#include "common/result.h"
#include "registry/store_port.h"

namespace whereabouts::store {

// REQUIRES: `store` outlives the returned object. Errors: kUnimplemented for a store that keeps no
// access tables (e.g. MemoryStore: tests make a MemoryAccessStore themselves).
[[nodiscard]] Result<std::unique_ptr<app::AccessStore>> OpenAccessStore(
    registry::RegistryStore& store);

}  // namespace whereabouts::store
