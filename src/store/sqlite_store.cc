#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <ctime>
#include <map>

#include "store/person_columns.h"
#include "store/sqlite_util.h"

namespace whereabouts::store {

using registry::Date;
using registry::EntityKind;
using registry::Event;
using registry::Person;

namespace {

using sqlite_util::DbError;
using sqlite_util::Stmt;

// Numbered schema migrations; index + 1 is the version. Never edit one that shipped: add another.
constexpr const char* kMigrations[] = {
    // 1: events, entities, person projection.
    R"sql(
CREATE TABLE entities(
  kind TEXT NOT NULL CHECK (kind IN ('person','relative','site','hazard','remains','list')),
  id INTEGER NOT NULL CHECK (id > 0),
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE TABLE events(
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  entity_id INTEGER NOT NULL,
  type TEXT NOT NULL,
  recorded_on TEXT NOT NULL CHECK (recorded_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  payload TEXT NOT NULL CHECK (json_valid(payload)),
  FOREIGN KEY (kind, entity_id) REFERENCES entities(kind, id)
);
CREATE INDEX events_by_entity ON events(kind, entity_id, seq);
CREATE INDEX events_by_date ON events(recorded_on);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TABLE person_versions(
  kind TEXT NOT NULL DEFAULT 'person' CHECK (kind = 'person'),
  person_id INTEGER NOT NULL,
  seq INTEGER NOT NULL REFERENCES events(seq),
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
  identified_site INTEGER NOT NULL, identified_remains TEXT NOT NULL,
  family_notified_on INTEGER, merged_into INTEGER NOT NULL, registered_on INTEGER NOT NULL,
  last_event_on INTEGER NOT NULL,
  PRIMARY KEY (person_id, seq),
  FOREIGN KEY (kind, person_id) REFERENCES entities(kind, id)
) WITHOUT ROWID;
)sql",
    // 2: incidents and sources. SQLite cannot alter a CHECK constraint, so `entities` is rebuilt
    // (foreign keys are off while migrations run; Migrate() checks them afterwards).
    R"sql(
CREATE TABLE entities_v2(
  kind TEXT NOT NULL CHECK (kind IN ('person','relative','site','hazard','remains','list',
                                     'incident','source')),
  id INTEGER NOT NULL CHECK (id > 0),
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;
INSERT INTO entities_v2(kind, id) SELECT kind, id FROM entities;
DROP TABLE entities;
ALTER TABLE entities_v2 RENAME TO entities;
)sql",
    // 3: person_facts, a narrow projection of what figures read (enums as codes), beside
    // person_versions; filled from the events by Migrate() (RebuildProjections).
    R"sql(
CREATE TABLE person_facts(
  person_id INTEGER NOT NULL,
  seq INTEGER NOT NULL REFERENCES events(seq),
  valid_from INTEGER NOT NULL,
  valid_to INTEGER,
  sex INTEGER NOT NULL, birth_date INTEGER, birth_year_min INTEGER, birth_year_max INTEGER,
  affiliation INTEGER NOT NULL, disappearance_date INTEGER, capture INTEGER NOT NULL,
  capture_date INTEGER, icrc_visits INTEGER NOT NULL, reported_dead INTEGER NOT NULL,
  death_territory INTEGER NOT NULL, death_locality TEXT NOT NULL, body INTEGER NOT NULL,
  status INTEGER NOT NULL, identified_site INTEGER NOT NULL, identified_remains TEXT NOT NULL,
  family_notified_on INTEGER, merged_into INTEGER NOT NULL,
  PRIMARY KEY (person_id, seq)
) WITHOUT ROWID;
)sql",
    // 4: person_facts carries the identification date, for the figures by period.
    R"sql(
ALTER TABLE person_facts ADD COLUMN identified_on INTEGER;
UPDATE person_facts SET identified_on = (
  SELECT v.identified_on FROM person_versions v
  WHERE v.person_id = person_facts.person_id AND v.seq = person_facts.seq);
)sql",
    // 5: the event chain (one hash per event, filled from the events by Migrate for a register
    // that has some) and the idempotency keys of retried writes. Both append-only.
    R"sql(
CREATE TABLE event_chain(
  seq INTEGER PRIMARY KEY REFERENCES events(seq),
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE TRIGGER event_chain_append_only_update BEFORE UPDATE ON event_chain
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TRIGGER event_chain_append_only_delete BEFORE DELETE ON event_chain
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TABLE idempotency_keys(
  key TEXT PRIMARY KEY,
  first_seq INTEGER NOT NULL REFERENCES events(seq),
  last_seq INTEGER NOT NULL REFERENCES events(seq)
);
CREATE TRIGGER idempotency_keys_append_only_update BEFORE UPDATE ON idempotency_keys
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE TRIGGER idempotency_keys_append_only_delete BEFORE DELETE ON idempotency_keys
BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;
CREATE INDEX events_by_person_ref ON events(json_extract(payload, '$."person"'));
CREATE INDEX events_by_individual ON events(json_extract(payload, '$."individual"'));
CREATE INDEX events_by_proposal ON events(json_extract(payload, '$."proposal"'));
)sql",
    // 6: access control (store/sqlite_access_store.h): accounts, sessions and API tokens (secrets
    // only as hashes), restricted cases, and the audit trail (append-only; `position` is the order
    // written, separate from the chained `seq`, so that a moved record shows).
    R"sql(
CREATE TABLE accounts(
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  role TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions(
  id_hash TEXT PRIMARY KEY CHECK (length(id_hash) = 64),
  account INTEGER NOT NULL REFERENCES accounts(id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  address TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions(account);
CREATE TABLE api_tokens(
  id INTEGER PRIMARY KEY,
  account INTEGER NOT NULL REFERENCES accounts(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
  scopes TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE TABLE case_restrictions(
  kind TEXT NOT NULL DEFAULT 'person' CHECK (kind = 'person'),
  person INTEGER NOT NULL,
  account INTEGER NOT NULL REFERENCES accounts(id),
  PRIMARY KEY (person, account),
  FOREIGN KEY (kind, person) REFERENCES entities(kind, id)
) WITHOUT ROWID;
CREATE TABLE audit(
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  records TEXT NOT NULL,
  address TEXT NOT NULL,
  outcome TEXT NOT NULL,
  event_seq INTEGER NOT NULL,
  event_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL CHECK (length(hash) = 64)
);
CREATE UNIQUE INDEX audit_by_seq ON audit(seq);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql",
};

// The migration after which FillChain() computes the hashes of the events already there.
constexpr int kChainMigration = 5;

constexpr int kPersonColumnCount = 35;
constexpr const char* kPersonColumns =
    "family_name, given_name, father_name, other_names, sex, birth_date, birth_year_min, "
    "birth_year_max, affiliation, unit, disappearance_date, disappearance_place, circumstances, "
    "capture, capture_date, captured_by, seen_alive_by, detention_place, icrc_visits, "
    "last_icrc_visit, reported_dead, death_date, death_place, death_territory, death_locality, "
    "body, body_returned_on, status, identified_on, identified_site, identified_remains, "
    "family_notified_on, merged_into, registered_on, last_event_on";

// The parameter sink of person_columns.h over a statement, from parameter `next` on.
struct Binder {
  Stmt& st;
  int next;
  template <typename T>
  void Add(const T& v) {
    st.Bind(next++, v);
  }
};

// A transaction that rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  [[nodiscard]] Status Begin() {
    if (sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return tl::unexpected(DbError(db_, "begin"));
    }
    open_ = true;
    return {};
  }
  [[nodiscard]] Status Commit() {
    if (sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
      return tl::unexpected(DbError(db_, "commit"));
    }
    open_ = false;
    return {};
  }
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

const std::string kSelectPerson =
    std::string("SELECT person_id, seq, ") + kPersonColumns + " FROM person_versions ";

constexpr const char* kFactColumns =
    "sex, birth_date, birth_year_min, birth_year_max, affiliation, disappearance_date, capture, "
    "capture_date, icrc_visits, reported_dead, death_territory, death_locality, body, status, "
    "identified_site, identified_remains, family_notified_on, merged_into, identified_on";
constexpr int kFactColumnCount = 19;

std::string InsertSql(const char* table, const char* columns, int count) {
  std::string sql = std::string("INSERT INTO ") + table + "(person_id, seq, valid_from, " +
                    columns + ") VALUES (?1, ?2, ?3";
  for (int i = 0; i < count; ++i) sql += ", ?" + std::to_string(i + 4);
  return sql + ")";
}

// Writes the projections of one person event: closes the person's current rows (valid_to) and
// inserts the new state into person_versions and person_facts.
class ProjectionWriter {
 public:
  explicit ProjectionWriter(sqlite3* db)
      : db_(db),
        close_version_(db,
                       "UPDATE person_versions SET valid_to = ?1 WHERE person_id = ?2 AND "
                       "valid_to IS NULL"),
        close_facts_(db,
                     "UPDATE person_facts SET valid_to = ?1 WHERE person_id = ?2 AND "
                     "valid_to IS NULL"),
        ins_version_(db, InsertSql("person_versions", kPersonColumns, kPersonColumnCount)),
        ins_facts_(db, InsertSql("person_facts", kFactColumns, kFactColumnCount)) {}

  [[nodiscard]] Status Ok() const {
    for (const Stmt* st : {&close_version_, &close_facts_, &ins_version_, &ins_facts_}) {
      WB_RETURN_IF_ERROR(st->Ok());
    }
    return {};
  }

  [[nodiscard]] Status Write(const Event& e, const Person& p, bool had_state,
                             const std::string& where) {
    if (had_state) {
      for (Stmt* close : {&close_version_, &close_facts_}) {
        close->Bind(1, static_cast<int64_t>(e.recorded_on.days));
        close->Bind(2, e.entity_id);
        if (close->Step() != SQLITE_DONE) return tl::unexpected(DbError(db_, where));
        close->Reset();
      }
    }
    for (Stmt* ins : {&ins_version_, &ins_facts_}) {
      ins->Bind(1, e.entity_id);
      ins->Bind(2, e.seq);
      ins->Bind(3, static_cast<int64_t>(e.recorded_on.days));
    }
    Binder version{ins_version_, 4};
    AddPersonColumns(version, p);
    Binder facts{ins_facts_, 4};
    AddFactColumns(facts, p);
    for (Stmt* ins : {&ins_version_, &ins_facts_}) {
      if (ins->Step() != SQLITE_DONE) return tl::unexpected(DbError(db_, where));
      ins->Reset();
    }
    return {};
  }

 private:
  sqlite3* db_;
  Stmt close_version_, close_facts_, ins_version_, ins_facts_;
};

std::string AsOfClause(const registry::AsOf& as_of) {
  return as_of ? "valid_from <= ?1 AND (valid_to IS NULL OR valid_to > ?1)" : "valid_to IS NULL";
}

}  // namespace

Status SqliteStore::VisitProjectionRows(
    const std::function<bool(const registry::ProjectionRow&)>& visit) {
  const std::pair<const char*, const char*> tables[] = {{"person_versions", kPersonColumns},
                                                        {"person_facts", kFactColumns}};
  for (const auto& [table, columns] : tables) {
    Stmt st(db_, std::string("SELECT person_id, seq, valid_from, valid_to, ") + columns + " FROM " +
                     table + " ORDER BY person_id, seq");
    WB_RETURN_IF_ERROR(st.Ok());
    const int count = sqlite3_column_count(st.raw());
    registry::ProjectionRow row;
    row.table = table;
    int rc = 0;
    while ((rc = st.Step()) == SQLITE_ROW) {
      row.person_id = st.Int(0);
      row.seq = st.Int(1);
      row.valid_from = st.Int(2);
      row.valid_to = st.Null(3) ? std::nullopt : std::optional<int64_t>(st.Int(3));
      row.columns.clear();
      for (int c = 4; c < count; ++c) {
        row.columns.push_back(st.Null(c) ? std::nullopt : std::optional<std::string>(st.Text(c)));
      }
      if (!visit(row)) return {};
    }
    if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, std::string("reading ") + table));
  }
  return {};
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return MakeError(ErrorCode::kIo, "cannot open database: " + msg, path);
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  sqlite3_busy_timeout(db, 10000);
  // WAL and synchronous=FULL: a committed batch survives kill -9 and power loss. A 64 MiB page
  // cache and memory-mapped reads keep the person projection of a large register in memory.
  for (const char* pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA synchronous=FULL",
        "PRAGMA cache_size=-65536", "PRAGMA mmap_size=268435456"}) {
    if (auto s = store->Exec(pragma); !s) {
      return tl::unexpected(WithContext(s.error(), path));
    }
  }
  if (auto s = store->Migrate(); !s) return tl::unexpected(WithContext(s.error(), path));
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

int SqliteStore::LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Status SqliteStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return MakeError(ErrorCode::kIo, "database: " + msg);
  }
  return {};
}

