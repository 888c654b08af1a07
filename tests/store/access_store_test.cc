// The access stores on real databases (SQLite file, PostgreSQL): what they keep (secrets only as
// hashes), that a register write and its audit record commit together, that the database refuses
// to change the audit trail, and that VerifyAudit reports each kind of tampering done behind the
// program's back (triggers dropped, then a record edited, deleted, forged, swapped, or the
// register's event it names edited).
#include "store/access_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "app/accounts.h"
#include "app/audit.h"
#include "registry/sha256.h"
#include "registry/test_util.h"
#include "store/pg_test_util.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace whereabouts::store {
namespace {

using registry::testing::PersonEv;

class FakeAccessClock final : public app::AccessClock {
 public:
  int64_t NowSeconds() override { return now++; }
  int64_t now = 1'700'000'000;
};

// One backend: opens the register, runs SQL behind the program's back.
class Backend {
 public:
  virtual ~Backend() = default;
  [[nodiscard]] virtual Result<std::unique_ptr<registry::RegistryStore>> Open() = 0;
  // Runs `sql` directly on the database (the stores are closed meanwhile); false on failure.
  virtual bool Tamper(const std::string& sql) = 0;
  [[nodiscard]] virtual std::string Error() const = 0;
  // Drops the triggers that keep the audit trail and the history append-only.
  virtual bool DropTriggers() = 0;
};

class SqliteBackend final : public Backend {
 public:
  Result<std::unique_ptr<registry::RegistryStore>> Open() override {
    WB_ASSIGN_OR_RETURN(auto s, SqliteStore::Open(path_));
    return std::unique_ptr<registry::RegistryStore>(std::move(s));
  }
  bool Tamper(const std::string& sql) override {
    sqlite3* db = nullptr;
    if (sqlite3_open(path_.c_str(), &db) != SQLITE_OK) return false;
    char* err = nullptr;
    const bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK;
    error_ = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    return ok;
  }
  std::string Error() const override { return error_; }
  bool DropTriggers() override {
    return Tamper(
        "DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete; "
        "DROP INDEX audit_by_seq; DROP TRIGGER events_append_only_update;");
  }
  std::string File() const { return path_; }

 private:
  testing::TempDir dir_;
  std::string path_ = dir_.File("register.db");
  std::string error_;
};

class PgBackend final : public Backend {
 public:
  explicit PgBackend(const std::string& uri) : schema_(uri) {}
  bool ok() const { return schema_.ok(); }
  Result<std::unique_ptr<registry::RegistryStore>> Open() override {
    WB_ASSIGN_OR_RETURN(auto s, PostgresStore::Open(schema_.uri()));
    return std::unique_ptr<registry::RegistryStore>(std::move(s));
  }
  bool Tamper(const std::string& sql) override {
    return schema_.Exec("SET search_path TO " + schema_.name() + "; " + sql);
  }
  std::string Error() const override { return schema_.error(); }
  bool DropTriggers() override {
    return Tamper(
        "DROP TRIGGER audit_append_only_row ON audit; DROP INDEX audit_by_seq; "
        "DROP TRIGGER events_append_only_row ON events;");
  }

