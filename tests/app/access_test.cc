// Accounts, sessions, API tokens, restricted cases and the audit trail (app/accounts.h,
// app/audit.h) on the in-memory stores with a fake clock.
#include <gtest/gtest.h>

#include "app/accounts.h"
#include "app/audit.h"
#include "app/persons.h"
#include "app_test_util.h"
#include "registry/sha256.h"
#include "store/memory_access_store.h"

namespace whereabouts::app {
namespace {

class FakeAccessClock final : public AccessClock {
 public:
  int64_t NowSeconds() override { return now; }
  int64_t now = 1'700'000'000;
};

constexpr const char* kPassword = "correct horse battery";

class AccessTest : public testing::AppTest {
 protected:
  AccessContext ctx() { return {access_, store_, clock_s_}; }
  Origin Admin() { return {"admin", "cli"}; }

  Account Add(const std::string& name, Role role, const std::string& password = kPassword) {
    auto a = AddAccount(ctx(), {Admin(), name, role, password});
    EXPECT_TRUE(a) << a.error().ToString();
    return a ? *a : Account{};
  }
  Result<NewSession> SignIn(const std::string& name, const std::string& password = kPassword,
                            const std::string& previous = "") {
    return Login(ctx(), policy_, {name, password, "10.0.0.1", previous});
  }
  int64_t RegisterPerson(const std::string& family) {
    PersonDetails d;
    d.family_name = family;
    d.sex = registry::Sex::kMale;
    d.birth_date = testing::D("1970-02-02");
    auto r = app::RegisterPerson(registry_, {Meta(), d});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? r->id : 0;
  }
  std::vector<AuditRecord> Trail() {
    auto r = access_.AuditRecords(1, 0);
    EXPECT_TRUE(r);
    return r ? *r : std::vector<AuditRecord>{};
  }

  store::MemoryAccessStore access_{&store_};
  FakeAccessClock clock_s_;
  SessionPolicy policy_;
};

TEST_F(AccessTest, NamesAndPasswordsAreChecked) {
  EXPECT_TRUE(CheckAccountName("ana.b-1_x"));
  EXPECT_FALSE(CheckAccountName(""));
  EXPECT_FALSE(CheckAccountName("Ana"));
  EXPECT_FALSE(CheckAccountName(std::string(65, 'a')));
  EXPECT_FALSE(CheckPassword("short"));
  EXPECT_TRUE(CheckPassword("twelve chars"));
  EXPECT_FALSE(CheckPassword(std::string(1025, 'x')));
  auto dup = AddAccount(ctx(), {Admin(), "ana", Role::kCaseOfficer, kPassword});
  ASSERT_TRUE(dup);
  auto again = AddAccount(ctx(), {Admin(), "ana", Role::kAuditor, kPassword});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kAlreadyExists);
}

TEST_F(AccessTest, PasswordIsStoredAsAnArgon2idHashThatVerifies) {
  const Account a = Add("ana", Role::kCaseOfficer);
  auto stored = access_.FindAccount("ana");
  ASSERT_TRUE(stored && *stored);
  EXPECT_NE((*stored)->password_hash, kPassword);
  EXPECT_EQ((*stored)->password_hash.find(kPassword), std::string::npos);
  EXPECT_EQ((*stored)->password_hash.rfind("$argon2id$", 0), 0u) << (*stored)->password_hash;
  EXPECT_TRUE(SignIn("ana"));
  auto wrong = SignIn("ana", "correct horse battery!");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, "wrong name or password");
  auto unknown = SignIn("nobody");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "wrong name or password");
}

TEST_F(AccessTest, EverySignInIsAuditedWithTheAccountUpdate) {
  Add("ana", Role::kCaseOfficer);
  ASSERT_TRUE(SignIn("ana"));
  ASSERT_FALSE(SignIn("ana", "wrong password here"));
  const auto trail = Trail();
  ASSERT_EQ(trail.size(), 3u);
  EXPECT_EQ(trail[0].action, "account.add");
  EXPECT_EQ(trail[1].action, "login");
  EXPECT_EQ(trail[1].records, "account ana");
  EXPECT_EQ(trail[1].address, "10.0.0.1");
  EXPECT_EQ(trail[1].outcome, "ok");
  EXPECT_EQ(trail[2].action, "login.failed");
  EXPECT_EQ(trail[2].outcome, "401 wrong name or password");
  auto a = access_.FindAccount("ana");
  EXPECT_EQ((*a)->failed_logins, 1);
}

