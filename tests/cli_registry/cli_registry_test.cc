// End-to-end tests of the registry commands, driving the real binary on a temporary register.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

class DemoCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const RunResult r = Wb(*dir_, "demo");
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  static void TearDownTestSuite() { delete dir_; }
  static TempDir* dir_;
};
TempDir* DemoCliTest::dir_ = nullptr;

TEST_F(DemoCliTest, FiguresTodayAreThoseOfTheIssue) {
  const RunResult r = Wb(*dir_, "report figures --format csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto f = FiguresCsv(r.out);
  EXPECT_EQ(f["missing"], 3890);
  EXPECT_EQ(f["missing.civilian"], 719);
  EXPECT_EQ(f["missing.civilian.child"], 71);
  EXPECT_EQ(f["missing.civilian.woman"], 267);
  EXPECT_EQ(f["missing.civilian.elderly"], 326);
  EXPECT_EQ(f["captured"], 872);
  EXPECT_EQ(f["captured.serviceman"], 605);
  EXPECT_EQ(f["captured.civilian"], 267);
  EXPECT_EQ(f["captured.civilian.child"], 29);
  EXPECT_EQ(f["captured.civilian.woman"], 98);
  EXPECT_EQ(f["captured.civilian.elderly"], 112);
  EXPECT_EQ(f["icrc_visited"], 54);
  EXPECT_EQ(f["icrc_visited.body_returned"], 17);
  EXPECT_EQ(f["icrc_visited.body_returned.other_party"], 12);
  EXPECT_EQ(f["icrc_visited.body_returned.other_party.ostravel"], 10);
  EXPECT_EQ(f["icrc_visited.body_returned.other_party.kernavik_district"], 2);
  EXPECT_EQ(f["icrc_visited.dead_not_returned"], 33);
  EXPECT_EQ(f["icrc_visited.fate_unknown"], 4);
  EXPECT_EQ(f["remains.commingled"], 67);
  EXPECT_EQ(f["identified.by_source.commingled"], 106);
  EXPECT_EQ(f["identified.by_source.graves"], 118);
}

TEST_F(DemoCliTest, FiguresAsOfTheEarlierDate) {
  const RunResult r = Wb(*dir_, "report figures --as-of 2020-01-15 --format csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto f = FiguresCsv(r.out);
  EXPECT_EQ(f["missing"], 3889);
  EXPECT_EQ(f["captured"], 871);
  EXPECT_EQ(f["captured.serviceman"], 604);
}

TEST_F(DemoCliTest, TableAndJsonSayEverythingAddsUp) {
  const RunResult t = Wb(*dir_, "report figures");
  ASSERT_EQ(t.rc, 0);
  EXPECT_NE(t.out.find("3,890"), std::string::npos);
  EXPECT_NE(t.out.find("17 of 17 breakdowns add up"), std::string::npos);
  const RunResult j = Wb(*dir_, "report figures --format json --as-of 2020-01-15");
  ASSERT_EQ(j.rc, 0);
  EXPECT_NE(j.out.find("\"all_add_up\": true"), std::string::npos);
}

TEST_F(DemoCliTest, ShowsTheRecordsBehindACell) {
  const RunResult r =
      Wb(*dir_,
         "report figures --show icrc_visited.body_returned.other_party.kernavik_district "
         "--format csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3);  // header + 2 persons
  const RunResult bad = Wb(*dir_, "report figures --show no.such.cell");
  EXPECT_EQ(bad.rc, 2);
  EXPECT_TRUE(OneErrorLine(bad)) << bad.err;
}

// Identified and returned to families by year: the periods add up to the totals, which are
// those of the issue (224 identified: 106 from bags, 118 from graves).
TEST_F(DemoCliTest, IdentifiedAndReturnedByPeriod) {
  const RunResult r = Wb(*dir_, "report figures --format csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto f = FiguresCsv(r.out);
  EXPECT_EQ(f["identified"], 224);
  long identified = 0, notified = 0, years = 0;
  std::string a_year;
  for (const auto& [key, value] : f) {
    if (key.rfind("identified.period.", 0) == 0) {
      identified += value;
      ++years;
      a_year = key;
    }
    if (key.rfind("identified.notified.period.", 0) == 0) notified += value;
  }
  EXPECT_GE(years, 2);
  EXPECT_EQ(f["identified.period"], 224);
  EXPECT_EQ(identified, 224);
  EXPECT_EQ(f["identified.notified"], 200);
  EXPECT_EQ(notified, f["identified.notified"]);
  EXPECT_EQ(f.count("identified.period.unknown"), 0u);
  // The records behind a period cell.
  const RunResult show = Wb(*dir_, "report figures --format csv --show " + a_year);
  ASSERT_EQ(show.rc, 0) << show.err;
  EXPECT_EQ(std::count(show.out.begin(), show.out.end(), '\n'), f[a_year] + 1);
  const RunResult j = Wb(*dir_, "report figures --format json");
  EXPECT_NE(j.out.find("\"identified.notified.period\""), std::string::npos);
  const RunResult t = Wb(*dir_, "report figures");
  EXPECT_NE(t.out.find("by year of identification"), std::string::npos);
  // As of the earlier date too.
  const RunResult then = Wb(*dir_, "report figures --format csv --as-of 2020-01-15");
  auto g = FiguresCsv(then.out);
  long sum = 0;
  for (const auto& [key, value] : g) {
    if (key.rfind("identified.period.", 0) == 0) sum += value;
  }
  EXPECT_EQ(sum, g["identified"]);
}

TEST_F(DemoCliTest, DemoRefusesToOverwrite) {
  const RunResult r = Wb(*dir_, "demo");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos);
}

TEST_F(DemoCliTest, HazardFlagsAndRefusedExcavation) {
  const RunResult list = Wb(*dir_, "site list");
  ASSERT_EQ(list.rc, 0);
  EXPECT_NE(list.out.find("INSIDE hazard 1 (suspected)"), std::string::npos);
  EXPECT_NE(list.out.find("302 m from hazard 2"), std::string::npos);
  const RunResult exc = Wb(*dir_, "site excavate 7 --date 2025-12-01");
  EXPECT_EQ(exc.rc, 2);
  EXPECT_TRUE(OneErrorLine(exc)) << exc.err;
  EXPECT_NE(exc.err.find("excavation refused: site 7 lies inside hazard area 1"),
            std::string::npos);
}

TEST_F(DemoCliTest, CustodyFromNonHolderIsRefused) {
  const RunResult r = Wb(*dir_, "custody transfer 1 --from 'Field team 9' --to Morgue");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_NE(r.err.find("does not hold"), std::string::npos);
  const RunResult h = Wb(*dir_, "custody history 1");
  ASSERT_EQ(h.rc, 0);
  EXPECT_NE(h.out.find("-> Central forensic laboratory"), std::string::npos);
}

TEST_F(DemoCliTest, DuplicateSuggestionsAcrossTransliterations) {
  const RunResult r = Wb(*dir_, "person duplicates --json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"b\": 500"), std::string::npos);  // 500 is a variant spelling of 499
}

TEST(PersonCliTest, AddShowUpdateAndAsOf) {
  TempDir dir;
  const std::string yesterday = Yesterday();
  RunResult r = Wb(dir,
                   "person add --family-name Velani --given-name Tomas --sex male "
                   "--born 1970-02-02 --affiliation serviceman --unit 'Unit 7' "
                   "--disappeared 1993-05-01 --reason 'family'");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "registered person 1\n");
  r = Wb(dir,
         "person update 1 --event captured --set capture=prisoner_of_war "
         "--set capture_date=1993-05-01");
  ASSERT_EQ(r.rc, 0) << r.err;
  // Death before birth: refused, nothing changed.
  r = Wb(dir, "person update 1 --event reported_dead --set death_date=1969-01-01");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_NE(r.err.find("before the date of birth"), std::string::npos);
  r = Wb(dir, "person show 1 --json");
  ASSERT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("\"reported_dead\": false"), std::string::npos);
  EXPECT_NE(r.out.find("\"capture\": \"prisoner_of_war\""), std::string::npos);
  // Recorded today, by the register's clock: as of yesterday the person was not registered.
  EXPECT_NE(r.out.find("\"registered_on\": \"" + Today() + "\""), std::string::npos) << r.out;
  r = Wb(dir, "person show 1 --as-of " + yesterday);
  EXPECT_EQ(r.rc, 2);
  r = Wb(dir, "person show 1 --history");
  ASSERT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("person.captured"), std::string::npos);
  r = Wb(dir, "person list --format csv");
  ASSERT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("1,Velani,Tomas,,male,1970-02-02,serviceman"), std::string::npos);
}