Status SqliteStore::Migrate() {
  WB_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, "
           "applied_at TEXT NOT NULL)"));
  {
    Stmt st(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    WB_RETURN_IF_ERROR(st.Ok());
    if (st.Step() != SQLITE_ROW) return tl::unexpected(DbError(db_, "schema version"));
    schema_version_ = static_cast<int>(st.Int(0));
  }
  if (schema_version_ > LatestSchemaVersion()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the database has schema version " + std::to_string(schema_version_) +
                         ", newer than this build knows (" + std::to_string(LatestSchemaVersion()) +
                         "); use a newer whereabouts");
  }
  if (schema_version_ == LatestSchemaVersion()) return {};
  // Table rebuilds need foreign keys off, which SQLite allows only outside a transaction.
  WB_RETURN_IF_ERROR(Exec("PRAGMA foreign_keys=OFF"));
  // person_facts appears in migration 3 and is filled from the events once the schema is current
  // (later migrations change its columns).
  const bool fill_facts = schema_version_ < 3;
  for (int v = schema_version_ + 1; v <= LatestSchemaVersion(); ++v) {
    Transaction tx(db_);
    WB_RETURN_IF_ERROR(tx.Begin());
    WB_RETURN_IF_ERROR(Exec(kMigrations[v - 1]));
    if (v == kChainMigration) WB_RETURN_IF_ERROR(FillChain());
    Stmt st(db_, "INSERT INTO schema_migrations(version, applied_at) VALUES (?1, datetime('now'))");
    WB_RETURN_IF_ERROR(st.Ok());
    st.Bind(1, static_cast<int64_t>(v));
    if (st.Step() != SQLITE_DONE) return tl::unexpected(DbError(db_, "migration"));
    {
      Stmt fk(db_, "PRAGMA foreign_key_check");
      WB_RETURN_IF_ERROR(fk.Ok());
      if (fk.Step() == SQLITE_ROW) {
        return MakeError(ErrorCode::kInternal, "migration " + std::to_string(v) +
                                                   " broke a foreign key in table " + fk.Text(0));
      }
    }
    WB_RETURN_IF_ERROR(tx.Commit());
    schema_version_ = v;
  }
  if (fill_facts) WB_RETURN_IF_ERROR(RebuildProjections());
  return Exec("PRAGMA foreign_keys=ON");
}