 private:
  testing::PgSchema schema_;
};

class AccessStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      backend_ = std::make_unique<SqliteBackend>();
    } else {
      const auto uri = testing::PgTestUri();
      if (!uri) GTEST_SKIP() << testing::kNoPostgres;
      auto pg = std::make_unique<PgBackend>(*uri);
      ASSERT_TRUE(pg->ok()) << pg->Error();
      backend_ = std::move(pg);
    }
    Reopen();
  }
  void Reopen() {
    access_.reset();
    store_.reset();
    auto s = backend_->Open();
    ASSERT_TRUE(s) << s.error().ToString();
    store_ = std::move(*s);
    auto a = OpenAccessStore(*store_);
    ASSERT_TRUE(a) << a.error().ToString();
    access_ = std::move(*a);
  }
  void Close() {
    access_.reset();
    store_.reset();
  }
  app::AccessContext ctx() { return {*access_, *store_, clock_}; }

  // Person i's registration, then audit record i naming it (i = 1, 2, 3); records 4 and 5 name
  // event 3 too.
  void Fill() {
    for (int i = 1; i <= 5; ++i) {
      if (i <= 3) {
        ASSERT_TRUE(store_->Append({PersonEv(0, "person.registered", "2024-01-01",
                                             {{"family_name", "F" + std::to_string(i)}})}));
      }
      auto r = app::AppendAudit(
          ctx(), {"ana", "person.add", "person " + std::to_string(i), "10.0.0.1", "ok"});
      ASSERT_TRUE(r) << r.error().ToString();
      EXPECT_EQ(r->event_seq, std::min(i, 3));
    }
  }
  app::AuditCheck Verify() {
    Reopen();
    auto c = app::VerifyAudit(ctx());
    EXPECT_TRUE(c) << c.error().ToString();
    return c ? *c : app::AuditCheck{};
  }
  // Drops the triggers and runs `sql` on a closed database.
  void TamperWith(const std::string& sql) {
    Close();
    ASSERT_TRUE(backend_->DropTriggers()) << backend_->Error();
    ASSERT_TRUE(backend_->Tamper(sql)) << backend_->Error() << "\n" << sql;
  }

  std::unique_ptr<Backend> backend_;
  std::unique_ptr<registry::RegistryStore> store_;
  std::unique_ptr<app::AccessStore> access_;
  FakeAccessClock clock_;
};

