// The demo register's accounts: one synthetic account per role (two DNA analysts, for the
// four-eyes rule), with synthetic passwords that are published in the README and docs/web.md.
// For demonstrations and tests only: never use these names or passwords on a real register.
#pragma once

#include <array>

namespace whereabouts::demo {

struct DemoAccount {
  const char* name;
  const char* role;  // app::ParseRole
  const char* password;
};

inline constexpr std::array<DemoAccount, 8> kDemoAccounts = {{
    {"case.officer", "case_officer", "case-officer-demo"},
    {"dna.analyst1", "dna_analyst", "dna-analyst1-demo"},
    {"dna.analyst2", "dna_analyst", "dna-analyst2-demo"},
    {"field.team", "field_team", "field-team-demo"},
    {"family.liaison", "family_liaison", "family-liaison-demo"},
    {"statistics", "statistics", "statistics-demo"},
    {"auditor", "auditor", "auditor-demo-pass"},
    {"admin", "administrator", "administrator-demo"},
}};

}  // namespace whereabouts::demo