Status SqliteStore::RunWrite(const std::function<Status()>& body) {
  if (in_write_) return body();
  Transaction tx(db_);
  WB_RETURN_IF_ERROR(tx.Begin());
  in_write_ = true;
  Status s = body();
  in_write_ = false;
  if (!s) return s;  // tx rolls back
  return tx.Commit();
}

Status SqliteStore::RunRead(const std::function<Status()>& body) {
  if (in_write_ || in_read_) return body();
  // A deferred transaction: in WAL mode its first read fixes the snapshot it sees.
  WB_RETURN_IF_ERROR(Exec("BEGIN DEFERRED"));
  in_read_ = true;
  Status s = body();
  in_read_ = false;
  Status end = Exec("COMMIT");
  if (!s) return s;
  return end;
}

Result<std::vector<Event>> SqliteStore::Append(std::vector<Event> events) {
  Transaction tx(db_);
  if (!in_write_) WB_RETURN_IF_ERROR(tx.Begin());
  Stmt max_id(db_, "SELECT COALESCE(MAX(id), 0) FROM entities WHERE kind = ?1");
  Stmt exists(db_, "SELECT 1 FROM entities WHERE kind = ?1 AND id = ?2");
  Stmt ins_entity(db_, "INSERT INTO entities(kind, id) VALUES (?1, ?2)");
  Stmt ins_event(db_,
                 "INSERT INTO events(kind, entity_id, type, recorded_on, actor, reason, payload) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  ProjectionWriter projections(db_);
  WB_RETURN_IF_ERROR(projections.Ok());
  Stmt current(db_, kSelectPerson + "WHERE person_id = ?1 AND valid_to IS NULL");
  Stmt ins_chain(db_, "INSERT INTO event_chain(seq, hash) VALUES (?1, ?2)");
  for (const Stmt* st : {&max_id, &exists, &ins_entity, &ins_event, &current, &ins_chain}) {
    WB_RETURN_IF_ERROR(st->Ok());
  }
  WB_ASSIGN_OR_RETURN(const registry::ChainHead head, Head(std::nullopt));
  std::string prev_hash = head.hash;
  std::map<EntityKind, int64_t> next;
  std::map<int64_t, Person> persons;  // state of persons touched in this batch
  for (Event& e : events) {
    const std::string kind(registry::EntityKindName(e.kind));
    const std::string where = kind + " " + std::to_string(e.entity_id) + ", " + e.type;
    const bool creation = registry::IsCreationEvent(e.type);
    if (creation && e.entity_id == 0) {
      auto it = next.find(e.kind);
      if (it == next.end()) {
        max_id.Bind(1, kind);
        if (max_id.Step() != SQLITE_ROW) return tl::unexpected(DbError(db_, "next id"));
        it = next.emplace(e.kind, max_id.Int(0) + 1).first;
        max_id.Reset();
      }
      e.entity_id = it->second++;
    }
    if (creation) {
      ins_entity.Bind(1, kind);
      ins_entity.Bind(2, e.entity_id);
      if (ins_entity.Step() != SQLITE_DONE) {
        return tl::unexpected(DbError(db_, kind + " " + std::to_string(e.entity_id)));
      }
      ins_entity.Reset();
      if (auto it = next.find(e.kind); it != next.end()) {
        it->second = std::max(it->second, e.entity_id + 1);
      }
    }
    ins_event.Bind(1, kind);
    ins_event.Bind(2, e.entity_id);
    ins_event.Bind(3, e.type);
    ins_event.Bind(4, e.recorded_on.ToString());
    ins_event.Bind(5, e.actor);
    ins_event.Bind(6, e.reason);
    ins_event.Bind(7, PayloadToJson(e.payload));
    if (ins_event.Step() != SQLITE_DONE) {
      Error err = DbError(db_, where);
      if (err.code == ErrorCode::kNotFound)
        err.message = "no " + kind + " " + std::to_string(e.entity_id);
      return tl::unexpected(err);
    }
    ins_event.Reset();
    e.seq = sqlite3_last_insert_rowid(db_);
    e.hash = registry::ChainHash(prev_hash, e);
    prev_hash = e.hash;
    ins_chain.Bind(1, e.seq);
    ins_chain.Bind(2, e.hash);
    if (ins_chain.Step() != SQLITE_DONE) return tl::unexpected(DbError(db_, where + ": chain"));
    ins_chain.Reset();
    if (e.kind != EntityKind::kPerson) continue;

    std::optional<Person> cur;
    if (auto it = persons.find(e.entity_id); it != persons.end()) {
      cur = it->second;
    } else if (!creation) {
      current.Bind(1, e.entity_id);
      if (current.Step() == SQLITE_ROW) {
        WB_ASSIGN_OR_RETURN(cur, ReadPersonColumns(current));
      }
      current.Reset();
    }
    WB_ASSIGN_OR_RETURN(Person p, registry::ApplyPersonEvent(cur, e));
    WB_RETURN_IF_ERROR(projections.Write(e, p, cur.has_value(), where));
    persons[e.entity_id] = std::move(p);
  }
  if (!in_write_) WB_RETURN_IF_ERROR(tx.Commit());
  return events;
}

Result<std::vector<Person>> SqliteStore::Persons(const registry::AsOf& as_of) {
  Stmt st(db_, kSelectPerson + "WHERE " + AsOfClause(as_of) + " ORDER BY person_id");
  WB_RETURN_IF_ERROR(st.Ok());
  if (as_of) st.Bind(1, static_cast<int64_t>(as_of->days));
  std::vector<Person> out;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) {
    WB_ASSIGN_OR_RETURN(Person p, ReadPersonColumns(st));
    out.push_back(std::move(p));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading persons"));
  return out;
}

Result<std::vector<Person>> SqliteStore::PersonsForFigures(const registry::AsOf& as_of) {
  std::vector<Person> out;
  WB_RETURN_IF_ERROR(VisitPersonsForFigures(as_of, [&](const Person& p) { out.push_back(p); }));
  return out;
}

Status SqliteStore::VisitPersonsForFigures(const registry::AsOf& as_of,
                                           const std::function<void(const Person&)>& visit) {
  Stmt st(db_, std::string("SELECT person_id, ") + kFactColumns + " FROM person_facts WHERE " +
                   AsOfClause(as_of) + " ORDER BY person_id");
  WB_RETURN_IF_ERROR(st.Ok());
  if (as_of) st.Bind(1, static_cast<int64_t>(as_of->days));
  Person p;  // reused: every field figures read is set on every row
  using registry::CaseStatus;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) {
    WB_RETURN_IF_ERROR(ReadFactColumns(st, p));
    visit(p);
  }
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading persons"));
  return {};
}