// The recorded date is the register's: a client cannot back-date a change, so a figure for a past
// date cannot change. A dated history comes in only through the explicit legacy import, and only
// after everything already recorded.
TEST(PersonCliTest, RecordedDateIsTheRegistersOwn) {
  TempDir dir;
  std::ofstream(dir.File("legacy.csv"))
      << "family_name,given_name,sex,birth_date,affiliation,disappearance_date,recorded_on\n"
         "Velani,Tomas,male,1970-02-02,serviceman,1993-05-01,2000-01-10\n"
         "Morsa,Lina,female,1975-03-03,civilian,1993-06-01,2001-06-01\n";
  // Without --legacy-history a recorded_on column is refused, and nothing is written.
  RunResult r = Wb(dir, "import persons legacy.csv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "--legacy-history")) << r.err;
  r = Wb(dir, "import persons legacy.csv --legacy-history");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "person update 1 --event captured --set capture=prisoner_of_war "
              "--set capture_date=1993-05-01");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "person show 1 --as-of 2000-12-31 --json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "\"capture\": \"none\"")) << r.out;
  EXPECT_EQ(Wb(dir, "person show 1 --as-of 1999-12-31").rc, 2);
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv --as-of 2000-12-31").out)["missing"], 1);
  // --recorded-on is refused with the reason; nothing is written.
  r = Wb(dir, "person add --family-name Tarn --recorded-on 2000-06-01");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "--recorded-on")) << r.err;
  // A dated history cannot be slipped in before what is recorded (today's capture).
  std::ofstream(dir.File("late.csv")) << "family_name,recorded_on\nTarn,2000-06-01\n";
  r = Wb(dir, "import persons late.csv --legacy-history");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "before the last event")) << r.err;
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv --as-of 2000-12-31").out)["missing"], 1);
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv").out)["missing"], 2);
  // Every report names the last event it was computed from; the chain verifies.
  r = Wb(dir, "report figures --as-of 2000-12-31");
  EXPECT_TRUE(Has(r.out, "Computed from event #1 (recorded 2000-01-10, chain hash ")) << r.out;
  r = Wb(dir, "report chain");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "the event chain is intact: 3 events, head event #3")) << r.out;
}

