#include "store/postgres_store.h"

#include <libpq-fe.h>

#include <cstdlib>
#include <map>

#include "store/person_columns.h"
#include "store/postgres_util.h"

namespace whereabouts::store {

using registry::Date;
using registry::EntityKind;
using registry::Event;
using registry::Person;

namespace {

// Numbered schema migrations; index + 1 is the version. Never edit one that shipped: add another.
// The PostgreSQL schema starts at the SQLite schema's version 3 (same tables and columns; dates of
// the projections are day numbers as there, event dates are DATE and payloads JSONB).
constexpr const char* kMigrations[] = {
    // 1: entities, events (append-only), person projections.
    R"sql(
CREATE TABLE entities(
  kind TEXT NOT NULL CHECK (kind IN ('person','relative','site','hazard','remains','list',
                                     'incident','source')),
  id BIGINT NOT NULL CHECK (id > 0),
  PRIMARY KEY (kind, id)
);
CREATE TABLE events(
  seq BIGINT PRIMARY KEY CHECK (seq > 0),
  kind TEXT NOT NULL,
  entity_id BIGINT NOT NULL,
  type TEXT NOT NULL,
  recorded_on DATE NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  payload JSONB NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
  FOREIGN KEY (kind, entity_id) REFERENCES entities(kind, id)
);
CREATE INDEX events_by_entity ON events(kind, entity_id, seq);
CREATE INDEX events_by_date ON events(recorded_on);
CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the history is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER events_append_only_row BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
CREATE TABLE person_versions(
  kind TEXT NOT NULL DEFAULT 'person' CHECK (kind = 'person'),
  person_id BIGINT NOT NULL,
  seq BIGINT NOT NULL REFERENCES events(seq),
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  family_name TEXT NOT NULL, given_name TEXT NOT NULL, father_name TEXT NOT NULL,
  other_names TEXT NOT NULL, sex TEXT NOT NULL, birth_date INTEGER, birth_year_min INTEGER,
  birth_year_max INTEGER, affiliation TEXT NOT NULL, unit TEXT NOT NULL,
  disappearance_date INTEGER, disappearance_place TEXT NOT NULL, circumstances TEXT NOT NULL,
  capture TEXT NOT NULL, capture_date INTEGER, captured_by TEXT NOT NULL,
  seen_alive_by TEXT NOT NULL, detention_place TEXT NOT NULL, icrc_visits INTEGER NOT NULL,
  last_icrc_visit INTEGER, reported_dead INTEGER NOT NULL, death_date INTEGER,
  death_place TEXT NOT NULL, death_territory TEXT NOT NULL, death_locality TEXT NOT NULL,
  body TEXT NOT NULL, body_returned_on INTEGER, status TEXT NOT NULL, identified_on INTEGER,
  identified_site BIGINT NOT NULL, identified_remains TEXT NOT NULL,
  family_notified_on INTEGER, merged_into BIGINT NOT NULL, registered_on INTEGER NOT NULL,
  last_event_on INTEGER NOT NULL,
  PRIMARY KEY (person_id, seq),
  FOREIGN KEY (kind, person_id) REFERENCES entities(kind, id)
);
CREATE TABLE person_facts(
  person_id BIGINT NOT NULL,
  seq BIGINT NOT NULL REFERENCES events(seq),
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  sex INTEGER NOT NULL, birth_date INTEGER, birth_year_min INTEGER, birth_year_max INTEGER,
  affiliation INTEGER NOT NULL, disappearance_date INTEGER, capture INTEGER NOT NULL,
  capture_date INTEGER, icrc_visits INTEGER NOT NULL, reported_dead INTEGER NOT NULL,
  death_territory INTEGER NOT NULL, death_locality TEXT NOT NULL, body INTEGER NOT NULL,
  status INTEGER NOT NULL, identified_site BIGINT NOT NULL, identified_remains TEXT NOT NULL,
  family_notified_on INTEGER, merged_into BIGINT NOT NULL,
  PRIMARY KEY (person_id, seq)
);
)sql",
    // 2: person_facts carries the identification date, for the figures by period.
    R"sql(
ALTER TABLE person_facts ADD COLUMN identified_on INTEGER;
UPDATE person_facts f SET identified_on = v.identified_on
  FROM person_versions v WHERE v.person_id = f.person_id AND v.seq = f.seq;
)sql",
    // 3: the event chain (one hash per event, filled from the events by Migrate for a register
    // that has some) and the idempotency keys of retried writes. Both append-only.
    R"sql(
CREATE TABLE event_chain(
  seq BIGINT PRIMARY KEY REFERENCES events(seq),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE TRIGGER event_chain_append_only_row BEFORE UPDATE OR DELETE ON event_chain
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE TRIGGER event_chain_append_only_truncate BEFORE TRUNCATE ON event_chain
  FOR EACH STATEMENT EXECUTE FUNCTION events_append_only();
CREATE TABLE idempotency_keys(
  key TEXT PRIMARY KEY,
  first_seq BIGINT NOT NULL REFERENCES events(seq),
  last_seq BIGINT NOT NULL REFERENCES events(seq)
);
CREATE TRIGGER idempotency_keys_append_only_row BEFORE UPDATE OR DELETE ON idempotency_keys
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
CREATE INDEX events_by_person_ref ON events ((payload->>'person'));
CREATE INDEX events_by_individual ON events ((payload->>'individual'));
CREATE INDEX events_by_proposal ON events ((payload->>'proposal'));
)sql",
    // 4: access control (store/postgres_access_store.h), as SQLite's migration 6: accounts,
    // sessions and API tokens (secrets only as hashes), restricted cases, and the audit trail
    // (append-only; `position` is the order written, separate from the chained `seq`).
    R"sql(
CREATE TABLE accounts(
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  role TEXT NOT NULL,
  disabled BOOLEAN NOT NULL DEFAULT false,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE sessions(
  id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  account BIGINT NOT NULL REFERENCES accounts(id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  csrf_token TEXT NOT NULL,
  address TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions(account);
CREATE TABLE api_tokens(
  id BIGSERIAL PRIMARY KEY,
  account BIGINT NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  scopes TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked BOOLEAN NOT NULL DEFAULT false
);
CREATE TABLE case_restrictions(
  kind TEXT NOT NULL DEFAULT 'person' CHECK (kind = 'person'),
  person BIGINT NOT NULL,
  account BIGINT NOT NULL REFERENCES accounts(id),
  PRIMARY KEY (person, account),
  FOREIGN KEY (kind, person) REFERENCES entities(kind, id)
);
CREATE TABLE audit(
  position BIGSERIAL PRIMARY KEY,
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  records TEXT NOT NULL,
  address TEXT NOT NULL,
  outcome TEXT NOT NULL,
  event_seq BIGINT NOT NULL,
  event_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE UNIQUE INDEX audit_by_seq ON audit(seq);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER audit_append_only_row BEFORE UPDATE OR DELETE ON audit
  FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit
  FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
)sql",
};

// The migration after which FillChain() computes the hashes of the events already there.
constexpr int kChainMigration = 3;

// Columns of person_versions after (person_id, seq, valid_from), with the cast of their parameter.
struct Column {
  const char* name;
  const char* type;
};
constexpr Column kPersonColumns[] = {
    {"family_name", "text"},
    {"given_name", "text"},
    {"father_name", "text"},
    {"other_names", "text"},
    {"sex", "text"},
    {"birth_date", "integer"},
    {"birth_year_min", "integer"},
    {"birth_year_max", "integer"},
    {"affiliation", "text"},
    {"unit", "text"},
    {"disappearance_date", "integer"},
    {"disappearance_place", "text"},
    {"circumstances", "text"},
    {"capture", "text"},
    {"capture_date", "integer"},
    {"captured_by", "text"},
    {"seen_alive_by", "text"},
    {"detention_place", "text"},
    {"icrc_visits", "integer"},
    {"last_icrc_visit", "integer"},
    {"reported_dead", "integer"},
    {"death_date", "integer"},
    {"death_place", "text"},
    {"death_territory", "text"},
    {"death_locality", "text"},
    {"body", "text"},
    {"body_returned_on", "integer"},
    {"status", "text"},
    {"identified_on", "integer"},
    {"identified_site", "bigint"},
    {"identified_remains", "text"},
    {"family_notified_on", "integer"},
    {"merged_into", "bigint"},
    {"registered_on", "integer"},
    {"last_event_on", "integer"},
};
constexpr Column kFactColumns[] = {
    {"sex", "integer"},
    {"birth_date", "integer"},
    {"birth_year_min", "integer"},
    {"birth_year_max", "integer"},
    {"affiliation", "integer"},
    {"disappearance_date", "integer"},
    {"capture", "integer"},
    {"capture_date", "integer"},
    {"icrc_visits", "integer"},
    {"reported_dead", "integer"},
    {"death_territory", "integer"},
    {"death_locality", "text"},
    {"body", "integer"},
    {"status", "integer"},
    {"identified_site", "bigint"},
    {"identified_remains", "text"},
    {"family_notified_on", "integer"},
    {"merged_into", "bigint"},
    {"identified_on", "integer"},
};

template <size_t N>
std::string Names(const Column (&cols)[N]) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i) out += ", ";
    out += cols[i].name;
  }
  return out;
}

