// An in-memory AccessStore: the fake of the access use cases' tests, with the same contract as
// the SQLite and PostgreSQL access stores (all or nothing per RunWrite, an append-only trail,
// unique names). Not durable. Thread-safety: one thread at a time.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/access_store.h"
#include "registry/store_port.h"

namespace whereabouts::store {

class MemoryAccessStore final : public app::AccessStore {
 public:
  // `joined`, when given, is the register store whose RunWrite each RunWrite joins (so that the
  // register's writes and the access store's roll back together).
  explicit MemoryAccessStore(registry::RegistryStore* joined = nullptr) : joined_(joined) {}

  [[nodiscard]] Status RunWrite(const std::function<Status()>& body) override;
  [[nodiscard]] Result<int64_t> InsertAccount(const app::Account& a) override;
  [[nodiscard]] Result<std::optional<app::Account>> FindAccount(std::string_view name) override;
  [[nodiscard]] Result<std::optional<app::Account>> FindAccountById(int64_t id) override;
  [[nodiscard]] Result<std::vector<app::Account>> Accounts() override;
  [[nodiscard]] Status UpdateAccount(const app::Account& a) override;
  [[nodiscard]] Status PutSession(const app::SessionRecord& s) override;
  [[nodiscard]] Result<std::optional<app::SessionRecord>> FindSession(
      std::string_view id_hash) override;
  [[nodiscard]] Status TouchSession(std::string_view id_hash, int64_t at) override;
  [[nodiscard]] Status DeleteSession(std::string_view id_hash) override;
  [[nodiscard]] Status DeleteSessionsOf(int64_t account) override;
  [[nodiscard]] Result<int64_t> InsertToken(const app::ApiTokenRecord& t) override;
  [[nodiscard]] Result<std::optional<app::ApiTokenRecord>> FindToken(
      std::string_view token_hash) override;
  [[nodiscard]] Result<std::vector<app::ApiTokenRecord>> Tokens() override;
  [[nodiscard]] Status RevokeToken(int64_t id) override;
  [[nodiscard]] Status SetRestriction(int64_t person,
                                      const std::vector<std::string>& staff) override;
  [[nodiscard]] Result<std::optional<std::vector<std::string>>> Restriction(
      int64_t person) override;
  [[nodiscard]] Result<std::vector<int64_t>> RestrictedPersons() override;
  [[nodiscard]] Status AppendAudit(const app::AuditRecord& r) override;
  [[nodiscard]] Result<std::optional<app::AuditRecord>> LastAudit() override;
  [[nodiscard]] Result<std::vector<app::AuditRecord>> AuditRecords(int64_t from_seq,
                                                                   size_t limit) override;

  // For tests of VerifyAudit: the trail as stored, which a test may tamper with.
  [[nodiscard]] std::vector<app::AuditRecord>& MutableAuditForTest() { return state_.audit; }
  // For tests: every session as stored.
  [[nodiscard]] const std::map<std::string, app::SessionRecord, std::less<>>& Sessions() const {
    return state_.sessions;
  }

 private:
  struct State {
    std::vector<app::Account> accounts;  // id order; id = index + 1
    std::map<std::string, app::SessionRecord, std::less<>> sessions;
    std::vector<app::ApiTokenRecord> tokens;  // id order; id = index + 1
    std::map<int64_t, std::vector<std::string>> restrictions;
    std::vector<app::AuditRecord> audit;  // storage order
  };
  registry::RegistryStore* joined_;
  State state_;
};

}  // namespace whereabouts::store
