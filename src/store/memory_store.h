// An in-memory RegistryStore: the fake used by tests, with the same contract as SqliteStore
// (atomic batches, person rules applied on append, as-of reads). Not durable.
#pragma once

#include <map>
#include <string>
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
  // All or nothing: the state before `body` is restored when it fails.
  [[nodiscard]] Status RunWrite(const std::function<Status()>& body) override;
  [[nodiscard]] Result<registry::ChainHead> Head(const registry::AsOf& as_of) override;
  [[nodiscard]] Result<int64_t> EntityVersion(registry::EntityKind kind, int64_t id) override;
  [[nodiscard]] Result<std::optional<registry::IdempotentWrite>> FindIdempotencyKey(
      const std::string& key) override;
  [[nodiscard]] Status RememberIdempotencyKey(const std::string& key,
                                              const registry::IdempotentWrite& w) override;

 private:
  std::vector<registry::Event> events_;
  std::map<std::pair<registry::EntityKind, int64_t>, bool> entities_;
  std::map<int64_t, registry::Person> current_;  // person projection (now)
  std::map<std::string, registry::IdempotentWrite> keys_;
};

}  // namespace whereabouts::store
