#include "store/sqlite_access_store.h"

#include "store/access_scopes.h"
#include "store/sqlite_util.h"

namespace whereabouts::store {

using sqlite_util::DbError;
using sqlite_util::Stmt;

namespace {

constexpr const char* kAccountColumns =
    "id, name, role, disabled, password_hash, created_at, failed_logins, locked_until";
constexpr const char* kTokenColumns = "id, account, name, token_hash, scopes, created_at, revoked";
constexpr const char* kSessionColumns =
    "id_hash, account, created_at, last_seen_at, csrf_token, address";
constexpr const char* kAuditColumns =
    "seq, at, actor, action, records, address, outcome, event_seq, event_hash, prev_hash, hash";

Result<app::Account> ReadAccount(const Stmt& st) {
  app::Account a;
  a.id = st.Int(0);
  a.name = st.Text(1);
  WB_ASSIGN_OR_RETURN(a.role, app::ParseRole(st.Text(2)));
  a.disabled = st.Int(3) != 0;
  a.password_hash = st.Text(4);
  a.created_at = st.Int(5);
  a.failed_logins = static_cast<int>(st.Int(6));
  a.locked_until = st.Int(7);
  return a;
}

app::AuditRecord ReadAudit(const Stmt& st) {
  app::AuditRecord r;
  r.seq = st.Int(0);
  r.at = st.Int(1);
  r.actor = st.Text(2);
  r.action = st.Text(3);
  r.records = st.Text(4);
  r.address = st.Text(5);
  r.outcome = st.Text(6);
  r.event_seq = st.Int(7);
  r.event_hash = st.Text(8);
  r.prev_hash = st.Text(9);
  r.hash = st.Text(10);
  return r;
}

// Runs a statement that returns no rows. Errors: DbError naming `what`.
Status Done(sqlite3* db, Stmt& st, const std::string& what) {
  WB_RETURN_IF_ERROR(st.Ok());
  if (st.Step() != SQLITE_DONE) return tl::unexpected(DbError(db, what));
  return {};
}

}  // namespace

Status SqliteAccessStore::RunWrite(const std::function<Status()>& body) {
  return store_.RunWrite(body);
}

Result<int64_t> SqliteAccessStore::InsertAccount(const app::Account& a) {
  Stmt st(db_,
          "INSERT INTO accounts(name, role, disabled, password_hash, created_at, failed_logins, "
          "locked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, a.name);
  st.Bind(2, app::Name(a.role));
  st.Bind(3, int64_t{a.disabled ? 1 : 0});
  st.Bind(4, a.password_hash);
  st.Bind(5, a.created_at);
  st.Bind(6, int64_t{a.failed_logins});
  st.Bind(7, a.locked_until);
  if (st.Step() != SQLITE_DONE) {
    Error e = DbError(db_, "account " + a.name);
    if (e.code == ErrorCode::kAlreadyExists) {
      e.message = "the account '" + a.name + "' exists";
      e.field = "name";
    }
    return tl::unexpected(e);
  }
  return sqlite3_last_insert_rowid(db_);
}

Result<std::vector<app::Account>> SqliteAccessStore::SelectAccounts(const std::string& where,
                                                                    const std::string* text,
                                                                    int64_t id) {
  Stmt st(db_, std::string("SELECT ") + kAccountColumns + " FROM accounts " + where);
  WB_RETURN_IF_ERROR(st.Ok());
  if (text != nullptr) {
    st.Bind(1, *text);
  } else if (id != 0) {
    st.Bind(1, id);
  }
  std::vector<app::Account> out;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) {
    WB_ASSIGN_OR_RETURN(app::Account a, ReadAccount(st));
    out.push_back(std::move(a));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading accounts"));
  return out;
}

Result<std::optional<app::Account>> SqliteAccessStore::FindAccount(std::string_view name) {
  const std::string n(name);
  WB_ASSIGN_OR_RETURN(auto rows, SelectAccounts("WHERE name = ?1", &n, 0));
  if (rows.empty()) return std::optional<app::Account>{};
  return std::optional<app::Account>(std::move(rows.front()));
}

Result<std::optional<app::Account>> SqliteAccessStore::FindAccountById(int64_t id) {
  if (id == 0) return std::optional<app::Account>{};
  WB_ASSIGN_OR_RETURN(auto rows, SelectAccounts("WHERE id = ?1", nullptr, id));
  if (rows.empty()) return std::optional<app::Account>{};
  return std::optional<app::Account>(std::move(rows.front()));
}

Result<std::vector<app::Account>> SqliteAccessStore::Accounts() {
  return SelectAccounts("ORDER BY id", nullptr, 0);
}

Status SqliteAccessStore::UpdateAccount(const app::Account& a) {
  Stmt st(db_,
          "UPDATE accounts SET role = ?2, disabled = ?3, password_hash = ?4, failed_logins = ?5, "
          "locked_until = ?6 WHERE id = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, a.id);
  st.Bind(2, app::Name(a.role));
  st.Bind(3, int64_t{a.disabled ? 1 : 0});
  st.Bind(4, a.password_hash);
  st.Bind(5, int64_t{a.failed_logins});
  st.Bind(6, a.locked_until);
  WB_RETURN_IF_ERROR(Done(db_, st, "account " + a.name));
  if (sqlite3_changes(db_) == 0) {
    return MakeError(ErrorCode::kNotFound, "no account " + std::to_string(a.id));
  }
  return {};
}

Status SqliteAccessStore::PutSession(const app::SessionRecord& s) {
  Stmt st(db_, std::string("INSERT OR REPLACE INTO sessions(") + kSessionColumns +
                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, s.id_hash);
  st.Bind(2, s.account);
  st.Bind(3, s.created_at);
  st.Bind(4, s.last_seen_at);
  st.Bind(5, s.csrf_token);
  st.Bind(6, s.address);
  return Done(db_, st, "session");
}

Result<std::optional<app::SessionRecord>> SqliteAccessStore::FindSession(std::string_view id_hash) {
  Stmt st(db_, std::string("SELECT ") + kSessionColumns + " FROM sessions WHERE id_hash = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, id_hash);
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<app::SessionRecord>{};
  if (rc != SQLITE_ROW) return tl::unexpected(DbError(db_, "reading a session"));
  app::SessionRecord s;
  s.id_hash = st.Text(0);
  s.account = st.Int(1);
  s.created_at = st.Int(2);
  s.last_seen_at = st.Int(3);
  s.csrf_token = st.Text(4);
  s.address = st.Text(5);
  return std::optional<app::SessionRecord>(std::move(s));
}

Status SqliteAccessStore::TouchSession(std::string_view id_hash, int64_t at) {
  Stmt st(db_, "UPDATE sessions SET last_seen_at = ?2 WHERE id_hash = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, id_hash);
  st.Bind(2, at);
  return Done(db_, st, "session");
}

Status SqliteAccessStore::DeleteSession(std::string_view id_hash) {
  Stmt st(db_, "DELETE FROM sessions WHERE id_hash = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, id_hash);
  return Done(db_, st, "session");
}

Status SqliteAccessStore::DeleteSessionsOf(int64_t account) {
  Stmt st(db_, "DELETE FROM sessions WHERE account = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, account);
  return Done(db_, st, "sessions of account " + std::to_string(account));
}

Result<int64_t> SqliteAccessStore::InsertToken(const app::ApiTokenRecord& t) {
  Stmt st(db_,
          "INSERT INTO api_tokens(account, name, token_hash, scopes, created_at, revoked) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, t.account);
  st.Bind(2, t.name);
  st.Bind(3, t.token_hash);
  st.Bind(4, ScopesToText(t.scopes));
  st.Bind(5, t.created_at);
  st.Bind(6, int64_t{t.revoked ? 1 : 0});
  WB_RETURN_IF_ERROR(Done(db_, st, "API token " + t.name));
  return sqlite3_last_insert_rowid(db_);
}

Result<std::vector<app::ApiTokenRecord>> SqliteAccessStore::SelectTokens(const std::string& where,
                                                                         const std::string* hash) {
  Stmt st(db_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens " + where);
  WB_RETURN_IF_ERROR(st.Ok());
  if (hash != nullptr) st.Bind(1, *hash);
  std::vector<app::ApiTokenRecord> out;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) {
    app::ApiTokenRecord t;
    t.id = st.Int(0);
    t.account = st.Int(1);
    t.name = st.Text(2);
    t.token_hash = st.Text(3);
    WB_ASSIGN_OR_RETURN(t.scopes, ScopesFromText(st.Text(4)));
    t.created_at = st.Int(5);
    t.revoked = st.Int(6) != 0;
    out.push_back(std::move(t));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading API tokens"));
  return out;
}

Result<std::optional<app::ApiTokenRecord>> SqliteAccessStore::FindToken(
    std::string_view token_hash) {
  const std::string h(token_hash);
  WB_ASSIGN_OR_RETURN(auto rows, SelectTokens("WHERE token_hash = ?1", &h));
  if (rows.empty()) return std::optional<app::ApiTokenRecord>{};
  return std::optional<app::ApiTokenRecord>(std::move(rows.front()));
}

Result<std::vector<app::ApiTokenRecord>> SqliteAccessStore::Tokens() {
  return SelectTokens("ORDER BY id", nullptr);
}

Status SqliteAccessStore::RevokeToken(int64_t id) {
  Stmt st(db_, "UPDATE api_tokens SET revoked = 1 WHERE id = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, id);
  WB_RETURN_IF_ERROR(Done(db_, st, "API token " + std::to_string(id)));
  if (sqlite3_changes(db_) == 0) {
    return MakeError(ErrorCode::kNotFound, "no API token " + std::to_string(id), "id");
  }
  return {};
}

Status SqliteAccessStore::SetRestriction(int64_t person, const std::vector<std::string>& staff) {
  return store_.RunWrite([&]() -> Status {
    Stmt del(db_, "DELETE FROM case_restrictions WHERE person = ?1");
    del.Bind(1, person);
    WB_RETURN_IF_ERROR(Done(db_, del, "restriction of person " + std::to_string(person)));
    Stmt ins(db_,
             "INSERT OR IGNORE INTO case_restrictions(person, account) "
             "SELECT ?1, id FROM accounts WHERE name = ?2");
    WB_RETURN_IF_ERROR(ins.Ok());
    for (const std::string& name : staff) {
      ins.Bind(1, person);
      ins.Bind(2, name);
      if (ins.Step() != SQLITE_DONE) {
        Error e = DbError(db_, "restriction of person " + std::to_string(person));
        if (e.code == ErrorCode::kNotFound) e.message = "no person " + std::to_string(person);
        return tl::unexpected(e);
      }
      ins.Reset();
      Stmt check(db_, "SELECT 1 FROM accounts WHERE name = ?1");
      check.Bind(1, name);
      if (check.Step() != SQLITE_ROW) {
        return MakeError(ErrorCode::kNotFound, "no account '" + name + "'", "staff");
      }
    }
    return {};
  });
}

Result<std::optional<std::vector<std::string>>> SqliteAccessStore::Restriction(int64_t person) {
  Stmt st(db_,
          "SELECT a.name FROM case_restrictions r JOIN accounts a ON a.id = r.account "
          "WHERE r.person = ?1 ORDER BY a.name");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, person);
  std::vector<std::string> names;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) names.push_back(st.Text(0));
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading a restriction"));
  if (names.empty()) return std::optional<std::vector<std::string>>{};
  return std::optional<std::vector<std::string>>(std::move(names));
}

Result<std::vector<int64_t>> SqliteAccessStore::RestrictedPersons() {
  Stmt st(db_, "SELECT DISTINCT person FROM case_restrictions ORDER BY person");
  WB_RETURN_IF_ERROR(st.Ok());
  std::vector<int64_t> out;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back(st.Int(0));
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading restrictions"));
  return out;
}

Status SqliteAccessStore::AppendAudit(const app::AuditRecord& r) {
  Stmt st(db_, std::string("INSERT INTO audit(") + kAuditColumns +
                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, r.seq);
  st.Bind(2, r.at);
  st.Bind(3, r.actor);
  st.Bind(4, r.action);
  st.Bind(5, r.records);
  st.Bind(6, r.address);
  st.Bind(7, r.outcome);
  st.Bind(8, r.event_seq);
  st.Bind(9, r.event_hash);
  st.Bind(10, r.prev_hash);
  st.Bind(11, r.hash);
  return Done(db_, st, "audit record " + std::to_string(r.seq));
}

Result<std::optional<app::AuditRecord>> SqliteAccessStore::LastAudit() {
  Stmt st(db_,
          std::string("SELECT ") + kAuditColumns + " FROM audit ORDER BY position DESC LIMIT 1");
  WB_RETURN_IF_ERROR(st.Ok());
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<app::AuditRecord>{};
  if (rc != SQLITE_ROW) return tl::unexpected(DbError(db_, "reading the audit trail"));
  return std::optional<app::AuditRecord>(ReadAudit(st));
}

Result<std::vector<app::AuditRecord>> SqliteAccessStore::AuditRecords(int64_t from_seq,
                                                                      size_t limit) {
  Stmt st(db_, std::string("SELECT ") + kAuditColumns +
                   " FROM audit WHERE position >= (SELECT MIN(position) FROM audit WHERE seq >= "
                   "?1) ORDER BY position LIMIT ?2");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, from_seq);
  st.Bind(2, limit == 0 ? int64_t{-1} : static_cast<int64_t>(limit));
  std::vector<app::AuditRecord> out;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) out.push_back(ReadAudit(st));
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading the audit trail"));
  return out;
}

}  // namespace whereabouts::store