// "$first::type, $first+1::type, ..."
template <size_t N>
std::string Placeholders(const Column (&cols)[N], int first) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i) out += ", ";
    out += "$" + std::to_string(first + static_cast<int>(i)) + "::" + cols[i].type;
  }
  return out;
}

const std::string kSelectPerson =
    "SELECT person_id, seq, " + Names(kPersonColumns) + " FROM person_versions ";

// One event (not a person's): creates its entity when $9 is true, then appends it.
const std::string kInsertEventSql =
    "WITH ent AS (INSERT INTO entities(kind, id) SELECT $2::text, $3::bigint WHERE $9::boolean) "
    "INSERT INTO events(seq, kind, entity_id, type, recorded_on, actor, reason, payload) VALUES "
    "($1::bigint, $2::text, $3::bigint, $4::text, $5::date, $6::text, $7::text, $8::jsonb)";

// One person event with its projections, in one statement (one round trip): creates the entity
// when $8 is true, appends the event, closes the person's current rows (valid_to = $9) and inserts
// the new state. Foreign keys are checked at the end of the statement, after every part ran.
const std::string kInsertPersonEventSql =
    "WITH ent AS (INSERT INTO entities(kind, id) SELECT 'person', $2::bigint WHERE $8::boolean), "
    "ev AS (INSERT INTO events(seq, kind, entity_id, type, recorded_on, actor, reason, payload) "
    "VALUES ($1::bigint, 'person', $2::bigint, $3::text, $4::date, $5::text, $6::text, "
    "$7::jsonb)), "
    "cv AS (UPDATE person_versions SET valid_to = $9::integer WHERE person_id = $2::bigint AND "
    "valid_to IS NULL), "
    "cf AS (UPDATE person_facts SET valid_to = $9::integer WHERE person_id = $2::bigint AND "
    "valid_to IS NULL), "
    "iv AS (INSERT INTO person_versions(person_id, seq, valid_from, " +
    Names(kPersonColumns) + ") VALUES ($2::bigint, $1::bigint, $9::integer, " +
    Placeholders(kPersonColumns, 10) + ")) " +
    "INSERT INTO person_facts(person_id, seq, valid_from, " + Names(kFactColumns) +
    ") VALUES ($2::bigint, $1::bigint, $9::integer, " +
    Placeholders(kFactColumns, 10 + static_cast<int>(std::size(kPersonColumns))) + ")";

