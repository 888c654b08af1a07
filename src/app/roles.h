// Who may do what: the roles of a commission's staff and the permissions each has, declared in
// one table (roles.cc) that every route of the server and every check of the use cases reads.
// The roles' names are fixed: other tools and the documentation (docs/server.md) rely on them.
// Pure.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace whereabouts::app {

enum class Role {
  kAdministrator,  // accounts, restricted cases; reads the register, no genetic data
  kCaseOfficer,    // registers the missing and their relatives, corrects cases
  kDnaAnalyst,     // genetic data; runs identifications, confirms and signs off proposals
  kFieldTeam,      // sites, hazards, excavations, remains, samples, custody
  kFamilyLiaison,  // reads cases, records that a family was notified
  kStatistics,     // aggregate figures only: no names
  kAuditor,        // reads the audit trail and the register, no genetic data
};
inline constexpr std::array<Role, 7> kAllRoles = {
    Role::kAdministrator, Role::kCaseOfficer, Role::kDnaAnalyst, Role::kFieldTeam,
    Role::kFamilyLiaison, Role::kStatistics,  Role::kAuditor};

// administrator, case_officer, dna_analyst, field_team, family_liaison, statistics, auditor.
[[nodiscard]] std::string_view Name(Role r);
// Errors: kInvalidArgument naming the roles there are (field "role").
[[nodiscard]] Result<Role> ParseRole(std::string_view s);

// What a request may need. Every route of the server names exactly one.
enum class Permission {
  kPublic,                 // no account needed (health)
  kSignedIn,               // any account (its own session, password)
  kReadPersons,            // persons with names, their history, relatives without genetic data
  kWritePersons,           // register and correct persons and relatives
  kReadFigures,            // aggregate figures
  kReadSites,              // sites and hazard areas
  kWriteSites,             // record sites, hazards, excavations
  kReadRemains,            // remains, samples, custody
  kWriteRemains,           // record remains, samples, custody hand-overs
  kReadGenetic,            // profiles, LRs, matches, proposals' evidence
  kRunIdentification,      // start an identification run on the register
  kDecideIdentification,   // confirm or reject a proposal
  kSignOffIdentification,  // the second pair of eyes (never one's own proposal or confirmation)
  kNotifyFamily,           // record that a family was notified (after sign-off only)
  kReadIdentifications,    // the queue of proposals without the genetic evidence
  kReadAudit,              // the audit trail
  kManageAccounts,         // accounts, API tokens of others, restricted cases
  kIssueDocuments,         // certificates of absence and death, notification letters (PDF)
};
inline constexpr size_t kPermissionCount = 18;

// kPublic -> "public", kReadPersons -> "read_persons", ...
[[nodiscard]] std::string_view Name(Permission p);

// True when `role` has `p` (kPublic and kSignedIn: every role).
[[nodiscard]] bool Allows(Role role, Permission p);

// The roles that have `p`, in kAllRoles order.
[[nodiscard]] std::vector<Role> RolesWith(Permission p);

// Who is acting: the account behind a session or an API token.
struct Principal {
  int64_t account = 0;
  std::string name;  // the account's name: the actor of every event and audit record it causes
  Role role = Role::kStatistics;
  // For an API token: the permissions it was given (empty: a session, the role's permissions).
  std::vector<Permission> scopes;
};

// kPermissionDenied "the role R may not P" unless the principal's role allows `p` and, for an API
// token, one of its scopes is `p`.
[[nodiscard]] Status Authorize(const Principal& who, Permission p);

}  // namespace whereabouts::app