TEST(PersonCliTest, BadInputIsOneLineAndExit2) {
  TempDir dir;
  RunResult r = Wb(dir, "person list");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("no register at whereabouts.db"), std::string::npos);
  r = Wb(dir, "person add --sex male");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  r = Wb(dir, "person add --family-name X --born 1970-13-01");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  r = Wb(dir, "person add --family-name X --affiliation civilian --unit 'Unit 5'");
  EXPECT_EQ(r.rc, 2);
  r = Wb(dir, "report figures --as-of yesterday");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  r = Wb(dir, "person add --family-name X --db other.db");
  EXPECT_EQ(r.rc, 0);
  EXPECT_TRUE(std::filesystem::exists(dir.File("other.db")));
}

TEST(ListCliTest, ExportVersionsAndDiff) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani --given-name Tomas").rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Morsa --given-name Lina").rc, 0);
  RunResult r = Wb(dir, "list export --out lists");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("list version 1: 2 persons sought, sha256 "), std::string::npos);
  ASSERT_EQ(Wb(dir, "person add --family-name Tulan").rc, 0);
  ASSERT_EQ(Wb(dir, "person update 2 --set given_name=Lena").rc, 0);
  ASSERT_EQ(Wb(dir, "person update 1 --event withdrawn --reason 'registered twice'").rc, 0);
  ASSERT_EQ(Wb(dir, "list export --out lists").rc, 0);
  r = Wb(dir, "list diff lists/persons-sought-v1.json lists/persons-sought-v2.json");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("1 added, 1 removed, 1 changed"), std::string::npos);
  EXPECT_NE(r.out.find("given_name: 'Lina' -> 'Lena'"), std::string::npos);
  r = Wb(dir, "list diff lists/persons-sought-v1.csv lists/persons-sought-v2.csv --format json");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "list versions");
  EXPECT_NE(r.out.find("v2"), std::string::npos);
  // A tampered JSON export is detected by its sha256.
  std::string text = Slurp(dir.File("lists/persons-sought-v2.json"));
  text.replace(text.find("Lena"), 4, "Lina");
  std::ofstream(dir.File("lists/tampered.json")) << text;
  r = Wb(dir, "list diff lists/persons-sought-v1.json lists/tampered.json");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("sha256"), std::string::npos);
}

