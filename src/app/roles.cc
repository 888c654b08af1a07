#include "app/roles.h"

#include <algorithm>

namespace whereabouts::app {
namespace {

using P = Permission;

struct Grant {
  Role role;
  std::vector<Permission> permissions;  // besides kPublic and kSignedIn, which every role has
};

// THE table: what each role may do (docs/server.md lists it for people).
const std::vector<Grant>& Grants() {
  static const std::vector<Grant> kGrants = {
      {Role::kAdministrator,
       {P::kReadPersons, P::kReadFigures, P::kReadSites, P::kReadRemains, P::kReadIdentifications,
        P::kManageAccounts}},
      {Role::kCaseOfficer,
       {P::kReadPersons, P::kWritePersons, P::kReadFigures, P::kReadSites, P::kReadRemains,
        P::kReadIdentifications, P::kIssueDocuments}},
      {Role::kDnaAnalyst,
       {P::kReadPersons, P::kReadFigures, P::kReadSites, P::kReadRemains, P::kReadGenetic,
        P::kRunIdentification, P::kDecideIdentification, P::kSignOffIdentification,
        P::kReadIdentifications}},
      {Role::kFieldTeam,
       {P::kReadPersons, P::kReadSites, P::kWriteSites, P::kReadRemains, P::kWriteRemains}},
      {Role::kFamilyLiaison,
       {P::kReadPersons, P::kReadIdentifications, P::kNotifyFamily, P::kReadRemains,
        P::kIssueDocuments}},
      {Role::kStatistics, {P::kReadFigures}},
      {Role::kAuditor,
       {P::kReadPersons, P::kReadFigures, P::kReadSites, P::kReadRemains, P::kReadIdentifications,
        P::kReadAudit}},
  };
  return kGrants;
}

constexpr std::string_view kPermissionNames[kPermissionCount] = {"public",
                                                                 "signed_in",
                                                                 "read_persons",
                                                                 "write_persons",
                                                                 "read_figures",
                                                                 "read_sites",
                                                                 "write_sites",
                                                                 "read_remains",
                                                                 "write_remains",
                                                                 "read_genetic",
                                                                 "run_identification",
                                                                 "decide_identification",
                                                                 "sign_off_identification",
                                                                 "notify_family",
                                                                 "read_identifications",
                                                                 "read_audit",
                                                                 "manage_accounts",
                                                                 "issue_documents"};
static_assert(static_cast<size_t>(Permission::kIssueDocuments) + 1 == kPermissionCount);

}  // namespace

std::string_view Name(Role r) {
  switch (r) {
    case Role::kAdministrator:
      return "administrator";
    case Role::kCaseOfficer:
      return "case_officer";
    case Role::kDnaAnalyst:
      return "dna_analyst";
    case Role::kFieldTeam:
      return "field_team";
    case Role::kFamilyLiaison:
      return "family_liaison";
    case Role::kStatistics:
      return "statistics";
    case Role::kAuditor:
      return "auditor";
  }
  return "?";
}

Result<Role> ParseRole(std::string_view s) {
  std::string all;
  for (Role r : kAllRoles) {
    if (Name(r) == s) return r;
    all += (all.empty() ? "" : ", ") + std::string(Name(r));
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown role '" + std::string(s) + "' (one of " + all + ")", "role");
}

std::string_view Name(Permission p) { return kPermissionNames[static_cast<size_t>(p)]; }

bool Allows(Role role, Permission p) {
  if (p == P::kPublic || p == P::kSignedIn) return true;
  for (const Grant& g : Grants()) {
    if (g.role == role) {
      return std::find(g.permissions.begin(), g.permissions.end(), p) != g.permissions.end();
    }
  }
  return false;
}

std::vector<Role> RolesWith(Permission p) {
  std::vector<Role> out;
  for (Role r : kAllRoles) {
    if (Allows(r, p)) out.push_back(r);
  }
  return out;
}

Status Authorize(const Principal& who, Permission p) {
  if (!Allows(who.role, p)) {
    return MakeError(ErrorCode::kPermissionDenied, "the role " + std::string(Name(who.role)) +
                                                       " may not " + std::string(Name(p)));
  }
  if (!who.scopes.empty() && p != P::kPublic &&
      std::find(who.scopes.begin(), who.scopes.end(), p) == who.scopes.end()) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "this API token is not scoped for " + std::string(Name(p)));
  }
  return {};
}

}  // namespace whereabouts::app
