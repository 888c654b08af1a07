// The JSON the server sends is made by io/registry_json: each of its shapes, filled the way the
// register fills it, must satisfy the schema docs/openapi.json gives it. Needs no server (runs
// while src/server does not link), so a change to the mapping that the document does not follow
// fails here first.
#include <gtest/gtest.h>

#include "io/registry_json.h"
#include "server/openapi_check.h"

namespace whereabouts::testing {
namespace {

using nlohmann::json;

const OpenApi& Api() { return OpenApi::Shared(); }

registry::Date D(const char* s) { return *registry::Date::Parse(s); }

registry::Person SomePerson() {
  registry::Person p;
  p.id = registry::PersonId{12};
  p.family_name = "Petrosyan";
  p.given_name = "Anna";
  p.other_names = {"Петросян Анна"};
  p.sex = registry::Sex::kFemale;
  p.birth_year_min = 1960;
  p.birth_year_max = 1962;
  p.disappearance_date = D("2020-10-11");
  p.capture = registry::CaptureKind::kHostage;
  p.capture_date = D("2020-10-12");
  p.icrc_visits = 2;
  p.status = registry::CaseStatus::kIdentified;
  p.identified_on = D("2022-05-01");
  p.identified_site = 3;
  p.identified_remains = "B-1|B-2";
  p.registered_on = D("2021-01-05");
  p.last_event_on = D("2022-05-01");
  p.last_seq = 40;
  return p;
}

#define EXPECT_VALID(expr)                                  \
  do {                                                      \
    auto wb_ok_ = (expr);                                   \
    EXPECT_TRUE(wb_ok_) << wb_ok_.error().ToString();       \
  } while (0)

TEST(OpenApiMappingTest, PersonAndSummary) {
  const registry::Person p = SomePerson();
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/persons/12", 200, "application/json",
                                      io::PersonJson(p, registry::AgeLimits{})));
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/persons/1", 200, "application/json",
                                      io::PersonJson(registry::Person{}, registry::AgeLimits{})));
  const json list = {{"persons", json::array({io::PersonSummaryJson(p)})},
                     {"next_cursor", "12"}};
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/persons?q=an", 200, "application/json", list));
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/persons", 200, "application/json",
                                      {{"persons", json::array()}, {"next_cursor", nullptr}}));
}

TEST(OpenApiMappingTest, History) {
  registry::Event e;
  e.seq = 5;
  e.type = "person.captured";
  e.recorded_on = D("2021-02-01");
  e.actor = "officer";
  e.reason = "witness";
  e.payload["capture"] = "hostage";
  e.payload["capture_date"] = "2020-10-12";
  const json history = {{"person", 12}, {"version", 5}, {"events", json::array({io::EventJson(e)})}};
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/persons/12/history", 200, "application/json",
                                      history));
}

TEST(OpenApiMappingTest, Figures) {
  registry::Figures f;
  f.rows.push_back({"missing", "registered missing", 3, 0, "person", {1, 2, 3}});
  f.rows.push_back({"missing.civilian", "civilians", 3, 1, "person", {1, 2, 3}});
  f.checks.push_back({"missing", {"missing.civilian", "missing.serviceman"}, 3, 3});
  registry::ChainHead head{7, D("2022-01-01"), "ab12"};
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/figures", 200, "application/json",
                                      io::FiguresJson(f, head)));
  f.as_of = D("2021-12-31");
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/figures?as_of=2021-12-31", 200,
                                      "application/json",
                                      io::FiguresJson(f, registry::ChainHead{})));
}