TEST_F(AccessTest, LockoutAfterFailuresDoublesAndCaps) {
  policy_.failures_before_lockout = 3;
  policy_.lockout_seconds = 60;
  policy_.max_lockout_seconds = 150;
  Add("ana", Role::kCaseOfficer);
  for (int i = 0; i < 2; ++i) {
    auto r = SignIn("ana", "wrong password here");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnauthenticated);
  }
  EXPECT_EQ((*access_.FindAccount("ana"))->locked_until, 0);
  ASSERT_FALSE(SignIn("ana", "wrong password here"));  // the third: locked for 60 s
  EXPECT_EQ((*access_.FindAccount("ana"))->locked_until, clock_s_.now + 60);
  // While locked even the right password is refused, and not checked (no failure counted).
  auto locked = SignIn("ana");
  ASSERT_FALSE(locked);
  EXPECT_EQ(locked.error().code, ErrorCode::kTooManyRequests);
  EXPECT_EQ(locked.error().message, "too many failed sign-ins; try again in 60 seconds");
  EXPECT_EQ((*access_.FindAccount("ana"))->failed_logins, 3);
  EXPECT_EQ(Trail().back().outcome.rfind("429 ", 0), 0u);
  // After it, a further failure doubles the lockout (120 s), the next is capped at 150 s.
  clock_s_.now += 61;
  ASSERT_FALSE(SignIn("ana", "wrong password here"));
  EXPECT_EQ((*access_.FindAccount("ana"))->locked_until, clock_s_.now + 120);
  clock_s_.now += 121;
  ASSERT_FALSE(SignIn("ana", "wrong password here"));
  EXPECT_EQ((*access_.FindAccount("ana"))->locked_until, clock_s_.now + 150);
  clock_s_.now += 151;
  auto ok = SignIn("ana");
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ((*access_.FindAccount("ana"))->failed_logins, 0);
  EXPECT_EQ((*access_.FindAccount("ana"))->locked_until, 0);
}

TEST_F(AccessTest, SetPasswordClearsALockoutAndEndsSessions) {
  policy_.failures_before_lockout = 1;
  Add("ana", Role::kCaseOfficer);
  auto s = SignIn("ana");
  ASSERT_TRUE(s);
  ASSERT_FALSE(SignIn("ana", "wrong password here"));
  ASSERT_TRUE(SetPassword(ctx(), Admin(), "ana", "another long password"));
  EXPECT_FALSE(AuthenticateSession(ctx(), policy_, s->session_id));
  EXPECT_TRUE(SignIn("ana", "another long password"));  // the lockout is gone
  EXPECT_FALSE(SignIn("ana"));                          // the old password is
  EXPECT_EQ(SetPassword(ctx(), Admin(), "nobody", "another long password").error().code,
            ErrorCode::kNotFound);
}

TEST_F(AccessTest, DisabledAccountCannotSignInOrUseItsSessionsOrTokens) {
  Add("ana", Role::kCaseOfficer);
  auto s = SignIn("ana");
  ASSERT_TRUE(s);
  auto t = CreateApiToken(ctx(), Admin(), "ana", "script", {Permission::kReadPersons});
  ASSERT_TRUE(t);
  ASSERT_TRUE(DisableAccount(ctx(), Admin(), "ana"));
  auto r = SignIn("ana");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "wrong name or password");
  EXPECT_FALSE(AuthenticateSession(ctx(), policy_, s->session_id));
  EXPECT_FALSE(AuthenticateToken(ctx(), t->secret));
  EXPECT_EQ(DisableAccount(ctx(), Admin(), "nobody").error().code, ErrorCode::kNotFound);
}

TEST_F(AccessTest, SessionIdIsStoredHashedAndTheOldOneIsDeletedAtSignIn) {
  Add("ana", Role::kDnaAnalyst);
  auto first = SignIn("ana");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->session_id.size(), 64u);
  EXPECT_EQ(first->principal.name, "ana");
  EXPECT_EQ(first->principal.role, Role::kDnaAnalyst);
  EXPECT_EQ(first->expires_at, clock_s_.now + policy_.absolute_seconds);
  ASSERT_EQ(access_.Sessions().size(), 1u);
  EXPECT_EQ(access_.Sessions().begin()->first, registry::Sha256Hex(first->session_id));
  EXPECT_EQ(access_.Sessions().begin()->second.csrf_token.find(first->csrf_token),
            std::string::npos);
  auto second = SignIn("ana", kPassword, first->session_id);
  ASSERT_TRUE(second);
  EXPECT_NE(second->session_id, first->session_id);
  EXPECT_EQ(access_.Sessions().size(), 1u);
  auto old = AuthenticateSession(ctx(), policy_, first->session_id);
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().message, "no session");
  auto now = AuthenticateSession(ctx(), policy_, second->session_id);
  ASSERT_TRUE(now) << now.error().ToString();
  EXPECT_EQ(now->principal.name, "ana");
  EXPECT_TRUE(now->principal.scopes.empty());
}