Status SqliteStore::VisitPersons(const registry::AsOf& as_of, int64_t after_id,
                                 const std::function<bool(const Person&)>& visit) {
  Stmt st(db_,
          kSelectPerson + "WHERE " + AsOfClause(as_of) + " AND person_id > ?2 ORDER BY person_id");
  WB_RETURN_IF_ERROR(st.Ok());
  if (as_of) st.Bind(1, static_cast<int64_t>(as_of->days));
  st.Bind(2, after_id);
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) {
    WB_ASSIGN_OR_RETURN(Person p, ReadPersonColumns(st));
    if (!visit(p)) return {};
  }
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading persons"));
  return {};
}

Result<std::optional<Person>> SqliteStore::FindPerson(registry::PersonId id,
                                                      const registry::AsOf& as_of) {
  Stmt st(db_, kSelectPerson + "WHERE " + AsOfClause(as_of) + " AND person_id = ?2");
  WB_RETURN_IF_ERROR(st.Ok());
  if (as_of) st.Bind(1, static_cast<int64_t>(as_of->days));
  st.Bind(2, id.value);
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<Person>{};
  if (rc != SQLITE_ROW) return tl::unexpected(DbError(db_, "reading person"));
  WB_ASSIGN_OR_RETURN(Person p, ReadPersonColumns(st));
  return std::optional<Person>(std::move(p));
}

