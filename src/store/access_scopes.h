// How the access stores write an API token's scopes in one column: permission names separated by
// commas ("read_persons,write_persons"), so that the database stays readable.
#pragma once

#include <string>
#include <vector>

#include "app/accounts.h"
#include "app/roles.h"

namespace whereabouts::store {

[[nodiscard]] inline std::string ScopesToText(const std::vector<app::Permission>& scopes) {
  std::string out;
  for (app::Permission p : scopes) out += (out.empty() ? "" : ",") + std::string(app::Name(p));
  return out;
}

// Errors: kInvalidArgument naming an unknown permission (a column edited by hand).
[[nodiscard]] inline Result<std::vector<app::Permission>> ScopesFromText(const std::string& text) {
  std::vector<app::Permission> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    WB_ASSIGN_OR_RETURN(app::Permission p, app::ParsePermission(text.substr(start, end - start)));
    out.push_back(p);
    start = end + 1;
  }
  return out;
}

}  // namespace whereabouts::store