TEST_F(AccessTest, SessionsExpireWhenIdleAndAbsolutely) {
  policy_.idle_seconds = 100;
  policy_.absolute_seconds = 250;
  policy_.touch_interval_seconds = 10;
  Add("ana", Role::kCaseOfficer);
  auto s = SignIn("ana");
  ASSERT_TRUE(s);
  const std::string hash = registry::Sha256Hex(s->session_id);
  // Within the touch interval a read writes nothing.
  clock_s_.now += 5;
  ASSERT_TRUE(AuthenticateSession(ctx(), policy_, s->session_id));
  EXPECT_EQ(access_.Sessions().at(hash).last_seen_at, clock_s_.now - 5);
  // After it, last_seen_at moves.
  clock_s_.now += 90;
  ASSERT_TRUE(AuthenticateSession(ctx(), policy_, s->session_id));
  EXPECT_EQ(access_.Sessions().at(hash).last_seen_at, clock_s_.now);
  clock_s_.now += 99;
  ASSERT_TRUE(AuthenticateSession(ctx(), policy_, s->session_id));  // 194 s since sign-in
  clock_s_.now += 99;                                               // 293 s: past absolute
  auto expired = AuthenticateSession(ctx(), policy_, s->session_id);
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().message, "session expired");
  EXPECT_TRUE(access_.Sessions().empty());
  // Idle expiry.
  auto t = SignIn("ana");
  ASSERT_TRUE(t);
  clock_s_.now += 100;
  auto idle = AuthenticateSession(ctx(), policy_, t->session_id);
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(idle.error().message, "session expired");
}

