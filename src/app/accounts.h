// Use cases of accounts, sessions and API tokens: add, disable and list accounts, change a
// password, sign in (with lockout and back-off after repeated failures), authenticate a session
// or an API token, check a CSRF token, sign out; restrict a case to named staff.
//
// Passwords are hashed with Argon2id (libsodium crypto_pwhash_str, interactive limits); session
// ids, CSRF tokens and API token secrets are 32 random bytes (libsodium randombytes_buf) written
// as 64 hex digits and stored only as SHA-256. Every sign-in, failed or not, and every change to
// an account appends an audit record (app/audit.h) in the same transaction.
// Thread-safety: as the stores passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/access_store.h"
#include "app/roles.h"
#include "common/result.h"
#include "registry/store_port.h"

namespace whereabouts::app {

// The stores and clock every access use case needs.
struct AccessContext {
  AccessStore& access;
  registry::RegistryStore& registry;  // for the event-chain head of audit records
  AccessClock& clock;
};

// Where a request comes from, for the audit trail.
struct Origin {
  std::string actor;    // the acting account's name ("" none)
  std::string address;  // client address ("cli" for the command line)
};

struct SessionPolicy {
  int64_t idle_seconds = 30 * 60;           // a session unused this long expires
  int64_t absolute_seconds = 12 * 60 * 60;  // and every session this long after sign-in
  int failures_before_lockout = 5;          // consecutive failed sign-ins before a lockout
  int64_t lockout_seconds = 60;             // the first lockout; doubled for each further failure
  int64_t max_lockout_seconds = 60 * 60;    // up to this
  int64_t touch_interval_seconds = 60;      // last_seen_at is written at most this often
};

// Errors: kInvalidArgument naming the rule (field "name": 1..64 of a-z 0-9 . _ -).
[[nodiscard]] Status CheckAccountName(std::string_view name);
// Errors: kInvalidArgument (field "password": at least 12 characters, at most 1024).
[[nodiscard]] Status CheckPassword(std::string_view password);

struct AddAccountRequest {
  Origin origin;
  std::string name;
  Role role = Role::kStatistics;
  std::string password;
};
// Errors: as CheckAccountName / CheckPassword; kAlreadyExists when the name is taken.
[[nodiscard]] Result<Account> AddAccount(const AccessContext& ctx, const AddAccountRequest& r);

// Disables the account and ends its sessions; its tokens stop working. kNotFound when none.
[[nodiscard]] Status DisableAccount(const AccessContext& ctx, const Origin& origin,
                                    std::string_view name);

// Sets a new password (CheckPassword), clears a lockout and ends the account's sessions.
[[nodiscard]] Status SetPassword(const AccessContext& ctx, const Origin& origin,
                                 std::string_view name, std::string_view new_password);

[[nodiscard]] Result<std::vector<Account>> ListAccounts(AccessStore& access);

// A signed-in session: the secret id for the cookie and the CSRF token for unsafe requests.
struct NewSession {
  std::string session_id;  // 64 hex digits; only its hash is stored
  std::string csrf_token;
  Principal principal;
  int64_t expires_at = 0;  // absolute expiry (unix seconds)
};

struct LoginRequest {
  std::string name, password;
  std::string address;
  std::string previous_session_id;  // the cookie the client had ("" none): deleted at sign-in
};
// Errors (every one audited as "login.failed"): kUnauthenticated "wrong name or password" (the
// same for an unknown name, a wrong password and a disabled account); kTooManyRequests "too many
// failed sign-ins; try again in N seconds" while locked (a correct password does not open a
// locked account early). A success resets the failure count.
[[nodiscard]] Result<NewSession> Login(const AccessContext& ctx, const SessionPolicy& policy,
                                       const LoginRequest& r);

struct Authenticated {
  Principal principal;
  SessionRecord session;  // empty id_hash for an API token
};
// The session's account. Errors: kUnauthenticated "no session" (unknown id), "session expired"
// (idle or absolute; the session is deleted), "account disabled".
[[nodiscard]] Result<Authenticated> AuthenticateSession(const AccessContext& ctx,
                                                        const SessionPolicy& policy,
                                                        std::string_view session_id);
// The CSRF token of a session: hex SHA-256 of "whereabouts-csrf/1\n" and the session id, so that
// the server can tell a signed-in page its token again (GET /api/v1/session) without storing it;
// the id is secret, so the token cannot be guessed. The session record keeps only its hash.
[[nodiscard]] std::string CsrfTokenFor(std::string_view session_id);
// kPermissionDenied "missing or wrong CSRF token" unless `token` equals the session's (constant
// time comparison).
[[nodiscard]] Status CheckCsrf(const SessionRecord& session, std::string_view token);
// Deletes the session (audited as "logout"). Unknown ids: nothing happens.
[[nodiscard]] Status Logout(const AccessContext& ctx, const Origin& origin,
                            std::string_view session_id);

struct NewApiToken {
  int64_t id = 0;
  std::string secret;  // shown once; only its hash is stored
};
// A token for `account` with the given scopes (each must be a permission of the account's role).
// Errors: kNotFound (account), kInvalidArgument (no scope, a scope the role lacks).
[[nodiscard]] Result<NewApiToken> CreateApiToken(const AccessContext& ctx, const Origin& origin,
                                                 std::string_view account,
                                                 std::string_view token_name,
                                                 const std::vector<Permission>& scopes);
[[nodiscard]] Status RevokeApiToken(const AccessContext& ctx, const Origin& origin, int64_t id);
// The token's account with the token's scopes. Errors: kUnauthenticated "invalid token" (unknown,
// revoked, or its account disabled).
[[nodiscard]] Result<Authenticated> AuthenticateToken(const AccessContext& ctx,
                                                      std::string_view secret);
// "read_persons" -> kReadPersons. Errors: kInvalidArgument naming the permissions.
[[nodiscard]] Result<Permission> ParsePermission(std::string_view s);

// Restricts `person`'s case to the named accounts (each must exist) and administrators; an empty
// list lifts the restriction. Errors: kNotFound (person or account).
[[nodiscard]] Status RestrictCase(const AccessContext& ctx, const Origin& origin, int64_t person,
                                  const std::vector<std::string>& staff);
// True when `who` may see `person`'s case: not restricted, or `who` is named or an administrator.
[[nodiscard]] Result<bool> CaseVisible(AccessStore& access, const Principal& who, int64_t person);

}  // namespace whereabouts::app