TEST(ImportCliTest, GeoJsonSitesAndHazards) {
  TempDir dir;
  std::ofstream(dir.File("areas.geojson")) << R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"North field","status":"confirmed"},
     "geometry":{"type":"Polygon","coordinates":[[[20,45],[20.01,45],[20.01,45.01],[20,45.01],[20,45]]]}},
    {"type":"Feature","properties":{"name":"Old well","site_kind":"well","village":"Lerin"},
     "geometry":{"type":"Point","coordinates":[20.005,45.005]}},
    {"type":"Feature","properties":{"name":"Trench"},
     "geometry":{"type":"Point","coordinates":[20.005,45.013]}}]})";
  RunResult r = Wb(dir, "import geojson areas.geojson");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("imported 1 hazard areas and 2 sites"), std::string::npos);
  EXPECT_NE(r.out.find("flag: site 1 lies inside hazard area 1 (confirmed)"), std::string::npos);
  EXPECT_NE(r.out.find("flag: site 2 lies 334 m from hazard area 1"), std::string::npos);
  // Export: the same features, with the register's derived properties; it imports again.
  r = Wb(dir, "site export --geojson out.geojson");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(
      r.out.find("wrote out.geojson: 2 sites (0 persons identified from them), 1 hazard areas"),
      std::string::npos)
      << r.out;
  std::string exported = Slurp(dir.File("out.geojson"));
  EXPECT_NE(exported.find("\"hazard_flag\": \"inside\""), std::string::npos) << exported;
  EXPECT_NE(exported.find("\"hazard_flag\": \"near\""), std::string::npos);
  EXPECT_NE(exported.find("\"hazard_status\": \"confirmed\""), std::string::npos);
  EXPECT_NE(exported.find("\"coordinates\": [\n     20.005,\n     45.005\n    ]"),
            std::string::npos)
      << "[lon, lat]";
  r = Wb(dir, "site export --geojson old.geojson --as-of 2000-01-01");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("0 sites"), std::string::npos) << r.out;
  r = Wb(dir, "import geojson out.geojson --db copy.db");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("imported 1 hazard areas and 2 sites"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("flag: site 2 lies 334 m from hazard area 1"), std::string::npos);
  r = Wb(dir, "site excavate 1 --date 2026-01-01");
  EXPECT_EQ(r.rc, 2);
  ASSERT_EQ(Wb(dir, "site hazard-status 1 cleared").rc, 0);
  // Cleared today: an excavation is dated on or after the clearance (never back-dated before it).
  r = Wb(dir, "site excavate 1 --date " + Today());
  EXPECT_EQ(r.rc, 0) << r.err;
  // Cleared and excavated: no flag any more, one excavation.
  ASSERT_EQ(Wb(dir, "site export --geojson out.geojson").rc, 0);
  exported = Slurp(dir.File("out.geojson"));
  EXPECT_EQ(exported.find("\"hazard_flag\": \"inside\""), std::string::npos) << exported;
  EXPECT_NE(exported.find("\"hazard_status\": \"cleared\""), std::string::npos);
  EXPECT_NE(exported.find("\"excavations\": 1"), std::string::npos);
  std::ofstream(dir.File("bad.geojson")) << R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"Thin"},
     "geometry":{"type":"Polygon","coordinates":[[[20,45],[20.01,45]]]}}]})";
  r = Wb(dir, "import geojson bad.geojson");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("feature 0 'Thin'"), std::string::npos);
}

TEST(ImportCliTest, PersonsCsvBadRowNamesLineAndCommitsNothingOfItsBatch) {
  TempDir dir;
  std::ofstream(dir.File("p.csv")) << "family_name,given_name,sex,birth_date,affiliation\n"
                                      "Velani,Tomas,male,1970-02-02,serviceman\n"
                                      "Morsa,Lina,female,1975-13-40,civilian\n";
  RunResult r = Wb(dir, "import persons p.csv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_NE(r.err.find("p.csv:3"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("whereabouts.db")));
  std::ofstream(dir.File("ok.csv")) << "family_name,given_name,sex,birth_date,affiliation\n"
                                       "Velani,Tomas,male,1970-02-02,serviceman\n"
                                       "Morsa,Lina,female,1975-12-30,civilian\n";
  r = Wb(dir, "import persons ok.csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  std::ofstream(dir.File("rel.csv")) << "person,name,relationship,sample,consent\n"
                                        "1,Velani Ana,mother,REF-1,identification\n";
  r = Wb(dir, "import relatives rel.csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("imported 1 relatives"), std::string::npos);
}

}  // namespace
}  // namespace whereabouts::testing

namespace whereabouts::testing {
namespace {

TEST(DemoDnaCliTest, SimulatesFamiliesWithReferencesAndKeepsTheFigures) {
  TempDir dir;
  const RunResult r = Wb(dir, "demo --dna dna");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("relatives registered"), std::string::npos);
  for (const char* f : {"families.csv", "references.tsv", "remains.csv", "remains-alleles.tsv",
                        "frequencies.tsv"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.File(std::string("dna/") + f))) << f;
  }
  // Families name the register's person ids.
  const std::string families = Slurp(dir.File("dna/families.csv"));
  EXPECT_NE(families.find(",missing,,1\n"), std::string::npos);
  const RunResult f = Wb(dir, "report figures --format csv");
  ASSERT_EQ(f.rc, 0);
  auto v = FiguresCsv(f.out);
  EXPECT_EQ(v["missing"], 3890);
  EXPECT_EQ(v["captured.serviceman"], 605);
}

}  // namespace
}  // namespace whereabouts::testing