Result<std::vector<Event>> SqliteStore::Events(const registry::EventQuery& q) {
  std::string sql =
      "SELECT e.seq, kind, entity_id, type, recorded_on, actor, reason, payload, "
      "COALESCE(c.hash, '') FROM events e LEFT JOIN event_chain c ON c.seq = e.seq WHERE 1";
  if (q.as_of) sql += " AND recorded_on <= ?1";
  const bool by_seq = q.from_seq && q.to_seq;
  if (q.payload_equals) {
    // The path is written into the statement (so that the expression indexes of migration 5 on
    // "person" and "individual" apply); keys are names of the code, checked to be plain words.
    const std::string& key = q.payload_equals->first;
    if (key.empty() || key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "not a payload key: '" + key + "'");
    }
    sql += " AND json_extract(payload, '$.\"" + key + "\"') = ?7";
  }
  if (by_seq) {
    sql += " AND e.seq BETWEEN ?4 AND ?5";
  } else if (q.kind) {
    sql += " AND kind = ?2";
    if (q.entity_id) sql += " AND entity_id = ?3";
  } else {
    // Listing the kinds (rather than excluding some) lets SQLite use events_by_entity instead of
    // scanning every person and relative event.
    sql += " AND kind IN ('site', 'hazard', 'remains', 'list', 'incident', 'source'";
    if (q.include_persons) sql += ", 'person'";
    if (q.include_relatives) sql += ", 'relative'";
    sql += ")";
  }
  sql += " ORDER BY e.seq";
  Stmt st(db_, sql);
  WB_RETURN_IF_ERROR(st.Ok());
  if (q.as_of) st.Bind(1, q.as_of->ToString());
  if (q.payload_equals) st.Bind(7, q.payload_equals->second);
  if (by_seq) {
    st.Bind(4, *q.from_seq);
    st.Bind(5, *q.to_seq);
  } else {
    if (q.kind) st.Bind(2, registry::EntityKindName(*q.kind));
    if (q.kind && q.entity_id) st.Bind(3, *q.entity_id);
  }
  std::vector<Event> out;
  int rc = 0;
  while ((rc = st.Step()) == SQLITE_ROW) {
    Event e;
    e.seq = st.Int(0);
    WB_ASSIGN_OR_RETURN(e.kind, registry::ParseEntityKind(st.Text(1)));
    e.entity_id = st.Int(2);
    e.type = st.Text(3);
    WB_ASSIGN_OR_RETURN(e.recorded_on, Date::Parse(st.Text(4)));
    e.actor = st.Text(5);
    e.reason = st.Text(6);
    WB_ASSIGN_OR_RETURN(e.payload, PayloadFromJson(st.Text(7)));
    e.hash = st.Text(8);
    out.push_back(std::move(e));
  }
  if (rc != SQLITE_DONE) return tl::unexpected(DbError(db_, "reading events"));
  return out;
}