using pg_util::DbError;
using pg_util::Int;
using pg_util::Null;
using pg_util::OneLine;
using pg_util::OptDate;
using pg_util::OptInt;
using pg_util::Params;
using pg_util::Res;
using pg_util::Run;
using pg_util::RunConstant;
using pg_util::Text;

// The row reader of person_columns.h over one row of a result.
struct PgRow {
  const PGresult* r;
  int row;
  [[nodiscard]] int64_t Int(int c) const { return pg_util::Int(r, row, c); }
  [[nodiscard]] std::string Text(int c) const { return pg_util::Text(r, row, c); }
  [[nodiscard]] std::optional<Date> OptDate(int c) const { return pg_util::OptDate(r, row, c); }
  [[nodiscard]] std::optional<int> OptInt(int c) const { return pg_util::OptInt(r, row, c); }
};

std::string AsOfClause(const registry::AsOf& as_of) {
  return as_of ? "valid_from <= $1::integer AND (valid_to IS NULL OR valid_to > $1::integer)"
               : "valid_to IS NULL";
}

// A READ COMMITTED transaction that rolls back unless committed. READ COMMITTED (not REPEATABLE
// READ) so that statements after the advisory lock see what the previous lock holder committed.
class Transaction {
 public:
  explicit Transaction(pg_conn* conn) : conn_(conn) {}
  [[nodiscard]] Status Begin() {
    WB_RETURN_IF_ERROR(RunConstant(conn_, "BEGIN ISOLATION LEVEL READ COMMITTED", "begin"));
    open_ = true;
    return {};
  }
  [[nodiscard]] Status Commit() {
    open_ = false;
    return RunConstant(conn_, "COMMIT", "commit");
  }
  ~Transaction() {
    if (open_) Res(PQexec(conn_, "ROLLBACK"));
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  pg_conn* conn_;
  bool open_ = false;
};

Status LockWriters(pg_conn* conn) {
  Params p;
  p.Add(PostgresStore::kAppendLockKey);
  return Run(conn, "SELECT pg_advisory_xact_lock($1::bigint)", p, "lock").map([](Res) {});
}

constexpr const char* kStmtEvent = "wb_insert_event";
constexpr const char* kStmtPersonEvent = "wb_insert_person_event";
constexpr const char* kStmtCurrentPerson = "wb_current_person";
constexpr const char* kStmtChain = "wb_insert_chain";

}  // namespace

