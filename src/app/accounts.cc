#include "app/accounts.h"

#include <sodium.h>

#include <algorithm>

#include "app/audit.h"
#include "registry/sha256.h"

namespace whereabouts::app {
namespace {

// libsodium must be initialised once before any other call (thread-safe, idempotent).
Status EnsureSodium() {
  static const int rc = sodium_init();
  if (rc < 0) return MakeError(ErrorCode::kInternal, "libsodium could not be initialised");
  return {};
}

// 32 random bytes as 64 lower-case hex digits.
Result<std::string> RandomHex() {
  WB_RETURN_IF_ERROR(EnsureSodium());
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero(bytes, sizeof bytes);
  return std::string(hex, sizeof bytes * 2);
}

Result<std::string> HashPassword(std::string_view password) {
  WB_RETURN_IF_ERROR(EnsureSodium());
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return MakeError(ErrorCode::kResourceExhausted,
                     "not enough memory to hash a password (Argon2id needs 64 MiB)");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  if (!EnsureSodium()) return false;
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

// A hash of no one's password, verified against for unknown names so that a wrong name takes as
// long as a wrong password (no account enumeration by timing).
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = HashPassword("whereabouts: no such account");
    return h ? *h : std::string();
  }();
  return hash;
}

// Constant-time equality of two strings of the same length (false when lengths differ).
bool SameSecret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Outcome(const Error& e) { return std::to_string(HttpStatus(e.code)) + " " + e.message; }

Status Audit(const AccessContext& ctx, const Origin& origin, std::string action,
             std::string records, std::string outcome = "ok") {
  AuditEntry e;
  e.actor = origin.actor;
  e.action = std::move(action);
  e.records = std::move(records);
  e.address = origin.address;
  e.outcome = std::move(outcome);
  return AppendAudit(ctx, e).map([](const AuditRecord&) {});
}

Result<Account> RequireAccount(AccessStore& access, std::string_view name) {
  WB_ASSIGN_OR_RETURN(std::optional<Account> a, access.FindAccount(name));
  if (!a) return MakeError(ErrorCode::kNotFound, "no account '" + std::string(name) + "'", "name");
  return *a;
}

// The lockout after `failures` consecutive failures: none below the threshold, then
// lockout_seconds doubled for each failure past it, up to max_lockout_seconds.
int64_t LockoutSeconds(const SessionPolicy& policy, int failures) {
  if (failures < policy.failures_before_lockout) return 0;
  int64_t s = policy.lockout_seconds;
  for (int i = policy.failures_before_lockout; i < failures && s < policy.max_lockout_seconds;
       ++i) {
    s *= 2;
  }
  return std::min(s, policy.max_lockout_seconds);
}

Error Locked(int64_t locked_until, int64_t now) {
  return Error{
      ErrorCode::kTooManyRequests,
      "too many failed sign-ins; try again in " + std::to_string(locked_until - now) + " seconds",
      ""};
}

const Error kWrongLogin{ErrorCode::kUnauthenticated, "wrong name or password", ""};

}  // namespace

Status CheckAccountName(std::string_view name) {
  const bool ok =
      !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      });
  if (ok) return {};
  return MakeError(ErrorCode::kInvalidArgument,
                   "an account name is 1 to 64 of a-z, 0-9, '.', '_' and '-'", "name");
}

Status CheckPassword(std::string_view password) {
  if (password.size() < 12) {
    return MakeError(ErrorCode::kInvalidArgument, "a password has at least 12 characters",
                     "password");
  }
  if (password.size() > 1024) {
    return MakeError(ErrorCode::kInvalidArgument, "a password has at most 1024 characters",
                     "password");
  }
  return {};
}

