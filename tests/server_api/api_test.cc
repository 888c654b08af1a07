// The API through HTTP against the real `whereabouts serve` process on the demo register: the
// role x route matrix (from the route table the server uses, plus a hand-written list of the cells
// that matter most), the four-eyes rule, consent, restricted cases, CSRF, lockout, sessions, a
// stale edit, malformed requests, idempotent retries, the audit trail and graceful shutdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "app/roles.h"
#include "server/server.h"
#include "server_api/server_process.h"
#include "store/pg_test_util.h"

namespace whereabouts::testing {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "correct horse battery staple";

// The accounts of the tests: one per role, and a second DNA analyst for the four-eyes rule.
const std::vector<std::pair<std::string, std::string>>& Accounts() {
  static const std::vector<std::pair<std::string, std::string>> kAccounts = {
      {"admin", "administrator"},    {"officer", "case_officer"}, {"officer2", "case_officer"},
      {"analyst", "dna_analyst"},    {"analyst2", "dna_analyst"}, {"field", "field_team"},
      {"liaison", "family_liaison"}, {"stats", "statistics"},     {"auditor", "auditor"}};
  return kAccounts;
}

std::string ReadAll(const std::string& path) { return Slurp(path); }

// A demo register with DNA files and every account, in a folder of its own: a SQLite file, or a
// schema of the PostgreSQL test cluster (skipped without one).
class Api : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      const auto uri = PgTestUri();
      if (!uri) GTEST_SKIP() << kNoPostgres;
      schema_ = std::make_unique<PgSchema>(*uri);
      ASSERT_TRUE(schema_->ok()) << schema_->error();
      db_ = schema_->uri();
    }
    RunResult demo = Wb(dir_, "demo --db " + Db() + " --dna dna");
    ASSERT_EQ(demo.rc, 0) << demo.err;
    {
      std::ofstream pw(dir_.File("pw"));
      pw << kPassword << "\n";
    }
    for (const auto& [name, role] : Accounts()) {
      RunResult r = Wb(dir_, "user add " + name + " --role " + role + " --db " + Db() + " < pw");
      ASSERT_EQ(r.rc, 0) << r.err;
    }
    server_ = std::make_unique<ServerProcess>(dir_, db_);
  }

  // The --db argument of a command (quoted for the shell).
  [[nodiscard]] std::string Db() const { return "'" + db_ + "'"; }

  void TearDown() override {
    std::string all;
    for (const auto& v : SchemaViolations()) all += v + "\n";
    EXPECT_TRUE(SchemaViolations().empty()) << "responses not as docs/openapi.json says:\n" << all;
    SchemaViolations().clear();
  }

  std::unique_ptr<ApiClient> As(const std::string& name) {
    auto c = std::make_unique<ApiClient>(server_->port());
    EXPECT_EQ(c->Login(name, kPassword), 201) << name;
    return c;
  }

  // An open case of the demo register.
  int64_t OpenPerson(ApiClient& c, int skip = 0) {
    auto r = c.Get("/api/v1/persons?status=open&limit=20");
    EXPECT_EQ(r.status, 200);
    return r.body["persons"][skip]["id"].get<int64_t>();
  }

  // Proposes an identification of `person` by hand with the CLI, as `by`; returns its id.
  int64_t Propose(int64_t person, const std::string& by) {
    RunResult r = Wb(dir_, "identification propose " + std::to_string(person) + " --db " + Db() +
                               " --by " + by + " --reason 'DNA report 7'");
    EXPECT_EQ(r.rc, 0) << r.err;
    std::smatch m;
    EXPECT_TRUE(std::regex_search(r.out, m, std::regex("proposal (\\d+)"))) << r.out;
    return std::stoll(m[1].str());
  }

  std::unique_ptr<PgSchema> schema_;  // declared before the server: the server stops first
  TempDir dir_;
  std::string db_ = "r.db";
  std::unique_ptr<ServerProcess> server_;
};

// A concrete path for a route of the table: ids that exist in the demo register.
std::string Concrete(const std::string& path) {
  std::string p = std::regex_replace(path, std::regex(R"(\{id\})"), "1");
  p = std::regex_replace(p, std::regex(R"(\{key\})"), "missing");
  if (p == "/api/v1/matches") p += "?individual=I-1";
  return p;
}