TEST_P(AccessStoreTest, AccountsTokensSessionsAndRestrictionsRoundTrip) {
  app::Account a;
  a.name = "ana";
  a.role = app::Role::kDnaAnalyst;
  a.password_hash = "$argon2id$fake";
  a.created_at = 17;
  auto id = access_->InsertAccount(a);
  ASSERT_TRUE(id) << id.error().ToString();
  EXPECT_EQ(access_->InsertAccount(a).error().code, ErrorCode::kAlreadyExists);
  a.id = *id;
  a.failed_logins = 2;
  a.locked_until = 99;
  a.disabled = true;
  ASSERT_TRUE(access_->UpdateAccount(a));
  auto back = access_->FindAccount("ana");
  ASSERT_TRUE(back && *back);
  EXPECT_EQ((*back)->id, *id);
  EXPECT_EQ((*back)->role, app::Role::kDnaAnalyst);
  EXPECT_TRUE((*back)->disabled);
  EXPECT_EQ((*back)->failed_logins, 2);
  EXPECT_EQ((*back)->locked_until, 99);
  EXPECT_EQ((*back)->created_at, 17);
  EXPECT_TRUE(*access_->FindAccountById(*id));
  EXPECT_FALSE(*access_->FindAccountById(*id + 1));
  app::Account ghost = a;
  ghost.id = 999;
  EXPECT_EQ(access_->UpdateAccount(ghost).error().code, ErrorCode::kNotFound);

  app::SessionRecord s{std::string(64, 'a'), *id, 10, 11, std::string(64, 'c'), "10.0.0.1"};
  ASSERT_TRUE(access_->PutSession(s));
  ASSERT_TRUE(access_->TouchSession(s.id_hash, 20));
  auto found = access_->FindSession(s.id_hash);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->last_seen_at, 20);
  EXPECT_EQ((*found)->address, "10.0.0.1");
  ASSERT_TRUE(access_->DeleteSessionsOf(*id));
  EXPECT_FALSE(*access_->FindSession(s.id_hash));

  app::ApiTokenRecord t;
  t.account = *id;
  t.name = "upload";
  t.token_hash = std::string(64, 'b');
  t.scopes = {app::Permission::kReadGenetic, app::Permission::kReadPersons};
  auto tid = access_->InsertToken(t);
  ASSERT_TRUE(tid) << tid.error().ToString();
  ASSERT_TRUE(access_->RevokeToken(*tid));
  EXPECT_EQ(access_->RevokeToken(*tid + 5).error().code, ErrorCode::kNotFound);
  auto tok = access_->FindToken(t.token_hash);
  ASSERT_TRUE(tok && *tok);
  EXPECT_EQ((*tok)->scopes, t.scopes);
  EXPECT_TRUE((*tok)->revoked);

  ASSERT_TRUE(
      store_->Append({PersonEv(0, "person.registered", "2024-01-01", {{"family_name", "F"}})}));
  ASSERT_TRUE(access_->SetRestriction(1, {"ana"}));
  EXPECT_EQ(**access_->Restriction(1), std::vector<std::string>{"ana"});
  EXPECT_EQ(*access_->RestrictedPersons(), std::vector<int64_t>{1});
  EXPECT_EQ(access_->SetRestriction(2, {"ana"}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(access_->SetRestriction(1, {"nobody"}).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(access_->Restriction(1)->has_value());  // the failed change rolled back
  ASSERT_TRUE(access_->SetRestriction(1, {}));
  EXPECT_FALSE(access_->Restriction(1)->has_value());
}

TEST_P(AccessStoreTest, SecretsAreHashedAtRestAndTheTrailVerifies) {
  auto added = app::AddAccount(
      ctx(), {{"admin", "cli"}, "ana", app::Role::kDnaAnalyst, "correct horse battery"});
  ASSERT_TRUE(added) << added.error().ToString();
  auto session = app::Login(ctx(), {}, {"ana", "correct horse battery", "10.0.0.1", ""});
  ASSERT_TRUE(session) << session.error().ToString();
  auto token =
      app::CreateApiToken(ctx(), {"admin", "cli"}, "ana", "lab", {app::Permission::kReadGenetic});
  ASSERT_TRUE(token) << token.error().ToString();
  ASSERT_TRUE(app::AuthenticateToken(ctx(), token->secret));
  ASSERT_TRUE(app::AuthenticateSession(ctx(), {}, session->session_id));
  Reopen();
  ASSERT_TRUE(app::AuthenticateToken(ctx(), token->secret));
  auto check = app::VerifyAudit(ctx());
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok) << check->problem;
  EXPECT_EQ(check->records, 3);  // account.add, login, token.add
  if (auto* sqlite = dynamic_cast<SqliteBackend*>(backend_.get())) {
    Close();
    std::ifstream in(sqlite->File(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::ifstream wal(sqlite->File() + "-wal", std::ios::binary);
    bytes << wal.rdbuf();
    const std::string all = bytes.str();
    for (const std::string& secret : {token->secret, session->session_id, session->csrf_token,
                                      std::string("correct horse battery")}) {
      EXPECT_EQ(all.find(secret), std::string::npos) << "a secret is in the database file";
    }
    EXPECT_NE(all.find(registry::Sha256Hex(token->secret)), std::string::npos);
  }
}

TEST_P(AccessStoreTest, AuditRecordCommitsAndRollsBackWithTheRegisterWrite) {
  auto failed = store_->RunWrite([&]() -> Status {
    WB_RETURN_IF_ERROR(
        store_->Append({PersonEv(0, "person.registered", "2024-01-01", {{"family_name", "F"}})}));
    WB_RETURN_IF_ERROR(app::AppendAudit(ctx(), {"ana", "person.add", "person 1", "x", "ok"}));
    return MakeError(ErrorCode::kFailedPrecondition, "refused");
  });
  ASSERT_FALSE(failed);
  EXPECT_FALSE(*access_->LastAudit());
  EXPECT_EQ(store_->Head(std::nullopt)->seq, 0);
  ASSERT_TRUE(store_->RunWrite([&]() -> Status {
    WB_RETURN_IF_ERROR(
        store_->Append({PersonEv(0, "person.registered", "2024-01-01", {{"family_name", "F"}})}));
    return app::AppendAudit(ctx(), {"ana", "person.add", "person 1", "x", "ok"})
        .map([](const app::AuditRecord&) {});
  }));
  auto last = access_->LastAudit();
  ASSERT_TRUE(last && *last);
  EXPECT_EQ((*last)->event_seq, 1);
}

TEST_P(AccessStoreTest, DatabaseRefusesToChangeTheTrail) {
  Fill();
  Close();
  EXPECT_FALSE(backend_->Tamper("UPDATE audit SET actor = 'x' WHERE seq = 1"));
  EXPECT_NE(backend_->Error().find("append-only"), std::string::npos) << backend_->Error();
  EXPECT_FALSE(backend_->Tamper("DELETE FROM audit WHERE seq = 1"));
  EXPECT_NE(backend_->Error().find("append-only"), std::string::npos) << backend_->Error();
  auto c = Verify();
  EXPECT_TRUE(c.ok) << c.problem;
  EXPECT_EQ(c.records, 5);
  // Paging: from seq 2, two records.
  auto page = app::ListAudit(*access_, 2, 2);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 2);
  EXPECT_EQ((*page)[1].seq, 3);
  EXPECT_FALSE(app::ListAudit(*access_, 1, 0));
  EXPECT_FALSE(app::ListAudit(*access_, 0, 10));
}

TEST_P(AccessStoreTest, VerifyFindsAnEditedRecord) {
  Fill();
  TamperWith("UPDATE audit SET outcome = '200 fine' WHERE seq = 3");
  const auto c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 3);
  EXPECT_EQ(c.problem, "record 3 was edited");
}

TEST_P(AccessStoreTest, VerifyFindsADeletedRecord) {
  Fill();
  TamperWith("DELETE FROM audit WHERE seq = 3");
  const auto c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 3);
  EXPECT_EQ(c.problem, "record 3 is missing (deleted)");
}