TEST(OpenApiMappingTest, SitesAndHazards) {
  registry::Site s;
  s.id = 3;
  s.name = "Grave 3";
  s.site_kind = "grave";
  s.location = {46.75, 39.6};
  s.discovered_on = D("2021-03-01");
  json site = io::SiteJson(s);
  site["hazards"] = json::array(
      {{{"hazard", 1}, {"hazard_status", "suspected"}, {"inside", true}, {"distance_m", 0.0}}});
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/sites", 200, "application/json",
                                      {{"sites", json::array({site})}, {"near_m", 500.0}}));

  std::map<int64_t, registry::Hazard> hazards;
  registry::Hazard one;
  one.id = 1;
  one.name = "field A";
  one.polygons = {registry::Polygon{{{46.7, 39.5}, {46.8, 39.5}, {46.8, 39.6}}, {}}};
  hazards[1] = one;
  registry::Hazard two = one;
  two.id = 2;
  two.status = registry::HazardStatus::kCleared;
  two.polygons.push_back(registry::Polygon{{{47.0, 39.0}, {47.1, 39.0}, {47.1, 39.1}}, {}});
  hazards[2] = two;
  EXPECT_VALID(Api().ValidateResponse("GET", "/api/v1/hazards", 200, "application/geo+json",
                                      io::HazardsGeoJson(hazards)));
  EXPECT_FALSE(Api().ValidateResponse("GET", "/api/v1/hazards", 200, "application/json",
                                      io::HazardsGeoJson(hazards)));
}

TEST(OpenApiMappingTest, IdentificationsWithAndWithoutGeneticKeys) {
  registry::IdentificationProposal p;
  p.id = 4;
  p.person = registry::PersonId{12};
  p.proposed_on = D("2022-04-01");
  p.proposed_by = "identify";
  p.date = D("2022-03-30");
  p.remains = "B-1";
  p.lr = "1.2e9";
  p.posterior = "0.9999";
  p.run = "abcd";
  p.individual = "I-1";
  p.family = "F-1";
  p.missing = "M";
  p.candidates = "F-1/M";
  EXPECT_VALID(Api().ValidateResponse(
      "GET", "/api/v1/identifications", 200, "application/json",
      {{"identifications", json::array({io::ProposalJson(p, false), io::ProposalJson(p, true)})}}));
  EXPECT_VALID(Api().ValidateResponse(
      "GET", "/api/v1/matches?individual=I-1", 200, "application/json",
      {{"individual", "I-1"}, {"matches", json::array({io::ProposalJson(p, true)})}}));
  // A match without its evidence is not a match.
  EXPECT_FALSE(Api().ValidateResponse(
      "GET", "/api/v1/matches?individual=I-1", 200, "application/json",
      {{"individual", "I-1"}, {"matches", json::array({io::ProposalJson(p, false)})}}));
}

TEST(OpenApiMappingTest, NullableTranslation) {
  // nullable: true admits null beside the type (and beside an enum's values), nothing else.
  auto api = OpenApi::FromJson({{"openapi", "3.0.3"},
                                {"paths", json::object()},
                                {"components",
                                 {{"schemas",
                                   {{"N", {{"type", "integer"}, {"nullable", true}}},
                                    {"E", {{"type", "string"}, {"enum", {"a"}}, {"nullable", true}}},
                                    {"F", {{"type", "string"}, {"format", "date"}, {"nullable", true}}},
                                    {"R", {{"$ref", "#/components/schemas/N"}}},
                                    {"Loop", {{"$ref", "#/components/schemas/Loop"}}}}}}}});
  ASSERT_TRUE(api);
  EXPECT_TRUE(api->ValidateSchema("N", nullptr));
  EXPECT_TRUE(api->ValidateSchema("N", 3));
  EXPECT_FALSE(api->ValidateSchema("N", "3"));
  EXPECT_TRUE(api->ValidateSchema("E", nullptr));
  EXPECT_TRUE(api->ValidateSchema("E", "a"));
  EXPECT_FALSE(api->ValidateSchema("E", "b"));
  EXPECT_TRUE(api->ValidateSchema("F", nullptr));
  EXPECT_TRUE(api->ValidateSchema("F", "2020-02-29"));
  EXPECT_FALSE(api->ValidateSchema("F", "2020-02-30"));
  EXPECT_TRUE(api->ValidateSchema("R", nullptr));
  EXPECT_FALSE(api->ValidateSchema("Loop", 1));
  EXPECT_FALSE(api->ValidateSchema("Missing", 1));
}

}  // namespace
}  // namespace whereabouts::testing