bool PostgresStore::IsUri(std::string_view db) {
  return db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
}

std::string PostgresStore::DisplayName(const std::string& uri) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
  if (opts == nullptr) {
    PQfreemem(err);
    return "postgresql://(unparsable URI)";
  }
  std::map<std::string, std::string> v;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') v[o->keyword] = o->val;
  }
  PQconninfoFree(opts);
  std::string out = "postgresql://";
  if (v.count("user")) out += v["user"] + "@";
  if (v.count("host")) out += v["host"];
  if (v.count("hostaddr") && !v.count("host")) out += v["hostaddr"];
  if (v.count("port")) out += ":" + v["port"];
  out += "/";
  if (v.count("dbname")) out += v["dbname"];
  return out;
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& uri, Schema schema) {
  const std::string name = DisplayName(uri);
  pg_conn* conn = PQconnectdb(uri.c_str());
  if (conn == nullptr)
    return MakeError(ErrorCode::kIo, "cannot connect to PostgreSQL: out of memory", name);
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names the host or socket and the reason; it never contains the password.
    std::string msg = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return MakeError(ErrorCode::kIo, "cannot connect to PostgreSQL: " + msg, name);
  }
  // Notices ("relation already exists, skipping") are not the user's business.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PostgresStore> store(new PostgresStore(conn, name));
  if (PQsetClientEncoding(conn, "UTF8") != 0) {
    return MakeError(ErrorCode::kIo, "cannot set the client encoding to UTF8", name);
  }
  if (schema == Schema::kMigrate) {
    if (auto s = store->Migrate(); !s) return tl::unexpected(WithContext(s.error(), name));
  } else {
    if (auto s = store->RequireCurrentSchema(); !s) {
      return tl::unexpected(WithContext(s.error(), name));
    }
  }
  if (auto s = store->Prepare(); !s) return tl::unexpected(WithContext(s.error(), name));
  return store;
}

Status PostgresStore::RequireCurrentSchema() {
  WB_ASSIGN_OR_RETURN(Res t, Run(conn_, "SELECT to_regclass('schema_migrations') IS NOT NULL",
                                 Params(), "schema version"));
  schema_version_ = 0;
  if (Text(t.get(), 0, 0) == "t") {
    WB_ASSIGN_OR_RETURN(Res r, Run(conn_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                                   Params(), "schema version"));
    schema_version_ = static_cast<int>(Int(r.get(), 0, 0));
  }
  if (schema_version_ > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the database has schema version " + std::to_string(schema_version_) +
                         ", newer than this build knows (" + std::to_string(LatestSchemaVersion()) +
                         "); use a newer whereabouts");
  }
  if (schema_version_ < LatestSchemaVersion()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the database's schema is at version " + std::to_string(schema_version_) +
                         " and this build needs version " + std::to_string(LatestSchemaVersion()) +
                         ": an administrator runs 'whereabouts db migrate --db URI' first "
                         "(schema changes are never made by other commands)");
  }
  return {};
}

PostgresStore::~PostgresStore() { PQfinish(conn_); }