namespace whereabouts::testing {
namespace {

TEST(IncidentCliTest, SourcesWithHashAndIncidentsWithLinks) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  std::ofstream(dir.File("report.txt")) << "abc";
  RunResult r = Wb(dir, "source add --symbol CMP/2021/7 --title Report --file report.txt");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "source list");
  EXPECT_NE(r.out.find("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            std::string::npos);
  r = Wb(dir,
         "incident add --date 1993-04-02 --place Lerin --count missing=12 --person 1 --source 1");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "incident add --place Lerin --person 7");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("no person 7"), std::string::npos);
  r = Wb(dir, "incident list");
  EXPECT_NE(r.out.find("missing 12; 1 persons linked; sources: CMP/2021/7"), std::string::npos);
  // The refused incident left nothing behind.
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1);
}

}  // namespace
}  // namespace whereabouts::testing

namespace whereabouts::testing {
namespace {

TEST(RelativeCliTest, AddAndListWithConsent) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  RunResult r = Wb(dir,
                   "person relative-add 1 --name 'Velani Ana' --relationship mother "
                   "--sample REF-1 --consent identification_and_court");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "person relative-add 2 --name X --relationship father");
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("no person 2"), std::string::npos);
  r = Wb(dir, "person relative-add 1 --name X --relationship father --consent always");
  EXPECT_EQ(r.rc, 2);
  r = Wb(dir, "person relatives 1");
  ASSERT_EQ(r.rc, 0);
  EXPECT_NE(r.out.find("Velani Ana"), std::string::npos);
  EXPECT_NE(r.out.find("consent identification_and_court"), std::string::npos);
  EXPECT_NE(r.out.find("1 relatives"), std::string::npos);
}

}  // namespace
}  // namespace whereabouts::testing

namespace whereabouts::testing {
namespace {

TEST(ImportCliTest, IdentificationsFromIdentifyOutput) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  ASSERT_EQ(Wb(dir, "person add --family-name Morsa").rc, 0);
  std::ofstream(dir.File("families.csv")) << "family,id,father,mother,sex,role,sample,person\n"
                                             "F1,MP,,,male,missing,,1\n"
                                             "F1,FA,,,male,reference,R1,\n"
                                             "F2,MP,,,female,missing,,2\n"
                                             "F3,MP,,,male,missing,,\n";
  std::ofstream(dir.File("identifications.csv"))
      << "individual,family,missing,lr,posterior,decision,reason\n"
         "I1,F1,MP,1e9,0.9999,identified,\n"
         "I2,F2,MP,12,0.2,not identified,below threshold\n"
         "I3,F3,MP,1e9,0.9999,identified,\n";
  std::ofstream(dir.File("individuals.csv")) << "individual,sample,bag\nI1,S1,B-7\nI1,S2,B-9\n";
  RunResult r = Wb(dir,
                   "import identifications identifications.csv --families families.csv "
                   "--individuals individuals.csv --date 2024-05-05");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("proposed 1 identifications for review (0 ambiguous); skipped 1 not "
                       "identified, 1 without a register id, 0 with a register id the register "
                       "does not have, 0 whose case is not open"),
            std::string::npos)
      << r.out;
  // A proposal only: the person is identified once a reviewer confirms it.
  r = Wb(dir, "person show 1 --json");
  EXPECT_NE(r.out.find("\"status\": \"open\""), std::string::npos) << r.out;
  r = Wb(dir, "identification confirm 1 --by reviewer --reason \"report checked\"");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "person show 1 --json");
  EXPECT_NE(r.out.find("\"identified_remains\": \"B-7|B-9\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"identified_on\": \"2024-05-05\""), std::string::npos);
  // Running it again skips the person whose case is no longer open.
  r = Wb(dir, "import identifications identifications.csv --families families.csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("1 whose case is not open"), std::string::npos);
}

}  // namespace
}  // namespace whereabouts::testing
