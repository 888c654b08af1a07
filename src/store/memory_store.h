// An in-memory RegistryStore: the fake used by tests, with the same contract as SqliteStore
// (atomic batches, person rules applied on append, as-of reads). Not durable.
#pragma once

#include <map>
#include <vector>

#include "registry/store_port.h"

namespace whereabouts::store {

class MemoryStore final : public registry::RegistryStore {
 public:
  [[nodiscard]] Result<std::vector<registry::Event>> Append(
      std::vector<registry::Event> events) override;
  [[nodiscard]] Result<std::vector<registry::Person>> Persons(const registry::AsOf& as_of) override;
  [[nodiscard]] Result<std::optional<registry::Person>> FindPerson(
      registry::PersonId id, const registry::AsOf& as_of) override;
  [[nodiscard]] Result<std::vector<registry::Event>> Events(
      const registry::EventQuery& query) override;
  [[nodiscard]] Result<int64_t> NextId(registry::EntityKind kind) override;

 private:
  std::vector<registry::Event> events_;
  std::map<std::pair<registry::EntityKind, int64_t>, bool> entities_;
  std::map<int64_t, registry::Person> current_;  // person projection (now)
};

}  // namespace whereabouts::store