int PostgresStore::LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Status PostgresStore::Migrate() {
  // One transaction under the writers' lock: two processes opening a fresh database at once do
  // not both create the schema, and a failed migration leaves nothing behind (DDL is
  // transactional in PostgreSQL).
  Transaction tx(conn_);
  WB_RETURN_IF_ERROR(tx.Begin());
  WB_RETURN_IF_ERROR(LockWriters(conn_));
  WB_RETURN_IF_ERROR(RunConstant(conn_,
                                 "CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER "
                                 "PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                                 "schema version"));
  WB_ASSIGN_OR_RETURN(Res r, Run(conn_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                                 Params(), "schema version"));
  schema_version_ = static_cast<int>(Int(r.get(), 0, 0));
  if (schema_version_ > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the database has schema version " + std::to_string(schema_version_) +
                         ", newer than this build knows (" + std::to_string(LatestSchemaVersion()) +
                         "); use a newer whereabouts");
  }
  for (int v = schema_version_ + 1; v <= LatestSchemaVersion(); ++v) {
    WB_RETURN_IF_ERROR(RunConstant(conn_, kMigrations[v - 1], "migration " + std::to_string(v)));
    if (v == kChainMigration) WB_RETURN_IF_ERROR(FillChain());
    Params p;
    p.Add(static_cast<int64_t>(v));
    WB_RETURN_IF_ERROR(
        Run(conn_, "INSERT INTO schema_migrations(version) VALUES ($1::integer)", p, "migration")
            .map([](Res) {}));
  }
  WB_RETURN_IF_ERROR(tx.Commit());
  schema_version_ = LatestSchemaVersion();
  return {};
}

Status PostgresStore::Prepare() {
  const std::pair<const char*, std::string> statements[] = {
      {kStmtEvent, kInsertEventSql},
      {kStmtPersonEvent, kInsertPersonEventSql},
      {kStmtCurrentPerson, kSelectPerson + "WHERE person_id = $1::bigint AND valid_to IS NULL"},
      {kStmtChain, "INSERT INTO event_chain(seq, hash) VALUES ($1::bigint, $2::text)"},
  };
  for (const auto& [name, sql] : statements) {
    Res r(PQprepare(conn_, name, sql.c_str(), 0, nullptr));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
      return tl::unexpected(DbError(r.get(), conn_, std::string("preparing ") + name));
    }
  }
  return {};
}

Status PostgresStore::RunWrite(const std::function<Status()>& body) {
  if (in_write_) return body();
  Transaction tx(conn_);
  WB_RETURN_IF_ERROR(tx.Begin());
  WB_RETURN_IF_ERROR(LockWriters(conn_));
  in_write_ = true;
  Status s = body();
  in_write_ = false;
  if (!s) return s;  // tx rolls back
  return tx.Commit();
}

Status PostgresStore::RunRead(const std::function<Status()>& body) {
  if (in_write_ || in_read_) return body();
  WB_RETURN_IF_ERROR(
      RunConstant(conn_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "begin read"));
  in_read_ = true;
  Status s = body();
  in_read_ = false;
  Status end = RunConstant(conn_, s ? "COMMIT" : "ROLLBACK", "end read");
  if (!s) return s;
  return end;
}

