// The access port (app/access_store.h) on the register's PostgreSQL database: the tables of
// migration 4 (accounts, sessions, api_tokens, case_restrictions, audit), on the PostgresStore's
// own connection. RunWrite joins the PostgresStore's RunWrite, so that a register write and its
// audit record commit (or roll back) together. Thread-safety: as the PostgresStore (one thread at a
// time); it must outlive this object.
#pragma once

#include <optional>
#include <string>

#include "app/access_store.h"
#include "store/postgres_store.h"

namespace whereabouts::store {

class PostgresAccessStore final : public app::AccessStore {
 public:
  explicit PostgresAccessStore(PostgresStore& store) : store_(store), conn_(store.conn_) {}

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

 private:
  // The rows `where` selects; `value`, when given, is its parameter $1.
  [[nodiscard]] Result<std::vector<app::Account>> SelectAccounts(
      const std::string& where, const std::optional<std::string>& value);
  [[nodiscard]] Result<std::vector<app::ApiTokenRecord>> SelectTokens(
      const std::string& where, const std::optional<std::string>& value);

  PostgresStore& store_;
  pg_conn* conn_;
};

}  // namespace whereabouts::store
