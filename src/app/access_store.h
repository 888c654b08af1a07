// The access port: accounts, sessions, API tokens, restricted cases and the audit trail, kept in
// the register's own database (SQLite file or PostgreSQL database), so that one backup holds
// everything and an audit record can commit in the same transaction as the write it records.
// Implemented by store::SqliteAccessStore and store::PostgresAccessStore (store/access_store.h
// opens the right one on a RegistryStore) and by MemoryAccessStore (tests).
// Secrets are never stored: passwords as Argon2id hashes, session ids and API tokens as SHA-256.
// Thread-safety: as the RegistryStore it shares a connection with (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/roles.h"
#include "common/result.h"

namespace whereabouts::app {

struct Account {
  int64_t id = 0;    // given by the store
  std::string name;  // [a-z0-9._-], 1..64, unique
  Role role = Role::kStatistics;
  bool disabled = false;
  std::string password_hash;  // libsodium crypto_pwhash_str (Argon2id) encoded string
  int64_t created_at = 0;     // unix seconds (UTC)
  int failed_logins = 0;      // consecutive failures since the last success
  int64_t locked_until = 0;   // unix seconds; 0: not locked
};

struct SessionRecord {
  std::string id_hash;  // hex SHA-256 of the session id the cookie carries
  int64_t account = 0;
  int64_t created_at = 0;    // unix seconds
  int64_t last_seen_at = 0;  // unix seconds
  std::string csrf_token;    // sent back by the browser in X-CSRF-Token on unsafe methods
  std::string address;       // the client address at login
};

struct ApiTokenRecord {
  int64_t id = 0;  // given by the store
  int64_t account = 0;
  std::string name;        // what the token is for ("lab-upload")
  std::string token_hash;  // hex SHA-256 of the secret
  std::vector<Permission> scopes;
  int64_t created_at = 0;
  bool revoked = false;
};

// One record of the audit trail. The hash chains it to the record before it and, through
// (event_seq, event_hash), to the register's event chain as it stood when it was written.
struct AuditRecord {
  int64_t seq = 0;         // 1, 2, ... in the order written
  int64_t at = 0;          // unix seconds (UTC)
  std::string actor;       // account name ("" when unknown, e.g. a failed login of an unknown name)
  std::string action;      // "login", "login.failed", "person.update", "matches.read", ...
  std::string records;     // which records: "person 12", "proposal 4", "person 12,person 13", ...
  std::string address;     // the client address ("cli" for the command line)
  std::string outcome;     // "ok", or the error's status and message ("409 ...")
  int64_t event_seq = 0;   // the register's event-chain head when written (0: no event yet)
  std::string event_hash;  // its chain hash ("" when event_seq is 0)
  std::string prev_hash;   // the hash of record seq - 1 ("" for the first)
  std::string hash;        // AuditHash(*this) (app/audit.h)
};

class AccessStore {
 public:
  virtual ~AccessStore() = default;

  // Runs `body` in one write transaction of the register's database, joining one already open
  // (so that a register write and its audit record commit together). Errors: body's, kIo.
  [[nodiscard]] virtual Status RunWrite(const std::function<Status()>& body) = 0;

  // Accounts. InsertAccount returns the new id; kAlreadyExists when the name is taken.
  [[nodiscard]] virtual Result<int64_t> InsertAccount(const Account& a) = 0;
  [[nodiscard]] virtual Result<std::optional<Account>> FindAccount(std::string_view name) = 0;
  [[nodiscard]] virtual Result<std::optional<Account>> FindAccountById(int64_t id) = 0;
  [[nodiscard]] virtual Result<std::vector<Account>> Accounts() = 0;  // id order
  // Updates every field but id, name and created_at. kNotFound when there is no such account.
  [[nodiscard]] virtual Status UpdateAccount(const Account& a) = 0;

  // Sessions, by the hash of their id.
  [[nodiscard]] virtual Status PutSession(const SessionRecord& s) = 0;
  [[nodiscard]] virtual Result<std::optional<SessionRecord>> FindSession(
      std::string_view id_hash) = 0;
  [[nodiscard]] virtual Status TouchSession(std::string_view id_hash, int64_t at) = 0;
  [[nodiscard]] virtual Status DeleteSession(std::string_view id_hash) = 0;
  [[nodiscard]] virtual Status DeleteSessionsOf(int64_t account) = 0;

  // API tokens. InsertToken returns the new id.
  [[nodiscard]] virtual Result<int64_t> InsertToken(const ApiTokenRecord& t) = 0;
  [[nodiscard]] virtual Result<std::optional<ApiTokenRecord>> FindToken(
      std::string_view token_hash) = 0;
  [[nodiscard]] virtual Result<std::vector<ApiTokenRecord>> Tokens() = 0;  // id order
  [[nodiscard]] virtual Status RevokeToken(int64_t id) = 0;                // kNotFound when none

  // Restricted cases: the persons whose case only the named accounts (and administrators) see.
  // An empty list lifts the restriction.
  [[nodiscard]] virtual Status SetRestriction(int64_t person,
                                              const std::vector<std::string>& staff) = 0;
  // nullopt: the case is not restricted.
  [[nodiscard]] virtual Result<std::optional<std::vector<std::string>>> Restriction(
      int64_t person) = 0;
  // Every restricted person, ascending.
  [[nodiscard]] virtual Result<std::vector<int64_t>> RestrictedPersons() = 0;

  // The audit trail: append-only (the database refuses UPDATE and DELETE of its rows).
  [[nodiscard]] virtual Status AppendAudit(const AuditRecord& r) = 0;
  // The record written last (highest storage position), nullopt when the trail is empty.
  [[nodiscard]] virtual Result<std::optional<AuditRecord>> LastAudit() = 0;
  // Up to `limit` records in storage order (the order they were written), starting at the first
  // whose seq >= from_seq; limit 0: all.
  [[nodiscard]] virtual Result<std::vector<AuditRecord>> AuditRecords(int64_t from_seq,
                                                                      size_t limit) = 0;
};

// Where access-control times come from (unix seconds, UTC).
class AccessClock {
 public:
  virtual ~AccessClock() = default;
  [[nodiscard]] virtual int64_t NowSeconds() = 0;
};

}  // namespace whereabouts::app