Result<std::vector<Event>> PostgresStore::Append(std::vector<Event> events) {
  Transaction tx(conn_);
  if (!in_write_) {
    WB_RETURN_IF_ERROR(tx.Begin());
    // Serialise writers before reading the next seq and ids: under the lock they are ours alone.
    WB_RETURN_IF_ERROR(LockWriters(conn_));
  }
  WB_ASSIGN_OR_RETURN(const registry::ChainHead head, Head(std::nullopt));
  int64_t seq = head.seq;
  std::string prev_hash = head.hash;
  const auto chain = [&](Event& e, const std::string& where) -> Status {
    e.hash = registry::ChainHash(prev_hash, e);
    prev_hash = e.hash;
    Params c;
    c.Add(e.seq).Add(e.hash);
    return Run(conn_, kStmtChain, c, where + ": chain", /*prepared=*/true).map([](Res) {});
  };
  std::map<EntityKind, int64_t> next;
  std::map<int64_t, Person> persons;  // state of persons touched in this batch
  for (Event& e : events) {
    const std::string kind(registry::EntityKindName(e.kind));
    const std::string where = kind + " " + std::to_string(e.entity_id) + ", " + e.type;
    const bool creation = registry::IsCreationEvent(e.type);
    if (creation && e.entity_id == 0) {
      auto it = next.find(e.kind);
      if (it == next.end()) {
        WB_ASSIGN_OR_RETURN(int64_t id, NextId(e.kind));
        it = next.emplace(e.kind, id).first;
      }
      e.entity_id = it->second++;
    }
    if (creation) {
      if (auto it = next.find(e.kind); it != next.end()) {
        it->second = std::max(it->second, e.entity_id + 1);
      }
    }
    e.seq = ++seq;
    const std::string entity = kind + " " + std::to_string(e.entity_id);
    Params p;
    p.Add(e.seq);
    if (e.kind != EntityKind::kPerson) {
      p.Add(kind).Add(e.entity_id).Add(e.type).Add(e.recorded_on.ToString()).Add(e.actor);
      p.Add(e.reason).Add(PayloadToJson(e.payload)).Add(creation);
      auto r = Run(conn_, kStmtEvent, p, creation ? entity : where, /*prepared=*/true);
      if (!r) {
        Error err = r.error();
        if (err.code == ErrorCode::kNotFound) err.message = "no " + entity;
        return tl::unexpected(err);
      }
      WB_RETURN_IF_ERROR(chain(e, where));
      continue;
    }
    std::optional<Person> cur;
    if (auto it = persons.find(e.entity_id); it != persons.end()) {
      cur = it->second;
    } else if (!creation) {
      Params q;
      q.Add(e.entity_id);
      WB_ASSIGN_OR_RETURN(Res r, Run(conn_, kStmtCurrentPerson, q, where, /*prepared=*/true));
      if (PQntuples(r.get()) == 0) return MakeError(ErrorCode::kNotFound, "no " + entity);
      WB_ASSIGN_OR_RETURN(cur, ReadPersonColumns(PgRow{r.get(), 0}));
    }
    WB_ASSIGN_OR_RETURN(Person person, registry::ApplyPersonEvent(cur, e));
    p.Add(e.entity_id).Add(e.type).Add(e.recorded_on.ToString()).Add(e.actor).Add(e.reason);
    p.Add(PayloadToJson(e.payload)).Add(creation).Add(static_cast<int64_t>(e.recorded_on.days));
    AddPersonColumns(p, person);
    AddFactColumns(p, person);
    auto r = Run(conn_, kStmtPersonEvent, p, creation ? entity : where, /*prepared=*/true);
    if (!r) {
      Error err = r.error();
      if (err.code == ErrorCode::kNotFound) err.message = "no " + entity;
      return tl::unexpected(err);
    }
    WB_RETURN_IF_ERROR(chain(e, where));
    persons[e.entity_id] = std::move(person);
  }
  if (!in_write_) WB_RETURN_IF_ERROR(tx.Commit());
  return events;
}

Status PostgresStore::VisitProjectionRows(
    const std::function<bool(const registry::ProjectionRow&)>& visit) {
  const std::pair<const char*, std::string> tables[] = {{"person_versions", Names(kPersonColumns)},
                                                        {"person_facts", Names(kFactColumns)}};
  for (const auto& [table, columns] : tables) {
    WB_ASSIGN_OR_RETURN(Res res, Run(conn_,
                                     "SELECT person_id, seq, valid_from, valid_to, " + columns +
                                         " FROM " + table + " ORDER BY person_id, seq",
                                     Params{}, std::string("reading ") + table));
    const PGresult* r = res.get();
    const int rows = PQntuples(r);
    const int count = PQnfields(r);
    registry::ProjectionRow row;
    row.table = table;
    for (int i = 0; i < rows; ++i) {
      row.person_id = Int(r, i, 0);
      row.seq = Int(r, i, 1);
      row.valid_from = Int(r, i, 2);
      row.valid_to = Null(r, i, 3) ? std::nullopt : std::optional<int64_t>(Int(r, i, 3));
      row.columns.clear();
      for (int c = 4; c < count; ++c) {
        row.columns.push_back(Null(r, i, c) ? std::nullopt
                                            : std::optional<std::string>(Text(r, i, c)));
      }
      if (!visit(row)) return {};
    }
  }
  return {};
}

Result<std::vector<Person>> PostgresStore::Persons(const registry::AsOf& as_of) {
  Params p;
  if (as_of) p.Add(static_cast<int64_t>(as_of->days));
  WB_ASSIGN_OR_RETURN(
      Res r, Run(conn_, kSelectPerson + "WHERE " + AsOfClause(as_of) + " ORDER BY person_id", p,
                 "reading persons"));
  std::vector<Person> out;
  const int rows = PQntuples(r.get());
  out.reserve(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    WB_ASSIGN_OR_RETURN(Person person, ReadPersonColumns(PgRow{r.get(), i}));
    out.push_back(std::move(person));
  }
  return out;
}