TEST_F(AccessTest, CsrfTokenMustMatch) {
  Add("ana", Role::kCaseOfficer);
  auto s = SignIn("ana");
  ASSERT_TRUE(s);
  auto auth = AuthenticateSession(ctx(), policy_, s->session_id);
  ASSERT_TRUE(auth);
  EXPECT_TRUE(CheckCsrf(auth->session, s->csrf_token));
  EXPECT_EQ(CheckCsrf(auth->session, "").error().code, ErrorCode::kPermissionDenied);
  std::string wrong = s->csrf_token;
  wrong[0] = wrong[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(CheckCsrf(auth->session, wrong).error().message, "missing or wrong CSRF token");
  EXPECT_FALSE(CheckCsrf(auth->session, s->session_id));
}

TEST_F(AccessTest, LogoutDeletesTheSessionAndIsAudited) {
  Add("ana", Role::kCaseOfficer);
  auto s = SignIn("ana");
  ASSERT_TRUE(s);
  ASSERT_TRUE(Logout(ctx(), {"ana", "10.0.0.1"}, s->session_id));
  EXPECT_FALSE(AuthenticateSession(ctx(), policy_, s->session_id));
  EXPECT_EQ(Trail().back().action, "logout");
  const size_t n = Trail().size();
  ASSERT_TRUE(Logout(ctx(), {"ana", "10.0.0.1"}, s->session_id));  // unknown now: nothing
  EXPECT_EQ(Trail().size(), n);
}

TEST_F(AccessTest, ApiTokensAreScopedHashedAndRevocable) {
  Add("lab", Role::kDnaAnalyst);
  auto bad = CreateApiToken(ctx(), Admin(), "lab", "upload", {Permission::kManageAccounts});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(CreateApiToken(ctx(), Admin(), "lab", "upload", {}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CreateApiToken(ctx(), Admin(), "nobody", "x", {Permission::kReadPersons}).error().code,
            ErrorCode::kNotFound);
  auto t = CreateApiToken(ctx(), Admin(), "lab", "upload", {Permission::kReadGenetic});
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->secret.size(), 64u);
  auto tokens = access_.Tokens();
  ASSERT_TRUE(tokens);
  ASSERT_EQ(tokens->size(), 1u);
  EXPECT_EQ((*tokens)[0].token_hash, registry::Sha256Hex(t->secret));
  auto who = AuthenticateToken(ctx(), t->secret);
  ASSERT_TRUE(who) << who.error().ToString();
  EXPECT_EQ(who->principal.name, "lab");
  EXPECT_TRUE(who->session.id_hash.empty());
  EXPECT_TRUE(Authorize(who->principal, Permission::kReadGenetic));
  EXPECT_FALSE(Authorize(who->principal, Permission::kRunIdentification));  // role has, token not
  EXPECT_FALSE(AuthenticateToken(ctx(), std::string(64, '0')));
  ASSERT_TRUE(RevokeApiToken(ctx(), Admin(), t->id));
  auto revoked = AuthenticateToken(ctx(), t->secret);
  ASSERT_FALSE(revoked);
  EXPECT_EQ(revoked.error().message, "invalid token");
  EXPECT_EQ(RevokeApiToken(ctx(), Admin(), 99).error().code, ErrorCode::kNotFound);
}

TEST_F(AccessTest, PermissionsParse) {
  EXPECT_EQ(*ParsePermission("read_persons"), Permission::kReadPersons);
  EXPECT_EQ(*ParsePermission("manage_accounts"), Permission::kManageAccounts);
  EXPECT_EQ(ParsePermission("read_everything").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(AccessTest, RestrictedCasesAreSeenOnlyByNamedStaffAndAdministrators) {
  Add("ana", Role::kCaseOfficer);
  Add("bo", Role::kCaseOfficer);
  Add("root", Role::kAdministrator);
  const int64_t person = RegisterPerson("Petrosyan");
  const Principal ana{1, "ana", Role::kCaseOfficer, {}};
  const Principal bo{2, "bo", Role::kCaseOfficer, {}};
  const Principal root{3, "root", Role::kAdministrator, {}};
  EXPECT_TRUE(*CaseVisible(access_, bo, person));
  ASSERT_TRUE(RestrictCase(ctx(), Admin(), person, {"ana"}));
  EXPECT_TRUE(*CaseVisible(access_, ana, person));
  EXPECT_FALSE(*CaseVisible(access_, bo, person));
  EXPECT_TRUE(*CaseVisible(access_, root, person));
  EXPECT_EQ(*access_.RestrictedPersons(), std::vector<int64_t>{person});
  EXPECT_EQ(RestrictCase(ctx(), Admin(), person, {"nobody"}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(RestrictCase(ctx(), Admin(), 999, {"ana"}).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(*CaseVisible(access_, bo, person));  // the failed changes changed nothing
  ASSERT_TRUE(RestrictCase(ctx(), Admin(), person, {}));
  EXPECT_TRUE(*CaseVisible(access_, bo, person));
  EXPECT_TRUE(access_.RestrictedPersons()->empty());
}

TEST_F(AccessTest, AuditRecordsChainToEachOtherAndToTheRegister) {
  auto first = AppendAudit(ctx(), {"ana", "person.read", "person 1", "10.0.0.1", "ok"});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->seq, 1);
  EXPECT_EQ(first->event_seq, 0);
  EXPECT_EQ(first->event_hash, "");
  EXPECT_EQ(first->prev_hash, "");
  EXPECT_EQ(first->at, clock_s_.now);
  EXPECT_EQ(first->hash, AuditHash(*first));
  RegisterPerson("Petrosyan");
  auto second = AppendAudit(ctx(), {"ana", "person.add", "person 1", "10.0.0.1", "ok"});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->seq, 2);
  EXPECT_EQ(second->prev_hash, first->hash);
  auto head = store_.Head(std::nullopt);
  EXPECT_EQ(second->event_seq, head->seq);
  EXPECT_EQ(second->event_hash, head->hash);
  // The hash covers every field, and newlines cannot forge a field boundary.
  AuditRecord x = *second;
  x.records = "person 1\nperson 2";
  EXPECT_NE(AuditHash(x), second->hash);
  AuditRecord y = *second;
  y.actor = "ana\nperson.add";
  y.action = "";
  EXPECT_NE(AuditHash(y), AuditHash(*second));
  auto check = VerifyAudit(ctx());
  ASSERT_TRUE(check);
  EXPECT_TRUE(check->ok) << check->problem;
  EXPECT_EQ(check->records, 2);
}

TEST_F(AccessTest, AnAuditRecordRollsBackWithTheWriteItJoins) {
  auto s = access_.RunWrite([&]() -> Status {
    WB_RETURN_IF_ERROR(AppendAudit(ctx(), {"ana", "person.add", "person 1", "cli", "ok"}));
    return MakeError(ErrorCode::kFailedPrecondition, "refused");
  });
  ASSERT_FALSE(s);
  EXPECT_TRUE(Trail().empty());
}

TEST_F(AccessTest, VerifyFindsEachKindOfTampering) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(AppendAudit(ctx(), {"ana", "person.read", "person " + std::to_string(i), "x"}));
  }
  const std::vector<AuditRecord> good = access_.MutableAuditForTest();
  const auto verify = [&] {
    auto c = VerifyAudit(ctx());
    EXPECT_TRUE(c);
    return c ? *c : AuditCheck{};
  };
  auto& trail = access_.MutableAuditForTest();
  trail[2].outcome = "403 denied";
  EXPECT_EQ(verify().problem, "record 3 was edited");
  trail = good;
  trail.erase(trail.begin() + 2);
  EXPECT_EQ(verify().problem, "record 3 is missing (deleted)");
  EXPECT_EQ(verify().first_bad, 3);
  trail = good;
  std::swap(trail[1], trail[2]);
  EXPECT_EQ(verify().problem, "record 3 was inserted or moved");
  trail = good;
  trail.push_back(good[1]);
  EXPECT_EQ(verify().problem, "record 2 was inserted or moved");
  trail = good;
  EXPECT_TRUE(verify().ok);
}

}  // namespace
}  // namespace whereabouts::app
