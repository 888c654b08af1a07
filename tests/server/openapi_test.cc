// docs/openapi.json against the server: the same routes (method and path) as server::RouteTable(),
// each with the permission and audit action the table names; and the validator the HTTP tests use
// accepts a valid Person and rejects a wrong one.
#include <gtest/gtest.h>

#include <cctype>
#include <map>
#include <set>
#include <string>

#include "app/roles.h"
#include "server/openapi_check.h"
#include "server/server.h"

namespace whereabouts::testing {
namespace {

using nlohmann::json;

const OpenApi& Api() { return OpenApi::Shared(); }

std::string AuditName(server::AuditKind k) {
  switch (k) {
    case server::AuditKind::kNone: return "none";
    case server::AuditKind::kWrite: return "write";
    case server::AuditKind::kSelf: return "self";
  }
  return "?";
}

TEST(OpenApiTest, SameRoutesAsTheRouteTable) {
  std::set<std::pair<std::string, std::string>> table;
  for (const auto& r : server::RouteTable()) table.emplace(r.method, r.path);
  const auto doc = Api().Routes();
  for (const auto& r : table) {
    EXPECT_TRUE(doc.count(r)) << r.first << " " << r.second
                              << " is in RouteTable() but not in docs/openapi.json";
  }
  for (const auto& r : doc) {
    EXPECT_TRUE(table.count(r)) << r.first << " " << r.second
                                << " is in docs/openapi.json but not in RouteTable()";
  }
  EXPECT_EQ(table.size(), server::RouteTable().size()) << "a route is in the table twice";
}

TEST(OpenApiTest, EveryOperationNamesTheTablesPermissionAndAudit) {
  std::map<std::pair<std::string, std::string>, ApiOperation> doc;
  for (const auto& op : Api().Operations()) doc[{op.method, op.path}] = op;
  for (const auto& r : server::RouteTable()) {
    auto it = doc.find({r.method, r.path});
    if (it == doc.end()) continue;  // reported by SameRoutesAsTheRouteTable
    const std::string where = r.method + " " + r.path;
    EXPECT_EQ(it->second.permission, std::string(app::Name(r.permission))) << where;
    EXPECT_EQ(it->second.audit, AuditName(r.audit)) << where;
    EXPECT_EQ(it->second.audit_action, r.action) << where;
  }
}

TEST(OpenApiTest, PathParametersAreDeclared) {
  const json& paths = Api().Document()["paths"];
  for (const auto& op : Api().Operations()) {
    size_t braces = 0;
    for (char ch : op.path) braces += ch == '{';
    if (braces == 0) continue;
    std::string method = op.method;
    for (char& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const json& o = paths[op.path][method];
    size_t declared = 0;
    for (const auto& p : o.value("parameters", json::array())) {
      json param = p;
      if (p.contains("$ref")) {
        param = Api().Document().at(json::json_pointer(p["$ref"].get<std::string>().substr(1)));
      }
      if (param.value("in", "") == "path") {
        ++declared;
        EXPECT_NE(op.path.find("{" + param.value("name", "") + "}"), std::string::npos)
            << op.method << " " << op.path;
      }
    }
    EXPECT_EQ(declared, braces) << op.method << " " << op.path;
  }
}

json ValidPerson() {
  return {{"id", 12},
          {"family_name", "Petrosyan"},
          {"given_name", "Anna"},
          {"father_name", ""},
          {"other_names", json::array({"Петросян Анна"})},
          {"sex", "female"},
          {"birth_date", "1961-04-02"},
          {"birth_year_min", nullptr},
          {"birth_year_max", nullptr},
          {"affiliation", "civilian"},
          {"unit", ""},
          {"category", "elderly"},
          {"disappearance_date", "2020-10-11"},
          {"disappearance_place", "Hadrut"},
          {"circumstances", ""},
          {"capture", "none"},
          {"capture_date", ""},
          {"captured_by", ""},
          {"seen_alive_by", ""},
          {"detention_place", ""},
          {"icrc_visits", 0},
          {"reported_dead", false},
          {"death_date", ""},
          {"death_place", ""},
          {"death_territory", "unknown"},
          {"death_locality", ""},
          {"body", "not_applicable"},
          {"body_returned_on", ""},
          {"status", "open"},
          {"identified_on", ""},
          {"identified_site", 0},
          {"identified_remains", ""},
          {"family_notified_on", ""},
          {"merged_into", 0},
          {"registered_on", "2021-01-05"},
          {"last_event_on", "2021-02-01"},
          {"version", 7}};
}

TEST(OpenApiTest, AcceptsAValidPerson) {
  auto ok = Api().ValidateResponse("GET", "/api/v1/persons/12", 200, "application/json",
                                   ValidPerson());
  EXPECT_TRUE(ok) << ok.error().ToString();
  json with_years = ValidPerson();
  with_years["birth_date"] = "";
  with_years["birth_year_min"] = 1960;
  with_years["birth_year_max"] = 1965;
  ok = Api().ValidateResponse("GET", "/api/v1/persons/12?as_of=2021-01-31", 200,
                              "application/json; charset=utf-8", with_years);
  EXPECT_TRUE(ok) << ok.error().ToString();
}

TEST(OpenApiTest, RejectsAPersonWithAWrongType) {
  json p = ValidPerson();
  p["id"] = "12";
  auto bad = Api().ValidateResponse("GET", "/api/v1/persons/12", 200, "application/json", p);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().ToString().find("/id"), std::string::npos) << bad.error().ToString();

  p = ValidPerson();
  p["birth_date"] = nullptr;  // dates are "" when unknown, never null
  EXPECT_FALSE(Api().ValidateResponse("GET", "/api/v1/persons/12", 200, "application/json", p));
  p = ValidPerson();
  p["sex"] = "f";
  EXPECT_FALSE(Api().ValidateResponse("GET", "/api/v1/persons/12", 200, "application/json", p));
}

TEST(OpenApiTest, RejectsAPersonWithoutARequiredKey) {
  json p = ValidPerson();
  p.erase("version");
  auto bad = Api().ValidateResponse("GET", "/api/v1/persons/12", 200, "application/json", p);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().ToString().find("version"), std::string::npos) << bad.error().ToString();
}

TEST(OpenApiTest, ResponsesNeedADocumentedStatusAndContentType) {
  EXPECT_FALSE(Api().ValidateResponse("GET", "/api/v1/persons/12", 418, "application/json",
                                      ValidPerson()));
  EXPECT_FALSE(
      Api().ValidateResponse("GET", "/api/v1/persons/12", 200, "text/html", ValidPerson()));
  EXPECT_FALSE(Api().ValidateResponse("GET", "/api/v1/nowhere", 200, "application/json", {}));
  const json problem = {{"type", "https://whereabouts.invalid/problems/not-found"},
                        {"title", "Not Found"},
                        {"status", 404},
                        {"detail", "no person 99"}};
  auto ok = Api().ValidateResponse("GET", "/api/v1/persons/99", 404, "application/problem+json",
                                   problem);
  EXPECT_TRUE(ok) << ok.error().ToString();
  ok = Api().ValidateResponse("DELETE", "/api/v1/session", 204, "", json());
  EXPECT_TRUE(ok) << ok.error().ToString();
}

TEST(OpenApiTest, RequestBodiesAreClosed) {
  EXPECT_TRUE(Api().ValidateRequest("POST", "/api/v1/persons",
                                    {{"family_name", "A"}, {"given_name", "B"}}));
  EXPECT_FALSE(Api().ValidateRequest(
      "POST", "/api/v1/persons", {{"family_name", "A"}, {"given_name", "B"}, {"nickname", "C"}}));
  EXPECT_FALSE(Api().ValidateRequest("POST", "/api/v1/persons", {{"family_name", "A"}}));
}

}  // namespace
}  // namespace whereabouts::testing