Result<std::vector<Person>> PostgresStore::PersonsForFigures(const registry::AsOf& as_of) {
  std::vector<Person> out;
  WB_RETURN_IF_ERROR(VisitPersonsForFigures(as_of, [&](const Person& p) { out.push_back(p); }));
  return out;
}

Status PostgresStore::VisitPersonsForFigures(const registry::AsOf& as_of,
                                             const std::function<void(const Person&)>& visit) {
  Params params;
  if (as_of) params.Add(static_cast<int64_t>(as_of->days));
  WB_ASSIGN_OR_RETURN(Res res,
                      Run(conn_,
                          "SELECT person_id, " + Names(kFactColumns) + " FROM person_facts WHERE " +
                              AsOfClause(as_of) + " ORDER BY person_id",
                          params, "reading persons"));
  const PGresult* r = res.get();
  Person p;  // reused: every field figures read is set on every row
  const int rows = PQntuples(r);
  for (int i = 0; i < rows; ++i) {
    WB_RETURN_IF_ERROR(ReadFactColumns(PgRow{r, i}, p));
    visit(p);
  }
  return {};
}

Result<std::optional<Person>> PostgresStore::FindPerson(registry::PersonId id,
                                                        const registry::AsOf& as_of) {
  Params p;
  std::string sql = kSelectPerson;
  if (as_of) {
    p.Add(static_cast<int64_t>(as_of->days)).Add(id.value);
    sql += "WHERE " + AsOfClause(as_of) + " AND person_id = $2::bigint";
  } else {
    p.Add(id.value);
    sql += "WHERE valid_to IS NULL AND person_id = $1::bigint";
  }
  WB_ASSIGN_OR_RETURN(Res r, Run(conn_, sql, p, "reading person"));
  if (PQntuples(r.get()) == 0) return std::optional<Person>{};
  WB_ASSIGN_OR_RETURN(Person person, ReadPersonColumns(PgRow{r.get(), 0}));
  return std::optional<Person>(std::move(person));
}

Result<std::vector<Event>> PostgresStore::Events(const registry::EventQuery& q) {
  std::string sql =
      "SELECT e.seq, kind, entity_id, type, to_char(recorded_on, 'YYYY-MM-DD'), actor, reason, "
      "payload::text, COALESCE(c.hash, '') FROM events e LEFT JOIN event_chain c ON c.seq = e.seq "
      "WHERE true";
  Params p;
  if (q.as_of) {
    p.Add(q.as_of->ToString());
    sql += " AND recorded_on <= $" + std::to_string(p.size()) + "::date";
  }
  if (q.payload_equals) {
    // The key is written into the statement (so that the expression indexes of migration 3 on
    // "person" and "individual" apply); keys are names of the code, checked to be plain words.
    const std::string& key = q.payload_equals->first;
    if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "not a payload key: '" + key + "'");
    }
    p.Add(q.payload_equals->second);
    sql += " AND payload->>'" + key + "' = $" + std::to_string(p.size()) + "::text";
  }
  if (q.from_seq && q.to_seq) {
    p.Add(*q.from_seq);
    sql += " AND e.seq >= $" + std::to_string(p.size()) + "::bigint";
    p.Add(*q.to_seq);
    sql += " AND e.seq <= $" + std::to_string(p.size()) + "::bigint";
  } else if (q.kind) {
    p.Add(registry::EntityKindName(*q.kind));
    sql += " AND kind = $" + std::to_string(p.size()) + "::text";
    if (q.entity_id) {
      p.Add(*q.entity_id);
      sql += " AND entity_id = $" + std::to_string(p.size()) + "::bigint";
    }
  } else {
    sql += " AND kind IN ('site', 'hazard', 'remains', 'list', 'incident', 'source'";
    if (q.include_persons) sql += ", 'person'";
    if (q.include_relatives) sql += ", 'relative'";
    sql += ")";
  }
  sql += " ORDER BY e.seq";
  WB_ASSIGN_OR_RETURN(Res res, Run(conn_, sql, p, "reading events"));
  const PGresult* r = res.get();
  std::vector<Event> out;
  const int rows = PQntuples(r);
  out.reserve(static_cast<size_t>(rows));
  for (int i = 0; i < rows; ++i) {
    Event e;
    e.seq = Int(r, i, 0);
    WB_ASSIGN_OR_RETURN(e.kind, registry::ParseEntityKind(Text(r, i, 1)));
    e.entity_id = Int(r, i, 2);
    e.type = Text(r, i, 3);
    WB_ASSIGN_OR_RETURN(e.recorded_on, Date::Parse(Text(r, i, 4)));
    e.actor = Text(r, i, 5);
    e.reason = Text(r, i, 6);
    WB_ASSIGN_OR_RETURN(e.payload, PayloadFromJson(Text(r, i, 7)));
    e.hash = Text(r, i, 8);
    out.push_back(std::move(e));
  }
  return out;
}

