#include "store/postgres_access_store.h"

#include "store/access_scopes.h"
#include "store/postgres_util.h"

namespace whereabouts::store {

using pg_util::DbError;
using pg_util::Int;
using pg_util::Params;
using pg_util::Res;
using pg_util::Run;
using pg_util::Text;

namespace {

constexpr const char* kAccountColumns =
    "id, name, role, disabled::int, password_hash, created_at, failed_logins, locked_until";
constexpr const char* kTokenColumns =
    "id, account, name, token_hash, scopes, created_at, revoked::int";
constexpr const char* kSessionColumns =
    "id_hash, account, created_at, last_seen_at, csrf_token, address";
constexpr const char* kAuditColumns =
    "seq, at, actor, action, records, address, outcome, event_seq, event_hash, prev_hash, hash";

app::AuditRecord ReadAudit(const PGresult* r, int i) {
  app::AuditRecord a;
  a.seq = Int(r, i, 0);
  a.at = Int(r, i, 1);
  a.actor = Text(r, i, 2);
  a.action = Text(r, i, 3);
  a.records = Text(r, i, 4);
  a.address = Text(r, i, 5);
  a.outcome = Text(r, i, 6);
  a.event_seq = Int(r, i, 7);
  a.event_hash = Text(r, i, 8);
  a.prev_hash = Text(r, i, 9);
  a.hash = Text(r, i, 10);
  return a;
}

Status Ignore(Result<Res> r) {
  if (!r) return tl::unexpected(r.error());
  return {};
}

}  // namespace

Status PostgresAccessStore::RunWrite(const std::function<Status()>& body) {
  return store_.RunWrite(body);
}

Result<int64_t> PostgresAccessStore::InsertAccount(const app::Account& a) {
  Params p;
  p.Add(a.name).Add(app::Name(a.role)).Add(a.disabled).Add(a.password_hash).Add(a.created_at);
  p.Add(static_cast<int64_t>(a.failed_logins)).Add(a.locked_until);
  auto r = Run(conn_,
               "INSERT INTO accounts(name, role, disabled, password_hash, created_at, "
               "failed_logins, locked_until) VALUES ($1::text, $2::text, $3::boolean, $4::text, "
               "$5::bigint, $6::integer, $7::bigint) RETURNING id",
               p, "account " + a.name);
  if (!r) {
    Error e = r.error();
    if (e.code == ErrorCode::kAlreadyExists) {
      e.message = "the account '" + a.name + "' exists";
      e.field = "name";
    }
    return tl::unexpected(e);
  }
  return Int(r->get(), 0, 0);
}

Result<std::vector<app::Account>> PostgresAccessStore::SelectAccounts(
    const std::string& where, const std::optional<std::string>& value) {
  Params p;
  if (value) p.Add(*value);
  WB_ASSIGN_OR_RETURN(
      Res res, Run(conn_, std::string("SELECT ") + kAccountColumns + " FROM accounts " + where, p,
                   "reading accounts"));
  const PGresult* r = res.get();
  std::vector<app::Account> out;
  for (int i = 0; i < PQntuples(r); ++i) {
    app::Account a;
    a.id = Int(r, i, 0);
    a.name = Text(r, i, 1);
    WB_ASSIGN_OR_RETURN(a.role, app::ParseRole(Text(r, i, 2)));
    a.disabled = Int(r, i, 3) != 0;
    a.password_hash = Text(r, i, 4);
    a.created_at = Int(r, i, 5);
    a.failed_logins = static_cast<int>(Int(r, i, 6));
    a.locked_until = Int(r, i, 7);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::optional<app::Account>> PostgresAccessStore::FindAccount(std::string_view name) {
  WB_ASSIGN_OR_RETURN(auto rows, SelectAccounts("WHERE name = $1::text", std::string(name)));
  if (rows.empty()) return std::optional<app::Account>{};
  return std::optional<app::Account>(std::move(rows.front()));
}

Result<std::optional<app::Account>> PostgresAccessStore::FindAccountById(int64_t id) {
  WB_ASSIGN_OR_RETURN(auto rows, SelectAccounts("WHERE id = $1::bigint", std::to_string(id)));
  if (rows.empty()) return std::optional<app::Account>{};
  return std::optional<app::Account>(std::move(rows.front()));
}

Result<std::vector<app::Account>> PostgresAccessStore::Accounts() {
  return SelectAccounts("ORDER BY id", std::nullopt);
}

Status PostgresAccessStore::UpdateAccount(const app::Account& a) {
  Params p;
  p.Add(a.id).Add(app::Name(a.role)).Add(a.disabled).Add(a.password_hash);
  p.Add(static_cast<int64_t>(a.failed_logins)).Add(a.locked_until);
  WB_ASSIGN_OR_RETURN(Res r, Run(conn_,
                                 "UPDATE accounts SET role = $2::text, disabled = $3::boolean, "
                                 "password_hash = $4::text, failed_logins = $5::integer, "
                                 "locked_until = $6::bigint WHERE id = $1::bigint",
                                 p, "account " + a.name));
  if (std::string(PQcmdTuples(r.get())) == "0") {
    return MakeError(ErrorCode::kNotFound, "no account " + std::to_string(a.id));
  }
  return {};
}

Status PostgresAccessStore::PutSession(const app::SessionRecord& s) {
  Params p;
  p.Add(s.id_hash).Add(s.account).Add(s.created_at).Add(s.last_seen_at).Add(s.csrf_token);
  p.Add(s.address);
  return Ignore(Run(conn_,
                    std::string("INSERT INTO sessions(") + kSessionColumns +
                        ") VALUES ($1::text, $2::bigint, $3::bigint, $4::bigint, $5::text, "
                        "$6::text) ON CONFLICT (id_hash) DO UPDATE SET account = "
                        "EXCLUDED.account, created_at = EXCLUDED.created_at, last_seen_at = "
                        "EXCLUDED.last_seen_at, csrf_token = EXCLUDED.csrf_token, address = "
                        "EXCLUDED.address",
                    p, "session"));
}

Result<std::optional<app::SessionRecord>> PostgresAccessStore::FindSession(
    std::string_view id_hash) {
  Params p;
  p.Add(id_hash);
  WB_ASSIGN_OR_RETURN(Res res, Run(conn_,
                                   std::string("SELECT ") + kSessionColumns +
                                       " FROM sessions WHERE id_hash = $1::text",
                                   p, "reading a session"));
  const PGresult* r = res.get();
  if (PQntuples(r) == 0) return std::optional<app::SessionRecord>{};
  app::SessionRecord s;
  s.id_hash = Text(r, 0, 0);
  s.account = Int(r, 0, 1);
  s.created_at = Int(r, 0, 2);
  s.last_seen_at = Int(r, 0, 3);
  s.csrf_token = Text(r, 0, 4);
  s.address = Text(r, 0, 5);
  return std::optional<app::SessionRecord>(std::move(s));
}

Status PostgresAccessStore::TouchSession(std::string_view id_hash, int64_t at) {
  Params p;
  p.Add(id_hash).Add(at);
  return Ignore(Run(conn_, "UPDATE sessions SET last_seen_at = $2::bigint WHERE id_hash = $1::text",
                    p, "session"));
}

Status PostgresAccessStore::DeleteSession(std::string_view id_hash) {
  Params p;
  p.Add(id_hash);
  return Ignore(Run(conn_, "DELETE FROM sessions WHERE id_hash = $1::text", p, "session"));
}

Status PostgresAccessStore::DeleteSessionsOf(int64_t account) {
  Params p;
  p.Add(account);
  return Ignore(Run(conn_, "DELETE FROM sessions WHERE account = $1::bigint", p,
                    "sessions of account " + std::to_string(account)));
}

Result<int64_t> PostgresAccessStore::InsertToken(const app::ApiTokenRecord& t) {
  Params p;
  p.Add(t.account).Add(t.name).Add(t.token_hash).Add(ScopesToText(t.scopes)).Add(t.created_at);
  p.Add(t.revoked);
  WB_ASSIGN_OR_RETURN(Res r, Run(conn_,
                                 "INSERT INTO api_tokens(account, name, token_hash, scopes, "
                                 "created_at, revoked) VALUES ($1::bigint, $2::text, $3::text, "
                                 "$4::text, $5::bigint, $6::boolean) RETURNING id",
                                 p, "API token " + t.name));
  return Int(r.get(), 0, 0);
}

Result<std::vector<app::ApiTokenRecord>> PostgresAccessStore::SelectTokens(
    const std::string& where, const std::optional<std::string>& value) {
  Params p;
  if (value) p.Add(*value);
  WB_ASSIGN_OR_RETURN(
      Res res, Run(conn_, std::string("SELECT ") + kTokenColumns + " FROM api_tokens " + where, p,
                   "reading API tokens"));
  const PGresult* r = res.get();
  std::vector<app::ApiTokenRecord> out;
  for (int i = 0; i < PQntuples(r); ++i) {
    app::ApiTokenRecord t;
    t.id = Int(r, i, 0);
    t.account = Int(r, i, 1);
    t.name = Text(r, i, 2);
    t.token_hash = Text(r, i, 3);
    WB_ASSIGN_OR_RETURN(t.scopes, ScopesFromText(Text(r, i, 4)));
    t.created_at = Int(r, i, 5);
    t.revoked = Int(r, i, 6) != 0;
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::optional<app::ApiTokenRecord>> PostgresAccessStore::FindToken(
    std::string_view token_hash) {
  WB_ASSIGN_OR_RETURN(auto rows,
                      SelectTokens("WHERE token_hash = $1::text", std::string(token_hash)));
  if (rows.empty()) return std::optional<app::ApiTokenRecord>{};
  return std::optional<app::ApiTokenRecord>(std::move(rows.front()));
}

Result<std::vector<app::ApiTokenRecord>> PostgresAccessStore::Tokens() {
  return SelectTokens("ORDER BY id", std::nullopt);
}

Status PostgresAccessStore::RevokeToken(int64_t id) {
  Params p;
  p.Add(id);
  WB_ASSIGN_OR_RETURN(Res r,
                      Run(conn_, "UPDATE api_tokens SET revoked = true WHERE id = $1::bigint", p,
                          "API token " + std::to_string(id)));
  if (std::string(PQcmdTuples(r.get())) == "0") {
    return MakeError(ErrorCode::kNotFound, "no API token " + std::to_string(id), "id");
  }
  return {};
}

Status PostgresAccessStore::SetRestriction(int64_t person, const std::vector<std::string>& staff) {
  return store_.RunWrite([&]() -> Status {
    Params d;
    d.Add(person);
    WB_RETURN_IF_ERROR(Ignore(Run(conn_, "DELETE FROM case_restrictions WHERE person = $1::bigint",
                                  d, "restriction of person " + std::to_string(person))));
    for (const std::string& name : staff) {
      Params p;
      p.Add(person).Add(name);
      auto r = Run(conn_,
                   "INSERT INTO case_restrictions(person, account) SELECT $1::bigint, id FROM "
                   "accounts WHERE name = $2::text ON CONFLICT DO NOTHING",
                   p, "restriction of person " + std::to_string(person));
      if (!r) {
        Error e = r.error();
        if (e.code == ErrorCode::kNotFound) e.message = "no person " + std::to_string(person);
        return tl::unexpected(e);
      }
      WB_ASSIGN_OR_RETURN(std::optional<app::Account> a, FindAccount(name));
      if (!a) return MakeError(ErrorCode::kNotFound, "no account '" + name + "'", "staff");
    }
    return {};
  });
}

Result<std::optional<std::vector<std::string>>> PostgresAccessStore::Restriction(int64_t person) {
  Params p;
  p.Add(person);
  WB_ASSIGN_OR_RETURN(Res res, Run(conn_,
                                   "SELECT a.name FROM case_restrictions r JOIN accounts a ON "
                                   "a.id = r.account WHERE r.person = $1::bigint ORDER BY a.name",
                                   p, "reading a restriction"));
  std::vector<std::string> names;
  for (int i = 0; i < PQntuples(res.get()); ++i) names.push_back(Text(res.get(), i, 0));
  if (names.empty()) return std::optional<std::vector<std::string>>{};
  return std::optional<std::vector<std::string>>(std::move(names));
}

Result<std::vector<int64_t>> PostgresAccessStore::RestrictedPersons() {
  WB_ASSIGN_OR_RETURN(
      Res res, Run(conn_, "SELECT DISTINCT person FROM case_restrictions ORDER BY person", Params(),
                   "reading restrictions"));
  std::vector<int64_t> out;
  for (int i = 0; i < PQntuples(res.get()); ++i) out.push_back(Int(res.get(), i, 0));
  return out;
}

Status PostgresAccessStore::AppendAudit(const app::AuditRecord& r) {
  Params p;
  p.Add(r.seq).Add(r.at).Add(r.actor).Add(r.action).Add(r.records).Add(r.address).Add(r.outcome);
  p.Add(r.event_seq).Add(r.event_hash).Add(r.prev_hash).Add(r.hash);
  return Ignore(Run(conn_,
                    std::string("INSERT INTO audit(") + kAuditColumns +
                        ") VALUES ($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::text, "
                        "$7::text, $8::bigint, $9::text, $10::text, $11::text)",
                    p, "audit record " + std::to_string(r.seq)));
}

Result<std::optional<app::AuditRecord>> PostgresAccessStore::LastAudit() {
  WB_ASSIGN_OR_RETURN(Res res, Run(conn_,
                                   std::string("SELECT ") + kAuditColumns +
                                       " FROM audit ORDER BY position DESC LIMIT 1",
                                   Params(), "reading the audit trail"));
  if (PQntuples(res.get()) == 0) return std::optional<app::AuditRecord>{};
  return std::optional<app::AuditRecord>(ReadAudit(res.get(), 0));
}

Result<std::vector<app::AuditRecord>> PostgresAccessStore::AuditRecords(int64_t from_seq,
                                                                        size_t limit) {
  Params p;
  p.Add(from_seq);
  std::string sql = std::string("SELECT ") + kAuditColumns +
                    " FROM audit WHERE position >= (SELECT MIN(position) FROM audit WHERE seq >= "
                    "$1::bigint) ORDER BY position";
  if (limit > 0) {
    p.Add(static_cast<int64_t>(limit));
    sql += " LIMIT $2::bigint";
  }
  WB_ASSIGN_OR_RETURN(Res res, Run(conn_, sql, p, "reading the audit trail"));
  std::vector<app::AuditRecord> out;
  for (int i = 0; i < PQntuples(res.get()); ++i) out.push_back(ReadAudit(res.get(), i));
  return out;
}

}  // namespace whereabouts::store