Result<Account> AddAccount(const AccessContext& ctx, const AddAccountRequest& r) {
  WB_RETURN_IF_ERROR(CheckAccountName(r.name));
  WB_RETURN_IF_ERROR(CheckPassword(r.password));
  Account a;
  a.name = r.name;
  a.role = r.role;
  // Hashed before the transaction: Argon2id takes a while and the writer lock should not wait.
  WB_ASSIGN_OR_RETURN(a.password_hash, HashPassword(r.password));
  a.created_at = ctx.clock.NowSeconds();
  WB_RETURN_IF_ERROR(ctx.access.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(std::optional<Account> existing, ctx.access.FindAccount(a.name));
    if (existing) {
      return MakeError(ErrorCode::kAlreadyExists, "the account '" + a.name + "' exists", "name");
    }
    WB_ASSIGN_OR_RETURN(a.id, ctx.access.InsertAccount(a));
    return Audit(ctx, r.origin, "account.add",
                 "account " + a.name + " (" + std::string(Name(a.role)) + ")");
  }));
  return a;
}

Status DisableAccount(const AccessContext& ctx, const Origin& origin, std::string_view name) {
  return ctx.access.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(Account a, RequireAccount(ctx.access, name));
    a.disabled = true;
    WB_RETURN_IF_ERROR(ctx.access.UpdateAccount(a));
    WB_RETURN_IF_ERROR(ctx.access.DeleteSessionsOf(a.id));
    return Audit(ctx, origin, "account.disable", "account " + a.name);
  });
}

Status SetPassword(const AccessContext& ctx, const Origin& origin, std::string_view name,
                   std::string_view new_password) {
  WB_RETURN_IF_ERROR(CheckPassword(new_password));
  WB_ASSIGN_OR_RETURN(const std::string hash, HashPassword(new_password));
  return ctx.access.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(Account a, RequireAccount(ctx.access, name));
    a.password_hash = hash;
    a.failed_logins = 0;
    a.locked_until = 0;
    WB_RETURN_IF_ERROR(ctx.access.UpdateAccount(a));
    WB_RETURN_IF_ERROR(ctx.access.DeleteSessionsOf(a.id));
    return Audit(ctx, origin, "account.password", "account " + a.name);
  });
}

Result<std::vector<Account>> ListAccounts(AccessStore& access) { return access.Accounts(); }

Result<NewSession> Login(const AccessContext& ctx, const SessionPolicy& policy,
                         const LoginRequest& r) {
  const int64_t now = ctx.clock.NowSeconds();
  // The name is written into the audit trail only when it could be an account's (a password typed
  // into the name field must not end up there).
  const bool plausible = CheckAccountName(r.name).has_value();
  const std::string records = "account " + (plausible ? r.name : std::string("?"));
  const Origin origin{plausible ? r.name : std::string(), r.address};

  // The password is checked before the write transaction (Argon2id is slow; the writer lock
  // should not wait for it), and the account re-read inside it.
  std::optional<Account> before;
  if (plausible) {
    WB_ASSIGN_OR_RETURN(before, ctx.access.FindAccount(r.name));
  }
  bool locked = before && before->locked_until > now;
  bool password_ok = false;
  if (!locked) {
    if (before && !before->disabled) {
      password_ok = VerifyPassword(before->password_hash, r.password);
    } else {
      (void)VerifyPassword(DummyHash(), r.password);
    }
  }

  std::optional<Error> failure;
  NewSession out;
  WB_RETURN_IF_ERROR(ctx.access.RunWrite([&]() -> Status {
    failure.reset();
    std::optional<Account> a;
    if (plausible) {
      WB_ASSIGN_OR_RETURN(a, ctx.access.FindAccount(r.name));
    }
    if (a && a->locked_until > now) {
      failure = Locked(a->locked_until, now);
      return Audit(ctx, origin, "login.failed", records, Outcome(*failure));
    }
    if (locked) {  // unlocked meanwhile (a new password): the password was not checked
      failure = Locked(before->locked_until, now);
      return Audit(ctx, origin, "login.failed", records, Outcome(*failure));
    }
    if (!a || a->disabled || !password_ok ||
        (before && a->password_hash != before->password_hash)) {
      failure = kWrongLogin;
      if (a && !a->disabled) {
        a->failed_logins += 1;
        const int64_t lock = LockoutSeconds(policy, a->failed_logins);
        if (lock > 0) a->locked_until = now + lock;
        WB_RETURN_IF_ERROR(ctx.access.UpdateAccount(*a));
      }
      return Audit(ctx, origin, "login.failed", records, Outcome(*failure));
    }
    a->failed_logins = 0;
    a->locked_until = 0;
    WB_RETURN_IF_ERROR(ctx.access.UpdateAccount(*a));
    if (!r.previous_session_id.empty()) {
      WB_RETURN_IF_ERROR(ctx.access.DeleteSession(registry::Sha256Hex(r.previous_session_id)));
    }
    WB_ASSIGN_OR_RETURN(out.session_id, RandomHex());
    WB_ASSIGN_OR_RETURN(out.csrf_token, RandomHex());
    SessionRecord s;
    s.id_hash = registry::Sha256Hex(out.session_id);
    s.account = a->id;
    s.created_at = now;
    s.last_seen_at = now;
    s.csrf_token = registry::Sha256Hex(out.csrf_token);
    s.address = r.address;
    WB_RETURN_IF_ERROR(ctx.access.PutSession(s));
    out.principal = Principal{a->id, a->name, a->role, {}};
    out.expires_at = now + policy.absolute_seconds;
    return Audit(ctx, origin, "login", records);
  }));
  if (failure) return tl::unexpected(*failure);
  return out;
}