// The documents as PDF: each route with its permission, the same bytes twice, refusals with
// their reason (409), the identification report only for DNA analysts and only for a proposal
// that records its evidence (one imported from a run of the demo's DNA), every document issued
// audited, a language that is no code refused.
TEST_P(Api, DocumentsAsPdfWithTheirPermissionsAndAudit) {
  auto liaison = As("liaison");
  auto analyst = As("analyst");
  auto field = As("field");
  auto stats = As("stats");
  const int64_t person = OpenPerson(*liaison);
  const std::string absence = "/api/v1/persons/" + std::to_string(person) + "/certificates/absence";
  auto a1 = liaison->Get(absence);
  ASSERT_EQ(a1.status, 200) << a1.raw;
  EXPECT_EQ(a1.content_type, "application/pdf");
  EXPECT_EQ(a1.raw.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(liaison->Get(absence).raw, a1.raw);  // the same register state, the same bytes
  EXPECT_EQ(field->Get(absence).status, 403);
  EXPECT_EQ(analyst->Get(absence).status, 403);
  EXPECT_EQ(liaison->Get(absence + "?lang=..%2Fx").status, 400);
  EXPECT_EQ(liaison->Get(absence + "?lang=zz").status, 404);
  // A letter of a proposal nobody confirmed yet is refused, naming why.
  const int64_t unconfirmed = Propose(OpenPerson(*liaison, 1), "lab-import");
  auto early = liaison->Get("/api/v1/identifications/" + std::to_string(unconfirmed) + "/letter");
  EXPECT_EQ(early.status, 409);
  EXPECT_NE(early.body.value("detail", "").find("is not confirmed yet"), std::string::npos)
      << early.body.dump();
  auto figures = stats->Get("/api/v1/figures/report?as_of=2020-01-15");
  EXPECT_EQ(figures.status, 200);
  EXPECT_EQ(figures.raw.rfind("%PDF-", 0), 0u);

  // The demo's proposals record no evidence: the report is refused, naming why.
  auto list = analyst->Get("/api/v1/identifications");
  ASSERT_EQ(list.status, 200);
  int64_t demo_proposal = 0, signed_off = 0;
  for (const auto& p : list.body["identifications"]) {
    if (demo_proposal == 0) demo_proposal = p["id"].get<int64_t>();
    if (signed_off == 0 && !p.value("signed_off_by", "").empty()) signed_off = p["id"];
  }
  ASSERT_GT(demo_proposal, 0);
  auto refused =
      analyst->Get("/api/v1/identifications/" + std::to_string(demo_proposal) + "/report");
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body.value("detail", "").find("records no DNA evidence"), std::string::npos)
      << refused.body.dump();
  ASSERT_GT(signed_off, 0);
  auto letter = liaison->Get("/api/v1/identifications/" + std::to_string(signed_off) + "/letter");
  EXPECT_EQ(letter.status, 200);
  EXPECT_EQ(letter.content_type, "application/pdf");

  // A run of the demo's DNA, imported with its evidence: the report, for analysts only.
  RunResult id = Wb(dir_,
                    "identify --families dna/families.csv --references dna/references.tsv "
                    "--remains dna/remains.csv --remains-alleles dna/remains-alleles.tsv "
                    "--frequencies dna/frequencies.tsv --out idout --quiet");
  ASSERT_EQ(id.rc, 0) << id.err;
  RunResult imp = Wb(dir_,
                     "import identifications idout/identifications.csv --families "
                     "dna/families.csv --db " +
                         Db() + " --by lab");
  ASSERT_EQ(imp.rc, 0) << imp.err;
  list = analyst->Get("/api/v1/identifications?status=proposed");
  ASSERT_EQ(list.status, 200);
  int64_t with_evidence = 0, evidence_person = 0;
  for (const auto& p : list.body["identifications"]) {
    if (!p.value("run", "").empty()) {
      with_evidence = p["id"];
      evidence_person = p["person"];
    }
  }
  ASSERT_GT(with_evidence, 0) << list.body.dump();
  // The evidence in the person's history is genetic data: left out for other roles.
  auto history = liaison->Get("/api/v1/persons/" + std::to_string(evidence_person) + "/history");
  ASSERT_EQ(history.status, 200);
  EXPECT_EQ(history.body.dump().find("whereabouts-evidence"), std::string::npos);
  EXPECT_NE(analyst->Get("/api/v1/persons/" + std::to_string(evidence_person) + "/history")
                .body.dump()
                .find("whereabouts-evidence"),
            std::string::npos);
  const std::string report = "/api/v1/identifications/" + std::to_string(with_evidence) + "/report";
  auto r1 = analyst->Get(report);
  ASSERT_EQ(r1.status, 200) << r1.body.dump();
  EXPECT_EQ(r1.raw.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(analyst->Get(report).raw, r1.raw);
  EXPECT_EQ(liaison->Get(report).status, 403);  // genetic content: DNA analysts only
  EXPECT_EQ(analyst->Get("/api/v1/identifications/999999/report").status, 404);

  auto auditor = As("auditor");
  auto trail = auditor->Get("/api/v1/audit?limit=1000");
  ASSERT_EQ(trail.status, 200);
  std::set<std::string> seen;
  for (const auto& r : trail.body["records"]) {
    if (r["outcome"] == "ok")
      seen.insert(r["actor"].get<std::string>() + " " + r["action"].get<std::string>());
  }
  EXPECT_TRUE(seen.count("liaison certificate.absence")) << trail.body.dump();
  EXPECT_TRUE(seen.count("liaison identification.letter"));
  EXPECT_TRUE(seen.count("analyst identification.report"));
}

TEST_P(Api, HealthAnswersWithoutASession) {
  ApiClient anonymous(server_->port());
  auto r = anonymous.Get("/api/v1/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
  EXPECT_EQ(r.body["register"], "ok");
  EXPECT_FALSE(r.body.contains("events"));  // nothing about the register's size without a session
}

TEST_P(Api, EveryRouteOfTheTableForEveryRole) {
  // Without a session: 401 on everything but the public routes.
  ApiClient anonymous(server_->port());
  for (const auto& route : server::RouteTable()) {
    auto r = anonymous.Send(route.method, Concrete(route.path), "{}");
    if (route.permission == app::Permission::kPublic) {
      EXPECT_NE(r.status, 401) << route.method << " " << route.path;
    } else {
      EXPECT_EQ(r.status, 401) << route.method << " " << route.path;
      EXPECT_EQ(r.content_type, "application/problem+json");
    }
  }
  // Signed in: 403 where the role lacks the permission, never 401/403 where it has it. Writes get
  // an empty body, so that an allowed one is refused as bad input and writes nothing.
  for (const auto& [name, role_name] : Accounts()) {
    const app::Role role = *app::ParseRole(role_name);
    auto c = As(name);
    for (const auto& route : server::RouteTable()) {
      if (route.method == "DELETE" && route.path == "/api/v1/session") continue;  // signs out
      if (route.method == "POST" && route.path == "/api/v1/session") continue;    // signs in
      auto r = c->Send(route.method, Concrete(route.path), "{}");
      const std::string cell = role_name + " " + route.method + " " + route.path + " -> " +
                               std::to_string(r.status) + " " + r.body.dump();
      if (app::Allows(role, route.permission)) {
        EXPECT_NE(r.status, 403) << cell;
        EXPECT_NE(r.status, 401) << cell;
        EXPECT_NE(r.status, 0) << cell;
      } else {
        EXPECT_EQ(r.status, 403) << cell;
        EXPECT_EQ(r.content_type, "application/problem+json") << cell;
      }
    }
    auto out = c->Send("DELETE", "/api/v1/session");
    EXPECT_EQ(out.status, 204) << name;
    EXPECT_EQ(c->Get("/api/v1/session").status, 401) << name << " after signing out";
  }
}

// The cells that matter most, written out by hand so that a wrong declaration fails too.
TEST_P(Api, TheCellsThatMatterMost) {
  struct Cell {
    const char* user;
    const char* method;
    const char* path;
    int status;
  };
  const Cell cells[] = {
      {"stats", "GET", "/api/v1/figures", 200},
      {"stats", "GET", "/api/v1/persons", 403},
      {"stats", "GET", "/api/v1/persons/1", 403},
      {"stats", "GET", "/api/v1/persons/1/history", 403},
      {"stats", "GET", "/api/v1/identifications", 403},
      {"officer", "GET", "/api/v1/persons/1", 200},
      {"officer", "GET", "/api/v1/matches?individual=I-1", 403},
      {"admin", "GET", "/api/v1/matches?individual=I-1", 403},
      {"auditor", "GET", "/api/v1/matches?individual=I-1", 403},
      {"liaison", "GET", "/api/v1/matches?individual=I-1", 403},
      {"analyst", "GET", "/api/v1/matches?individual=I-1", 200},
      {"liaison", "POST", "/api/v1/identifications/1/confirm", 403},
      {"officer", "POST", "/api/v1/identifications/1/sign-off", 403},
      {"analyst", "PATCH", "/api/v1/persons/1", 403},
      {"field", "POST", "/api/v1/persons", 403},
      {"officer", "POST", "/api/v1/remains/1/custody", 403},
      {"officer", "POST", "/api/v1/persons/1/notification", 403},
      {"auditor", "GET", "/api/v1/audit", 200},
      {"officer", "GET", "/api/v1/audit", 403},
      {"admin", "GET", "/api/v1/audit", 403},
      {"admin", "GET", "/api/v1/accounts", 200},
      {"officer", "GET", "/api/v1/accounts", 403},
      {"officer", "POST", "/api/v1/identification-runs", 403},
      {"field", "GET", "/api/v1/hazards", 200},
      {"stats", "GET", "/api/v1/sites", 403},
  };
  std::map<std::string, std::unique_ptr<ApiClient>> clients;
  for (const Cell& cell : cells) {
    auto& c = clients[cell.user];
    if (!c) c = As(cell.user);
    auto r = c->Send(cell.method, cell.path, "{}");
    EXPECT_EQ(r.status, cell.status)
        << cell.user << " " << cell.method << " " << cell.path << " " << r.body.dump();
  }
  // Aggregate figures carry no names and no ids.
  auto figures = clients["stats"]->Get("/api/v1/figures");
  EXPECT_EQ(figures.body.dump().find("\"ids\""), std::string::npos);
  EXPECT_EQ(figures.body.dump().find("family_name"), std::string::npos);
}

TEST_P(Api, FourEyesBeforeTheFamilyIsTold) {
  auto analyst = As("analyst");
  auto analyst2 = As("analyst2");
  auto liaison = As("liaison");
  const int64_t person = OpenPerson(*analyst);
  const int64_t proposal = Propose(person, "lab-import");
  const std::string base = "/api/v1/identifications/" + std::to_string(proposal);

  auto confirm = analyst->Post(base + "/confirm", {{"reason", "LR 1e12, all markers"}});
  ASSERT_EQ(confirm.status, 200) << confirm.body.dump();
  EXPECT_EQ(confirm.body["status"], "confirmed");
  const std::string notify = "/api/v1/persons/" + std::to_string(person) + "/notification";
  const std::string today = Today();
  auto early = liaison->Post(notify, {{"date", today}, {"reason", "visit"}});
  EXPECT_EQ(early.status, 409) << early.body.dump();  // not signed off yet

  auto own = analyst->Post(base + "/sign-off", {{"reason", "checked"}});
  EXPECT_EQ(own.status, 409) << own.body.dump();  // the confirmer may not sign off
  auto second = analyst2->Post(base + "/sign-off", {{"reason", "checked the evidence"}});
  EXPECT_EQ(second.status, 200) << second.body.dump();
  auto told = liaison->Post(notify, {{"date", today}, {"reason", "home visit"}});
  EXPECT_EQ(told.status, 201) << told.body.dump();
  auto p = liaison->Get("/api/v1/persons/" + std::to_string(person));
  EXPECT_EQ(p.body["status"], "identified");
  EXPECT_EQ(p.body["family_notified_on"], today);

  // No one signs off their own proposal.
  const int64_t other = OpenPerson(*analyst, 0);
  const int64_t proposal2 = Propose(other, "analyst2");
  const std::string base2 = "/api/v1/identifications/" + std::to_string(proposal2);
  ASSERT_EQ(analyst->Post(base2 + "/confirm", {{"reason", "LR 1e9"}}).status, 200);
  EXPECT_EQ(analyst2->Post(base2 + "/sign-off", {{"reason", "mine"}}).status, 409);
}

// POST /api/v1/identifications/{id}/revoke: only with decide_identification (a role without it
// gets 403 and nothing changes), a reason required (400), an unknown proposal 404; a confirmed,
// signed-off and notified identification revoked reopens the case (status, figures) and is
// audited; a second revocation, or one of a proposal never confirmed, is refused (409).
TEST_P(Api, RevokingAConfirmedIdentificationReopensTheCase) {
  auto analyst = As("analyst");
  auto analyst2 = As("analyst2");
  auto officer = As("officer");
  auto liaison = As("liaison");
  const int64_t person = OpenPerson(*analyst);
  const std::string who = "/api/v1/persons/" + std::to_string(person);
  const int64_t proposal = Propose(person, "lab-import");
  const std::string base = "/api/v1/identifications/" + std::to_string(proposal);
  // Not yet confirmed: nothing to revoke.
  auto early = analyst->Post(base + "/revoke", {{"reason", "second test excludes him"}});
  EXPECT_EQ(early.status, 409) << early.body.dump();
  ASSERT_EQ(analyst->Post(base + "/confirm", {{"reason", "LR 1e12, all markers"}}).status, 200);
  ASSERT_EQ(analyst2->Post(base + "/sign-off", {{"reason", "checked the evidence"}}).status, 200);
  ASSERT_EQ(
      liaison->Post(who + "/notification", {{"date", Today()}, {"reason", "home visit"}}).status,
      201);
  const auto figure = [&](const std::string& key, const std::string& query = "") {
    const json figures = analyst->Get("/api/v1/figures" + query).body;
    for (const auto& r : figures["rows"]) {
      if (r["key"] == key) return r["value"].get<int64_t>();
    }
    return int64_t{-1};
  };
  const int64_t identified = figure("identified");
  const int64_t notified = figure("identified.notified");
  ASSERT_GT(identified, 0);

  // Without the permission: 403, audited as refused, nothing changes.
  for (auto* c : {officer.get(), liaison.get()}) {
    auto denied = c->Post(base + "/revoke", {{"reason", "wrong person"}});
    EXPECT_EQ(denied.status, 403) << denied.body.dump();
  }
  EXPECT_EQ(analyst->Get(who).body["status"], "identified");
  // No reason, an unknown proposal, an unknown field.
  auto no_reason = analyst2->Post(base + "/revoke", json::object());
  EXPECT_EQ(no_reason.status, 400) << no_reason.body.dump();
  EXPECT_EQ(analyst2->Post(base + "/revoke", {{"reason", ""}}).status, 400);
  EXPECT_EQ(analyst2->Post(base + "/revoke", {{"reason", "x"}, {"date", "2020-01-01"}}).status,
            400);
  auto unknown = analyst2->Post("/api/v1/identifications/999999/revoke", {{"reason", "x"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body.dump();
  EXPECT_EQ(analyst->Get(who).body["status"], "identified");

  // Revoked by a DNA analyst: the case is open again, the figures follow.
  auto revoked = analyst2->Post(base + "/revoke", {{"reason", "second DNA test excludes him"}});
  ASSERT_EQ(revoked.status, 200) << revoked.body.dump();
  EXPECT_EQ(revoked.body["status"], "revoked");
  EXPECT_EQ(revoked.body["proposal"], proposal);
  EXPECT_EQ(revoked.body["person"], person);
  EXPECT_EQ(revoked.body["by"], "analyst2");
  auto p = analyst->Get(who);
  EXPECT_EQ(p.body["status"], "open") << p.body.dump();
  EXPECT_TRUE(!p.body.contains("family_notified_on") || p.body["family_notified_on"].is_null() ||
              p.body["family_notified_on"] == "")
      << p.body.dump();
  EXPECT_EQ(figure("identified"), identified - 1);
  EXPECT_EQ(figure("identified.notified"), notified - 1);
  // As of yesterday nothing of today shows, before or after the revocation.
  const std::string yesterday = "?as_of=" + Yesterday();
  EXPECT_EQ(figure("identified", yesterday), identified - 1);
  auto listed = analyst->Get("/api/v1/identifications?status=revoked");
  ASSERT_EQ(listed.status, 200);
  bool found = false;
  for (const auto& i : listed.body["identifications"]) {
    if (i["id"] == proposal) {
      found = true;
      EXPECT_EQ(i["revoked_by"], "analyst2");
      EXPECT_EQ(i["revocation_reason"], "second DNA test excludes him");
    }
  }
  EXPECT_TRUE(found) << listed.body.dump();
  // Twice: refused, nothing changes.
  auto again = analyst->Post(base + "/revoke", {{"reason", "again"}});
  EXPECT_EQ(again.status, 409) << again.body.dump();

  // Audited: the revocation with its records, and the refusals.
  auto auditor = As("auditor");
  auto trail = auditor->Get("/api/v1/audit?limit=1000");
  ASSERT_EQ(trail.status, 200);
  int ok = 0, denied = 0;
  for (const auto& r : trail.body["records"]) {
    if (r["action"] != "identification.revoke") continue;
    if (r["outcome"] == "ok") {
      ++ok;
      EXPECT_EQ(r["actor"], "analyst2");
      EXPECT_EQ(r["records"],
                "proposal " + std::to_string(proposal) + ",person " + std::to_string(person));
    } else if (r["actor"] == "officer" || r["actor"] == "liaison") {
      ++denied;
    }
  }
  EXPECT_EQ(ok, 1) << trail.body.dump();
  EXPECT_EQ(denied, 2) << trail.body.dump();
  EXPECT_EQ(auditor->Get("/api/v1/audit/verify").body["ok"], true);
}

TEST_P(Api, GeneticDataOnlyForDnaAnalystsAndEveryReadAudited) {
  auto analyst = As("analyst");
  auto officer = As("officer");
  const int64_t person = OpenPerson(*analyst);
  Propose(person, "lab-import");
  auto a = analyst->Get("/api/v1/identifications");
  ASSERT_EQ(a.status, 200);
  ASSERT_FALSE(a.body["identifications"].empty());
  EXPECT_TRUE(a.body["identifications"][0].contains("lr"));
  auto o = officer->Get("/api/v1/identifications");
  ASSERT_EQ(o.status, 200);
  EXPECT_FALSE(o.body["identifications"][0].contains("lr"));
  EXPECT_FALSE(o.body["identifications"][0].contains("individual"));
  auto auditor = As("auditor");
  auto trail = auditor->Get("/api/v1/audit?limit=1000");
  ASSERT_EQ(trail.status, 200);
  bool genetic_read = false;
  for (const auto& r : trail.body["records"]) {
    if (r["action"] == "identifications.read" && r["actor"] == "analyst") genetic_read = true;
    EXPECT_FALSE(r["action"] == "identifications.read" && r["actor"] == "officer");
  }
  EXPECT_TRUE(genetic_read);
}

TEST_P(Api, RestrictedCaseIsInvisibleToEveryoneNotNamed) {
  auto admin = As("admin");
  auto officer = As("officer");
  auto officer2 = As("officer2");
  const int64_t person = OpenPerson(*officer);
  const std::string path = "/api/v1/persons/" + std::to_string(person);
  auto put = admin->Send("PUT", path + "/restriction", json{{"staff", {"officer"}}}.dump());
  ASSERT_EQ(put.status, 200) << put.body.dump();
  EXPECT_EQ(officer->Get(path).status, 200);
  EXPECT_EQ(officer2->Get(path).status, 404);
  EXPECT_EQ(officer2->Get(path + "/history").status, 404);
  EXPECT_EQ(officer2->Get("/api/v1/persons/999999").status, 404);  // the same answer
  auto list = officer2->Get("/api/v1/persons?status=open&limit=20");
  for (const auto& p : list.body["persons"]) EXPECT_NE(p["id"].get<int64_t>(), person);
  // Lifted: visible again.
  ASSERT_EQ(admin->Send("PUT", path + "/restriction", json{{"staff", json::array()}}.dump()).status,
            200);
  EXPECT_EQ(officer2->Get(path).status, 200);
}

TEST_P(Api, CsrfLockoutAndSessions) {
  auto officer = As("officer");
  const json body = {{"family_name", "Testova"}, {"given_name", "Ana"}, {"reason", "testimony"}};
  officer->set_send_csrf(false);
  auto no_token = officer->Post("/api/v1/persons", body);
  EXPECT_EQ(no_token.status, 403) << no_token.body.dump();
  officer->set_send_csrf(true);
  EXPECT_EQ(officer->Post("/api/v1/persons", body).status, 201);

  // Sign-in: a new session id each time, the old one no longer works.
  ApiClient twice(server_->port());
  ASSERT_EQ(twice.Login("officer2", kPassword), 201);
  const std::string first = twice.cookie();
  ASSERT_EQ(twice.Login("officer2", kPassword), 201);
  EXPECT_NE(first, twice.cookie());
  ApiClient stale(server_->port());
  stale.set_cookie(first);
  EXPECT_EQ(stale.Get("/api/v1/session").status, 401);
  // The cookie's attributes.
  ApiClient fresh(server_->port());
  auto login = fresh.Send("POST", "/api/v1/session",
                          json{{"username", "stats"}, {"password", kPassword}}.dump());
  const std::string cookie = login.Header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("__Host-wb_session=", 0), 0u) << cookie;
  for (const char* attr : {"HttpOnly", "Secure", "SameSite=Strict", "Path=/"}) {
    EXPECT_NE(cookie.find(attr), std::string::npos) << attr;
  }

  // Lockout after five failures: even the right password is refused for a while.
  ApiClient attacker(server_->port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(attacker.Login("field", "wrong password!!"), 401);
  EXPECT_EQ(attacker.Login("field", kPassword), 429);
  EXPECT_EQ(attacker.Login("nobody", "wrong password!!"), 401);  // same answer as a wrong one
}

TEST_P(Api, StaleEditMalformedRequestsAndRetries) {
  auto officer = As("officer");
  const int64_t person = OpenPerson(*officer);
  const std::string path = "/api/v1/persons/" + std::to_string(person);
  auto got = officer->Get(path);
  const std::string etag = got.Header("ETag");
  ASSERT_FALSE(etag.empty());
  const json fix = {{"fields", {{"disappearance_place", "Upper village"}}},
                    {"reason", "testimony"}};
  auto missing = officer->Send("PATCH", path, fix.dump());
  EXPECT_EQ(missing.status, 428) << missing.body.dump();
  auto ok = officer->Send("PATCH", path, fix.dump(), {{"If-Match", etag}});
  ASSERT_EQ(ok.status, 200) << ok.body.dump();
  auto stale = officer->Send("PATCH", path, fix.dump(), {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412) << stale.body.dump();
  EXPECT_EQ(stale.content_type, "application/problem+json");
  const std::string version_after = officer->Get(path).Header("ETag");
  EXPECT_EQ(version_after, ok.Header("ETag"));  // the stale edit wrote nothing

  // Bad requests name the problem and write nothing.
  auto unknown =
      officer->Send("PATCH", path, json{{"fields", {{"witness", "x"}}}, {"reason", "r"}}.dump(),
                    {{"If-Match", version_after}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.body["field"], "fields.witness");
  auto extra = officer->Post("/api/v1/persons",
                             {{"family_name", "A"}, {"given_name", "B"}, {"colour", "x"}});
  EXPECT_EQ(extra.status, 400);
  EXPECT_EQ(extra.body["field"], "colour");
  auto wrong_type = officer->Post("/api/v1/persons", {{"family_name", 7}, {"given_name", "B"}});
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.body["field"], "family_name");
  auto malformed = officer->Send("POST", "/api/v1/persons", "{\"family_name\": ");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(malformed.content_type, "application/problem+json");
  auto not_json = officer->Send("POST", "/api/v1/persons", "family_name=A", {}, "text/plain");
  EXPECT_EQ(not_json.status, 415);
  auto huge =
      officer->Send("POST", "/api/v1/persons",
                    json{{"family_name", std::string(2 << 20, 'a')}, {"given_name", "B"}}.dump());
  EXPECT_EQ(huge.status, 413);
  EXPECT_EQ(officer->Get(path).Header("ETag"), version_after);

  // A retried POST with the same Idempotency-Key registers one person.
  const json body = {{"family_name", "Retry"}, {"given_name", "Once"}, {"reason", "testimony"}};
  auto a = officer->Post("/api/v1/persons", body, {{"Idempotency-Key", "k-123"}});
  auto b = officer->Post("/api/v1/persons", body, {{"Idempotency-Key", "k-123"}});
  ASSERT_EQ(a.status, 201);
  ASSERT_EQ(b.status, 201);
  EXPECT_EQ(a.body["id"], b.body["id"]);
  auto found = officer->Get("/api/v1/persons?q=Retry");
  EXPECT_EQ(found.body["persons"].size(), 1u);
}

TEST_P(Api, IdentificationRunOnTheRegisterHonoursConsent) {
  auto analyst = As("analyst");
  auto officer = As("officer");
  // Withdraw one relative's consent: its reference is left out of the run.
  const std::string refs = ReadAll(dir_.File("dna/references.tsv"));
  const std::string fams = ReadAll(dir_.File("dna/families.csv"));
  int64_t relative = 0;
  for (int64_t p = 1; p <= 300 && relative == 0; ++p) {
    auto rel = officer->Get("/api/v1/persons/" + std::to_string(p) + "/relatives");
    if (rel.status == 200 && !rel.body["relatives"].empty()) {
      const auto& r = rel.body["relatives"][0];
      if (!r["sample"].get<std::string>().empty() &&
          refs.find(r["sample"].get<std::string>()) != std::string::npos) {
        relative = r["id"].get<int64_t>();
      }
    }
  }
  ASSERT_GT(relative, 0) << "the demo registers relatives with reference samples";
  auto withdraw = officer->Post("/api/v1/relatives/" + std::to_string(relative) + "/consent",
                                {{"consent", "none"}, {"reason", "letter of withdrawal"}});
  ASSERT_EQ(withdraw.status, 200) << withdraw.body.dump();

  const json body = {{"families", fams},
                     {"references", refs},
                     {"remains", ReadAll(dir_.File("dna/remains.csv"))},
                     {"remains_alleles", ReadAll(dir_.File("dna/remains-alleles.tsv"))},
                     {"reason", "quarterly run"}};
  auto start = analyst->Post("/api/v1/identification-runs", body);
  ASSERT_EQ(start.status, 202) << start.body.dump();
  const std::string location = start.Header("Location");
  ASSERT_FALSE(location.empty());
  json state;
  for (int i = 0; i < 600; ++i) {
    state = analyst->Get(location).body;
    if (state["status"] == "done" || state["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(state["status"], "done") << state.dump();
  EXPECT_EQ(state["counts"]["references_without_consent"], 1);
  EXPECT_GT(state["counts"]["proposed"].get<int>(), 0);
  auto proposals = analyst->Get("/api/v1/identifications?status=proposed");
  EXPECT_GE(proposals.body["identifications"].size(),
            static_cast<size_t>(state["counts"]["proposed"].get<int>()));
  // The run recorded its evidence with each proposal: the identification report is produced.
  int64_t from_run = 0;
  for (const auto& p : proposals.body["identifications"]) {
    if (!p.value("run", "").empty()) from_run = p["id"];
  }
  ASSERT_GT(from_run, 0);
  auto report = analyst->Get("/api/v1/identifications/" + std::to_string(from_run) + "/report");
  EXPECT_EQ(report.status, 200) << report.body.dump();
  EXPECT_EQ(report.raw.rfind("%PDF-", 0), 0u);
  // A malformed file is refused at once, naming it, and starts nothing.
  json bad = body;
  bad["remains"] = "not,a\nremains,file,at,all\n";
  auto refused = analyst->Post("/api/v1/identification-runs", bad);
  EXPECT_EQ(refused.status, 400) << refused.body.dump();
}

// The run on the register's own DNA data ({"source": "register"}, as `identify --db`): no files,
// consent honoured and counted among what was left out, proposals on the register's own sites.
TEST_P(Api, IdentificationRunReadsTheRegistersOwnData) {
  auto analyst = As("analyst");
  auto officer = As("officer");
  int64_t relative = 0;
  for (int64_t p = 1; p <= 300 && relative == 0; ++p) {
    auto rel = officer->Get("/api/v1/persons/" + std::to_string(p) + "/relatives");
    if (rel.status != 200) continue;
    for (const auto& r : rel.body["relatives"]) {
      if (!r["sample"].get<std::string>().empty() && r["consent"] != "none") {
        relative = r["id"].get<int64_t>();
        break;
      }
    }
  }
  ASSERT_GT(relative, 0) << "the demo registers relatives with reference samples";
  auto withdraw = officer->Post("/api/v1/relatives/" + std::to_string(relative) + "/consent",
                                {{"consent", "none"}, {"reason", "letter of withdrawal"}});
  ASSERT_EQ(withdraw.status, 200) << withdraw.body.dump();

  // Files beside "source": "register" are refused, as is an unknown source; nothing starts.
  auto mixed = analyst->Post("/api/v1/identification-runs",
                             {{"source", "register"}, {"families", "family,id\n"}});
  EXPECT_EQ(mixed.status, 400) << mixed.body.dump();
  EXPECT_EQ(mixed.body["field"], "families");
  auto unknown = analyst->Post("/api/v1/identification-runs", {{"source", "laboratory"}});
  EXPECT_EQ(unknown.status, 400) << unknown.body.dump();
  EXPECT_EQ(unknown.body["field"], "source");
  // A field team may not start one.
  EXPECT_EQ(As("field")->Post("/api/v1/identification-runs", {{"source", "register"}}).status, 403);

  auto start = analyst->Post("/api/v1/identification-runs",
                             {{"source", "register"}, {"reason", "run on the register"}});
  ASSERT_EQ(start.status, 202) << start.body.dump();
  const std::string location = start.Header("Location");
  json state;
  for (int i = 0; i < 1200; ++i) {
    state = analyst->Get(location).body;
    if (state["status"] == "done" || state["status"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(state["status"], "done") << state.dump();
  const json& counts = state["counts"];
  EXPECT_EQ(counts["source"], "register");
  EXPECT_EQ(counts["references_without_consent"], 1) << counts.dump();
  int consent_left_out = 0;
  for (const auto& [why, n] : counts["left_out"].items()) {
    if (why.find("consent") != std::string::npos) consent_left_out += n.get<int>();
  }
  EXPECT_EQ(consent_left_out, 1) << counts["left_out"].dump();
  ASSERT_GT(counts["proposed"].get<int>(), 0) << counts.dump();
  EXPECT_EQ(counts["not_in_register"], 0);

  // Its proposals carry the run id and name the register's own sites (by id).
  std::set<std::string> site_ids;
  auto sites = officer->Get("/api/v1/sites");
  ASSERT_EQ(sites.status, 200) << sites.body.dump();
  for (const auto& site : sites.body["sites"]) {
    site_ids.insert(std::to_string(site["id"].get<int64_t>()));
  }
  auto proposals = analyst->Get("/api/v1/identifications?status=proposed");
  int of_run = 0, with_site = 0;
  for (const auto& p : proposals.body["identifications"]) {
    if (p.value("run", "") != counts["run"].get<std::string>()) continue;
    ++of_run;
    if (!p["site"].is_number() || p["site"].get<int64_t>() == 0) continue;
    const std::string site = std::to_string(p["site"].get<int64_t>());
    ++with_site;
    EXPECT_EQ(site_ids.count(site), 1u)
        << "site " << site << " of proposal " << p.dump() << " not among " << sites.body.dump();
  }
  EXPECT_EQ(of_run, counts["proposed"].get<int>());
  EXPECT_GT(with_site, 0);
  // The audit trail names the run as started on the register.
  auto audit = As("auditor")->Get("/api/v1/audit?limit=1000");
  ASSERT_EQ(audit.status, 200) << audit.body.dump();
  bool logged = false;
  for (const auto& r : audit.body["records"]) {
    logged |= r["action"] == "identification_run.start" && r["outcome"] == "ok" &&
              r.dump().find("on the register") != std::string::npos;
  }
  EXPECT_TRUE(logged) << audit.body.dump();
}

TEST_P(Api, FieldTeamRecordsSitesRemainsAndCustody) {
  auto field = As("field");
  // A site inside a hazard area that is not cleared: its excavation is refused with the reason.
  auto sites = field->Get("/api/v1/sites");
  ASSERT_EQ(sites.status, 200);
  int64_t mined = 0;
  for (const auto& site : sites.body["sites"]) {
    for (const auto& h : site["hazards"]) {
      if (h["inside"] == true && h["hazard_status"] != "cleared") mined = site["id"].get<int64_t>();
    }
  }
  ASSERT_GT(mined, 0) << "the demo has a site inside an uncleared hazard area";
  auto refused = field->Post("/api/v1/sites/" + std::to_string(mined) + "/excavations",
                             {{"date", Today()}, {"team", "team 2"}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_NE(refused.body["detail"].get<std::string>().find("excavation refused"), std::string::npos)
      << refused.body.dump();
  auto hazards = field->Get("/api/v1/hazards");
  EXPECT_EQ(hazards.content_type, "application/geo+json");
  EXPECT_EQ(hazards.body["type"], "FeatureCollection");

  auto site = field->Post("/api/v1/sites", {{"name", "Ravine east"},
                                            {"lon", 44.51},
                                            {"lat", 40.18},
                                            {"discovered_on", Today()},
                                            {"reason", "shepherd's report"}});
  ASSERT_EQ(site.status, 201) << site.body.dump();
  const int64_t site_id = site.body["id"].get<int64_t>();
  EXPECT_EQ(field
                ->Post("/api/v1/sites/" + std::to_string(site_id) + "/excavations",
                       {{"date", Today()}, {"team", "team 2"}})
                .status,
            201);
  auto bag = field->Post("/api/v1/remains", {{"label", "RE-1-B1"},
                                             {"site", site_id},
                                             {"recovered_on", Today()},
                                             {"holder", "field team 2"},
                                             {"commingled", true}});
  ASSERT_EQ(bag.status, 201) << bag.body.dump();
  const std::string bag_path = "/api/v1/remains/" + std::to_string(bag.body["id"].get<int64_t>());
  auto wrong = field->Post(bag_path + "/custody", {{"from", "the morgue"}, {"to", "lab"}});
  EXPECT_EQ(wrong.status, 409) << wrong.body.dump();
  auto handed = field->Post(bag_path + "/custody", {{"from", "field team 2"}, {"to", "morgue"}});
  EXPECT_EQ(handed.status, 201) << handed.body.dump();
  auto shown = field->Get(bag_path);
  EXPECT_EQ(shown.body["holder"], "morgue");
  EXPECT_EQ(shown.body["custody"].size(), 2u);
  EXPECT_FALSE(shown.body.contains("profiles"));  // genetic data: DNA analysts only
  auto listed = field->Get("/api/v1/remains");
  EXPECT_FALSE(listed.body["remains"].empty());
}

TEST_P(Api, ReferencesForCourtUseNeedConsentForCourt) {
  auto officer = As("officer");
  auto analyst = As("analyst");
  const int64_t person = OpenPerson(*officer, 2);
  const std::string base = "/api/v1/persons/" + std::to_string(person);
  ASSERT_EQ(officer
                ->Post(base + "/relatives", {{"name", "Relative One"},
                                             {"relationship", "mother"},
                                             {"sample", "REF-C-1"},
                                             {"consent", "identification"}})
                .status,
            201);
  ASSERT_EQ(officer
                ->Post(base + "/relatives", {{"name", "Relative Two"},
                                             {"relationship", "brother"},
                                             {"sample", "REF-C-2"},
                                             {"consent", "identification_and_court"}})
                .status,
            201);
  auto samples = [](const json& list) {
    std::set<std::string> out;
    for (const auto& r : list) out.insert(r["sample"].get<std::string>());
    return out;
  };
  auto ident = analyst->Get(base + "/references?purpose=identification");
  ASSERT_EQ(ident.status, 200) << ident.body.dump();
  EXPECT_TRUE(samples(ident.body["references"]).count("REF-C-1"));
  EXPECT_TRUE(samples(ident.body["references"]).count("REF-C-2"));
  auto court = analyst->Get(base + "/references?purpose=court");
  ASSERT_EQ(court.status, 200);
  EXPECT_FALSE(samples(court.body["references"]).count("REF-C-1"));
  EXPECT_TRUE(samples(court.body["withheld"]).count("REF-C-1"));
  EXPECT_TRUE(samples(court.body["references"]).count("REF-C-2"));
  EXPECT_EQ(analyst->Get(base + "/references?purpose=press").status, 400);
  EXPECT_EQ(officer->Get(base + "/references?purpose=court").status, 403);  // genetic
}

TEST_P(Api, EveryCellOfTheFiguresLeadsToItsRecords) {
  auto officer = As("officer");
  const json figures = officer->Get("/api/v1/figures").body;
  int checked = 0;
  for (const auto& row : figures["rows"]) {
    if (row["entity"] != "person" || row["value"].get<int64_t>() == 0 || checked >= 5) continue;
    auto cell = officer->Get("/api/v1/figures/cells/" + row["key"].get<std::string>());
    ASSERT_EQ(cell.status, 200) << row["key"];
    EXPECT_EQ(cell.body["value"], row["value"]);
    EXPECT_EQ(static_cast<int64_t>(cell.body["persons"].size()) +
                  cell.body["restricted_not_shown"].get<int64_t>(),
              row["value"].get<int64_t>())
        << row["key"];
    ++checked;
  }
  EXPECT_EQ(checked, 5);
  EXPECT_EQ(officer->Get("/api/v1/figures/cells/no.such.cell").status, 404);
  auto stats = As("stats");
  EXPECT_EQ(stats->Get("/api/v1/figures/cells/missing").status, 403);  // names: not for statistics
  EXPECT_EQ(officer->Get("/api/v1/incidents").status, 200);
}

// The server keeps the last figures it computed: a write must show in the next answer.
TEST_P(Api, FiguresFollowEveryWrite) {
  auto stats = As("stats");
  auto officer = As("officer");
  auto value = [](const json& figures, const std::string& key) {
    for (const auto& r : figures["rows"]) {
      if (r["key"] == key) return r["value"].get<int64_t>();
    }
    return int64_t{-1};
  };
  const json before = stats->Get("/api/v1/figures").body;
  EXPECT_EQ(stats->Get("/api/v1/figures").body, before);  // the same, from the cache
  const json past = stats->Get("/api/v1/figures?as_of=2020-01-15").body;
  ASSERT_EQ(
      officer
          ->Post("/api/v1/persons",
                 {{"family_name", "Counted"}, {"given_name", "Once"}, {"reason", "testimony"}})
          .status,
      201);
  const json after = stats->Get("/api/v1/figures").body;
  EXPECT_EQ(value(after, "missing"), value(before, "missing") + 1);
  EXPECT_GT(after["computed_from"]["seq"].get<int64_t>(),
            before["computed_from"]["seq"].get<int64_t>());
  // A past date's figures do not change with today's write.
  EXPECT_EQ(stats->Get("/api/v1/figures?as_of=2020-01-15").body, past);
  EXPECT_EQ(stats->Get("/api/v1/figures?as_of=2020-13-40").status, 400);
}

TEST_P(Api, ApiTokensAreScopedAndRevocable) {
  RunResult made = Wb(dir_,
                      "user token add analyst --name lab-upload --scope read_genetic "
                      "--scope read_identifications --db " +
                          Db());
  ASSERT_EQ(made.rc, 0) << made.err;
  const std::string secret = made.out.substr(0, made.out.find('\n'));
  ASSERT_EQ(secret.size(), 64u);
  ApiClient lab(server_->port());
  lab.set_bearer(secret);
  EXPECT_EQ(lab.Get("/api/v1/matches?individual=I-1").status, 200);
  EXPECT_EQ(lab.Get("/api/v1/identifications").status, 200);
  EXPECT_EQ(lab.Get("/api/v1/persons").status, 403);  // the role may, the token may not
  // A token needs no CSRF header (no cookie a browser would send by itself).
  EXPECT_EQ(lab.Post("/api/v1/identifications/1/confirm", {{"reason", "x"}}).status, 403);
  ApiClient forged(server_->port());
  forged.set_bearer(std::string(64, 'a'));
  EXPECT_EQ(forged.Get("/api/v1/identifications").status, 401);
  RunResult list = Wb(dir_, "user token list --db " + Db());
  ASSERT_EQ(list.rc, 0);
  EXPECT_EQ(list.out.find(secret), std::string::npos);  // hashed at rest, never shown again
  RunResult revoked = Wb(dir_, "user token revoke 1 --db " + Db());
  ASSERT_EQ(revoked.rc, 0) << revoked.err;
  EXPECT_EQ(lab.Get("/api/v1/identifications").status, 401);
}

TEST_P(Api, AuditTrailRecordsWritesAndLoginsAndVerifies) {
  {
    ApiClient failed(server_->port());
    EXPECT_EQ(failed.Login("officer", "not the password"), 401);
  }
  auto officer = As("officer");
  ASSERT_EQ(officer
                ->Post("/api/v1/persons",
                       {{"family_name", "Audited"}, {"given_name", "One"}, {"reason", "testimony"}})
                .status,
            201);
  auto auditor = As("auditor");
  auto trail = auditor->Get("/api/v1/audit?limit=1000");
  ASSERT_EQ(trail.status, 200);
  std::set<std::string> actions;
  int64_t last = 0;
  for (const auto& r : trail.body["records"]) {
    actions.insert(r["action"].get<std::string>());
    EXPECT_EQ(r["seq"].get<int64_t>(), last + 1);
    last = r["seq"].get<int64_t>();
    EXPECT_FALSE(r["address"].get<std::string>().empty());
  }
  EXPECT_TRUE(actions.count("login.failed"));
  EXPECT_TRUE(actions.count("login"));
  EXPECT_TRUE(actions.count("person.register"));
  auto verify = auditor->Get("/api/v1/audit/verify");
  EXPECT_EQ(verify.body["ok"], true) << verify.body.dump();
  RunResult cli = Wb(dir_, "audit verify --db " + Db());
  EXPECT_EQ(cli.rc, 0) << cli.out << cli.err;
  // Graceful shutdown.
  EXPECT_EQ(server_->Stop(), 0) << server_->output();
  EXPECT_NE(server_->output().find("stopped"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Stores, Api, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace whereabouts::testing