Result<registry::ChainHead> PostgresStore::Head(const registry::AsOf& as_of) {
  std::string sql =
      "SELECT e.seq, to_char(e.recorded_on, 'YYYY-MM-DD'), COALESCE(c.hash, '') FROM events e "
      "LEFT JOIN event_chain c ON c.seq = e.seq";
  Params p;
  if (as_of) {
    p.Add(as_of->ToString());
    sql += " WHERE e.recorded_on <= $1::date";
  }
  sql += " ORDER BY e.seq DESC LIMIT 1";
  WB_ASSIGN_OR_RETURN(Res r, Run(conn_, sql, p, "reading the last event"));
  registry::ChainHead head;
  if (PQntuples(r.get()) == 0) return head;
  head.seq = Int(r.get(), 0, 0);
  WB_ASSIGN_OR_RETURN(head.recorded_on, Date::Parse(Text(r.get(), 0, 1)));
  head.hash = Text(r.get(), 0, 2);
  return head;
}

Result<int64_t> PostgresStore::EntityVersion(EntityKind kind, int64_t id) {
  Params p;
  p.Add(registry::EntityKindName(kind)).Add(id);
  WB_ASSIGN_OR_RETURN(Res r, Run(conn_,
                                 "SELECT COALESCE(MAX(seq), 0) FROM events WHERE kind = $1::text "
                                 "AND entity_id = $2::bigint",
                                 p, "reading a version"));
  return Int(r.get(), 0, 0);
}

Result<std::optional<registry::IdempotentWrite>> PostgresStore::FindIdempotencyKey(
    const std::string& key) {
  Params p;
  p.Add(key);
  WB_ASSIGN_OR_RETURN(
      Res r, Run(conn_, "SELECT first_seq, last_seq FROM idempotency_keys WHERE key = $1::text", p,
                 "reading an idempotency key"));
  if (PQntuples(r.get()) == 0) return std::optional<registry::IdempotentWrite>{};
  return std::optional<registry::IdempotentWrite>(
      registry::IdempotentWrite{Int(r.get(), 0, 0), Int(r.get(), 0, 1)});
}

Status PostgresStore::RememberIdempotencyKey(const std::string& key,
                                             const registry::IdempotentWrite& w) {
  Params p;
  p.Add(key).Add(w.first_seq).Add(w.last_seq);
  return Run(conn_,
             "INSERT INTO idempotency_keys(key, first_seq, last_seq) VALUES ($1::text, "
             "$2::bigint, $3::bigint)",
             p, "idempotency key " + key)
      .map([](Res) {});
}

Status PostgresStore::FillChain() {
  registry::EventQuery q;
  q.include_persons = true;
  q.include_relatives = true;
  WB_ASSIGN_OR_RETURN(auto events, Events(q));
  std::string prev;
  for (const Event& e : events) {
    prev = registry::ChainHash(prev, e);
    Params c;
    c.Add(e.seq).Add(prev);
    WB_RETURN_IF_ERROR(Run(conn_,
                           "INSERT INTO event_chain(seq, hash) VALUES ($1::bigint, $2::text)", c,
                           "filling the event chain")
                           .map([](Res) {}));
  }
  return {};
}

Result<int64_t> PostgresStore::NextId(EntityKind kind) {
  Params p;
  p.Add(registry::EntityKindName(kind));
  WB_ASSIGN_OR_RETURN(Res r, Run(conn_,
                                 "SELECT COALESCE(MAX(id), 0) + 1 FROM entities WHERE "
                                 "kind = $1::text",
                                 p, "next id"));
  return Int(r.get(), 0, 0);
}

}  // namespace whereabouts::store