Result<Authenticated> AuthenticateSession(const AccessContext& ctx, const SessionPolicy& policy,
                                          std::string_view session_id) {
  const Error no_session{ErrorCode::kUnauthenticated, "no session", ""};
  if (session_id.empty()) return tl::unexpected(no_session);
  const std::string id_hash = registry::Sha256Hex(session_id);
  WB_ASSIGN_OR_RETURN(std::optional<SessionRecord> s, ctx.access.FindSession(id_hash));
  if (!s) return tl::unexpected(no_session);
  const int64_t now = ctx.clock.NowSeconds();
  if (now - s->last_seen_at >= policy.idle_seconds ||
      now - s->created_at >= policy.absolute_seconds) {
    WB_RETURN_IF_ERROR(ctx.access.RunWrite([&] { return ctx.access.DeleteSession(id_hash); }));
    return MakeError(ErrorCode::kUnauthenticated, "session expired");
  }
  WB_ASSIGN_OR_RETURN(std::optional<Account> a, ctx.access.FindAccountById(s->account));
  if (!a || a->disabled) return MakeError(ErrorCode::kUnauthenticated, "account disabled");
  if (now - s->last_seen_at >= policy.touch_interval_seconds) {
    WB_RETURN_IF_ERROR(ctx.access.RunWrite([&] { return ctx.access.TouchSession(id_hash, now); }));
    s->last_seen_at = now;
  }
  return Authenticated{Principal{a->id, a->name, a->role, {}}, *s};
}

Status CheckCsrf(const SessionRecord& session, std::string_view token) {
  // The session keeps only the token's hash; comparing hashes of equal length in constant time
  // also hides how much of a guessed token was right.
  if (token.empty() || !SameSecret(registry::Sha256Hex(token), session.csrf_token)) {
    return MakeError(ErrorCode::kPermissionDenied, "missing or wrong CSRF token");
  }
  return {};
}

Status Logout(const AccessContext& ctx, const Origin& origin, std::string_view session_id) {
  if (session_id.empty()) return {};
  const std::string id_hash = registry::Sha256Hex(session_id);
  return ctx.access.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(std::optional<SessionRecord> s, ctx.access.FindSession(id_hash));
    if (!s) return {};
    WB_ASSIGN_OR_RETURN(std::optional<Account> a, ctx.access.FindAccountById(s->account));
    WB_RETURN_IF_ERROR(ctx.access.DeleteSession(id_hash));
    return Audit(ctx, origin, "logout", a ? "account " + a->name : std::string());
  });
}