Result<int64_t> SqliteStore::NextId(EntityKind kind) {
  Stmt st(db_, "SELECT COALESCE(MAX(id), 0) + 1 FROM entities WHERE kind = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, registry::EntityKindName(kind));
  if (st.Step() != SQLITE_ROW) return tl::unexpected(DbError(db_, "next id"));
  return st.Int(0);
}

Result<registry::ChainHead> SqliteStore::Head(const registry::AsOf& as_of) {
  std::string sql =
      "SELECT e.seq, e.recorded_on, COALESCE(c.hash, '') FROM events e "
      "LEFT JOIN event_chain c ON c.seq = e.seq";
  if (as_of) sql += " WHERE e.recorded_on <= ?1";
  sql += " ORDER BY e.seq DESC LIMIT 1";
  Stmt st(db_, sql);
  WB_RETURN_IF_ERROR(st.Ok());
  if (as_of) st.Bind(1, as_of->ToString());
  registry::ChainHead head;
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return head;
  if (rc != SQLITE_ROW) return tl::unexpected(DbError(db_, "reading the last event"));
  head.seq = st.Int(0);
  WB_ASSIGN_OR_RETURN(head.recorded_on, Date::Parse(st.Text(1)));
  head.hash = st.Text(2);
  return head;
}

Result<int64_t> SqliteStore::EntityVersion(EntityKind kind, int64_t id) {
  Stmt st(db_, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE kind = ?1 AND entity_id = ?2");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, registry::EntityKindName(kind));
  st.Bind(2, id);
  if (st.Step() != SQLITE_ROW) return tl::unexpected(DbError(db_, "reading a version"));
  return st.Int(0);
}

Result<std::optional<registry::IdempotentWrite>> SqliteStore::FindIdempotencyKey(
    const std::string& key) {
  Stmt st(db_, "SELECT first_seq, last_seq FROM idempotency_keys WHERE key = ?1");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, key);
  const int rc = st.Step();
  if (rc == SQLITE_DONE) return std::optional<registry::IdempotentWrite>{};
  if (rc != SQLITE_ROW) return tl::unexpected(DbError(db_, "reading an idempotency key"));
  return std::optional<registry::IdempotentWrite>(registry::IdempotentWrite{st.Int(0), st.Int(1)});
}

Status SqliteStore::RememberIdempotencyKey(const std::string& key,
                                           const registry::IdempotentWrite& w) {
  Stmt st(db_, "INSERT INTO idempotency_keys(key, first_seq, last_seq) VALUES (?1, ?2, ?3)");
  WB_RETURN_IF_ERROR(st.Ok());
  st.Bind(1, key);
  st.Bind(2, w.first_seq);
  st.Bind(3, w.last_seq);
  if (st.Step() != SQLITE_DONE) return tl::unexpected(DbError(db_, "idempotency key " + key));
  return {};
}

Status SqliteStore::FillChain() {
  registry::EventQuery q;
  q.include_persons = true;
  q.include_relatives = true;
  WB_ASSIGN_OR_RETURN(auto events, Events(q));
  Stmt ins(db_, "INSERT INTO event_chain(seq, hash) VALUES (?1, ?2)");
  WB_RETURN_IF_ERROR(ins.Ok());
  std::string prev;
  for (const Event& e : events) {
    prev = registry::ChainHash(prev, e);
    ins.Bind(1, e.seq);
    ins.Bind(2, prev);
    if (ins.Step() != SQLITE_DONE) return tl::unexpected(DbError(db_, "filling the event chain"));
    ins.Reset();
  }
  return {};
}

Status SqliteStore::RebuildProjections() {
  Transaction tx(db_);
  WB_RETURN_IF_ERROR(tx.Begin());
  WB_RETURN_IF_ERROR(Exec("DELETE FROM person_versions"));
  WB_RETURN_IF_ERROR(Exec("DELETE FROM person_facts"));
  registry::EventQuery q;
  q.kind = EntityKind::kPerson;
  WB_ASSIGN_OR_RETURN(auto events, Events(q));
  ProjectionWriter projections(db_);
  WB_RETURN_IF_ERROR(projections.Ok());
  std::map<int64_t, Person> state;
  for (const Event& e : events) {
    std::optional<Person> cur;
    if (auto it = state.find(e.entity_id); it != state.end()) cur = it->second;
    WB_ASSIGN_OR_RETURN(Person p, registry::ApplyPersonEvent(cur, e));
    WB_RETURN_IF_ERROR(projections.Write(e, p, cur.has_value(), "rebuild"));
    state[e.entity_id] = std::move(p);
  }
  return tx.Commit();
}

Status SqliteStore::CheckIntegrity() {
  {
    Stmt st(db_, "PRAGMA integrity_check");
    WB_RETURN_IF_ERROR(st.Ok());
    if (st.Step() != SQLITE_ROW || st.Text(0) != "ok") {
      return MakeError(ErrorCode::kInternal, "integrity check failed: " + st.Text(0), path_);
    }
  }
  Stmt fk(db_, "PRAGMA foreign_key_check");
  WB_RETURN_IF_ERROR(fk.Ok());
  if (fk.Step() == SQLITE_ROW) {
    return MakeError(ErrorCode::kInternal, "foreign key check failed in table " + fk.Text(0),
                     path_);
  }
  return {};
}

}  // namespace whereabouts::store