TEST_P(AccessStoreTest, VerifyFindsAForgedRecordWithAValidHash) {
  Fill();
  auto records = access_->AuditRecords(1, 0);
  ASSERT_TRUE(records);
  app::AuditRecord forged = (*records)[1];  // seq 2, re-hashed by someone who read the code
  forged.actor = "mallory";
  forged.hash = app::AuditHash(forged);
  TamperWith(
      "INSERT INTO audit(seq, at, actor, action, records, address, outcome, event_seq, "
      "event_hash, prev_hash, hash) VALUES (2, " +
      std::to_string(forged.at) + ", 'mallory', 'person.add', 'person 2', '10.0.0.1', 'ok', " +
      std::to_string(forged.event_seq) + ", '" + forged.event_hash + "', '" + forged.prev_hash +
      "', '" + forged.hash + "')");
  const auto c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 2);
  EXPECT_EQ(c.problem, "record 2 was inserted or moved");
}

TEST_P(AccessStoreTest, VerifyFindsSwappedRecords) {
  Fill();
  TamperWith(
      "UPDATE audit SET position = -position WHERE seq IN (2, 3); "
      "UPDATE audit SET position = -position + 1 WHERE seq = 2; "
      "UPDATE audit SET position = -position - 1 WHERE seq = 3;");
  const auto c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 3);
  EXPECT_EQ(c.problem, "record 3 was inserted or moved");
}

TEST_P(AccessStoreTest, VerifyFindsAnEditedRegisterEvent) {
  Fill();
  TamperWith("UPDATE events SET reason = 'rewritten' WHERE seq = 3");
  const auto c = Verify();
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.first_bad, 3);
  EXPECT_EQ(c.problem, "record 3 names event 3, whose chain hash differs from the register's");
}

INSTANTIATE_TEST_SUITE_P(Stores, AccessStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace whereabouts::store