Result<NewApiToken> CreateApiToken(const AccessContext& ctx, const Origin& origin,
                                   std::string_view account, std::string_view token_name,
                                   const std::vector<Permission>& scopes) {
  if (scopes.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "an API token needs at least one scope", "scope");
  }
  if (token_name.empty() || token_name.size() > 200) {
    return MakeError(ErrorCode::kInvalidArgument, "a token's name is 1 to 200 characters", "name");
  }
  NewApiToken out;
  WB_ASSIGN_OR_RETURN(out.secret, RandomHex());
  WB_RETURN_IF_ERROR(ctx.access.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(Account a, RequireAccount(ctx.access, account));
    ApiTokenRecord t;
    t.account = a.id;
    t.name = std::string(token_name);
    t.token_hash = registry::Sha256Hex(out.secret);
    for (Permission p : scopes) {
      if (!Allows(a.role, p)) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            "the role " + std::string(Name(a.role)) + " may not " + std::string(Name(p)), "scope");
      }
      if (std::find(t.scopes.begin(), t.scopes.end(), p) == t.scopes.end()) t.scopes.push_back(p);
    }
    t.created_at = ctx.clock.NowSeconds();
    WB_ASSIGN_OR_RETURN(out.id, ctx.access.InsertToken(t));
    return Audit(ctx, origin, "token.add",
                 "account " + a.name + ",token " + std::to_string(out.id));
  }));
  return out;
}

Status RevokeApiToken(const AccessContext& ctx, const Origin& origin, int64_t id) {
  return ctx.access.RunWrite([&]() -> Status {
    WB_RETURN_IF_ERROR(ctx.access.RevokeToken(id));
    return Audit(ctx, origin, "token.revoke", "token " + std::to_string(id));
  });
}

Result<Authenticated> AuthenticateToken(const AccessContext& ctx, std::string_view secret) {
  const Error invalid{ErrorCode::kUnauthenticated, "invalid token", ""};
  if (secret.empty()) return tl::unexpected(invalid);
  WB_ASSIGN_OR_RETURN(std::optional<ApiTokenRecord> t,
                      ctx.access.FindToken(registry::Sha256Hex(secret)));
  if (!t || t->revoked) return tl::unexpected(invalid);
  WB_ASSIGN_OR_RETURN(std::optional<Account> a, ctx.access.FindAccountById(t->account));
  if (!a || a->disabled) return tl::unexpected(invalid);
  return Authenticated{Principal{a->id, a->name, a->role, t->scopes}, SessionRecord{}};
}

Result<Permission> ParsePermission(std::string_view s) {
  std::string all;
  for (size_t i = 0; i < kPermissionCount; ++i) {
    const auto p = static_cast<Permission>(i);
    if (Name(p) == s) return p;
    all += (all.empty() ? "" : ", ") + std::string(Name(p));
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown permission '" + std::string(s) + "' (one of " + all + ")", "scope");
}

Status RestrictCase(const AccessContext& ctx, const Origin& origin, int64_t person,
                    const std::vector<std::string>& staff) {
  std::vector<std::string> names = staff;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return ctx.access.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(std::optional<registry::Person> p,
                        ctx.registry.FindPerson(registry::PersonId{person}, std::nullopt));
    if (!p) return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(person), "person");
    for (const std::string& n : names) {
      WB_RETURN_IF_ERROR(RequireAccount(ctx.access, n));
    }
    WB_RETURN_IF_ERROR(ctx.access.SetRestriction(person, names));
    return Audit(ctx, origin, names.empty() ? "case.unrestrict" : "case.restrict",
                 "person " + std::to_string(person));
  });
}

Result<bool> CaseVisible(AccessStore& access, const Principal& who, int64_t person) {
  WB_ASSIGN_OR_RETURN(const std::optional<std::vector<std::string>> staff,
                      access.Restriction(person));
  if (!staff) return true;
  if (who.role == Role::kAdministrator) return true;
  return std::find(staff->begin(), staff->end(), who.name) != staff->end();
}

}  // namespace whereabouts::app
