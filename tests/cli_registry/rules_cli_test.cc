// The cases of issue 8 ("Why") that this part covers, through the real binary: impossible dates
// refused (future dates, custody out of order, an excavation before the site's discovery or
// back-dated before a clearance, remains recovered from a hazard area never excavated); unknown
// event keys, bad alleles, ragged rows, values outside the closed vocabularies and numeric options
// out of range refused; a confirmed identification revoked; the ICRC's minimum data; figures with
// unknown sex and straddling ages as their own rows and remains returned to families; merges that
// keep every fact. Each refusal: exit 2, one line naming the rule, nothing written.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

// Runs the binary with WHEREABOUTS_DATA set to `data` (the folder of vocabularies.json).
RunResult WbData(const TempDir& dir, const std::string& data, const std::string& args) {
  const std::string out = dir.File(".out");
  const std::string err = dir.File(".err");
  const std::string cmd = "cd '" + dir.path().string() + "' && WHEREABOUTS_DATA='" + data + "' '" +
                          WHEREABOUTS_BINARY + "' " + args + " >'" + out + "' 2>'" + err + "'";
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

// The number of events in the register (its chain head; 0 when empty or not created yet).
long Events(const TempDir& dir) {
  const RunResult r = Wb(dir, "report chain");
  const size_t at = r.out.find('#');
  if (r.rc != 0 || at == std::string::npos) return 0;
  return std::stol(r.out.substr(at + 1));
}

// Expects a refusal: exit 2, one line containing `what`, and no new event.
void ExpectRefused(const TempDir& dir, const std::string& args, const std::string& what) {
  const long before = Events(dir);
  const RunResult r = Wb(dir, args);
  EXPECT_EQ(r.rc, 2) << args << "\n" << r.out << r.err;
  EXPECT_TRUE(OneErrorLine(r)) << args << "\n" << r.err;
  EXPECT_TRUE(Has(r.err, what)) << args << "\n" << r.err;
  EXPECT_EQ(Events(dir), before) << args;
}

void Ok(const TempDir& dir, const std::string& args) {
  const RunResult r = Wb(dir, args);
  ASSERT_EQ(r.rc, 0) << args << "\n" << r.out << r.err;
}

TEST(RulesCliTest, DatesAfterTheDayOfRecordingAreRefusedAndNeverReachTheFigures) {
  TempDir dir;
  Ok(dir, "person add --family-name Velani --born 1970-02-02");
  ExpectRefused(dir, "person add --family-name Morsa --born 2090-01-01",
                "birth_date 2090-01-01 is after the day it is recorded");
  ExpectRefused(dir, "person add --family-name Morsa --birth-year-min 2089 --birth-year-max 2090",
                "is after the year it is recorded");
  ExpectRefused(dir, "person add --family-name Morsa --disappeared 2099-01-01",
                "disappearance_date 2099-01-01 is after the day it is recorded");
  ExpectRefused(dir, "person update 1 --set disappearance_date=2099-01-01",
                "disappearance_date 2099-01-01");
  ExpectRefused(dir, "remains add --label B-1 --holder Lab --recovered 2099-01-01",
                "recovered_on 2099-01-01 is after the day it is recorded");
  std::ofstream(dir.File("p.csv")) << "family_name,birth_date\nTulan,1980-01-01\nSeva,2090-01-01\n";
  const RunResult imp = Wb(dir, "import persons p.csv");
  EXPECT_EQ(imp.rc, 2);
  EXPECT_TRUE(Has(imp.err, "p.csv:3")) << imp.err;
  const RunResult f = Wb(dir, "report figures --format csv");
  ASSERT_EQ(f.rc, 0) << f.err;
  EXPECT_FALSE(Has(f.out, "2099")) << f.out;
  EXPECT_FALSE(Has(f.out, "2090")) << f.out;
  EXPECT_EQ(FiguresCsv(f.out)["missing"], 1);
}

TEST(RulesCliTest, CustodyStepsAreInTimeOrderAndNotInTheFuture) {
  TempDir dir;
  Ok(dir, "remains add --label B-1 --holder Lab --recovered 2020-01-01");
  ExpectRefused(dir, "custody transfer 1 --from Lab --to Court --date 2019-12-31",
                "is before the last one of remains B-1 (2020-01-01)");
  Ok(dir, "custody transfer 1 --from Lab --to Court --date 2021-01-01");
  ExpectRefused(dir, "custody transfer 1 --from Court --to Lab --date 2020-06-01",
                "the chain of custody is recorded in time order");
  ExpectRefused(dir, "custody transfer 1 --from Court --to Lab --date 2099-06-01",
                "date 2099-06-01 is after the day it is recorded");
  Ok(dir, "custody transfer 1 --from Court --to Lab --date 2021-01-01");
}

TEST(RulesCliTest, ExcavationsAfterDiscoveryAndClearanceAndRecoveryOnlyAfterExcavation) {
  TempDir dir;
  std::ofstream(dir.File("areas.geojson")) << R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"North field","status":"confirmed"},
     "geometry":{"type":"Polygon","coordinates":[[[20,45],[20.01,45],[20.01,45.01],[20,45.01],[20,45]]]}},
    {"type":"Feature","properties":{"name":"Old well","site_kind":"well","discovered_on":"2020-05-01"},
     "geometry":{"type":"Point","coordinates":[20.005,45.005]}},
    {"type":"Feature","properties":{"name":"Trench","site_kind":"other","discovered_on":"2020-05-01"},
     "geometry":{"type":"Point","coordinates":[20.105,45.005]}}]})";
  Ok(dir, "import geojson areas.geojson");
  // Outside any hazard area: not before the discovery.
  ExpectRefused(dir, "site excavate 2 --date 2020-04-30",
                "excavation dated 2020-04-30 is before the site was discovered (2020-05-01)");
  Ok(dir, "site excavate 2 --date 2020-05-02");
  // Inside a confirmed minefield: no remains recovered from a site never excavated.
  ExpectRefused(dir, "remains add --label W-1 --holder Team --site 1 --recovered 2020-06-01",
                "no excavation was recorded there");
  ExpectRefused(dir, "site excavate 1 --date 2020-06-01", "not cleared");
  Ok(dir, "site hazard-status 1 cleared");  // cleared today
  // Cleared today: an excavation back-dated before the clearance is refused.
  ExpectRefused(dir, "site excavate 1 --date 2020-06-01", "an excavation cannot be back-dated");
  ExpectRefused(dir, "remains add --label W-1 --holder Team --site 1",
                "no excavation was recorded there");
  Ok(dir, "site excavate 1 --date " + Today());
  Ok(dir, "remains add --label W-1 --holder Team --site 1");
}

TEST(RulesCliTest, UnknownEventKeysAreRefused) {
  TempDir dir;
  Ok(dir, "person add --family-name Velani --disappeared 1993-05-01");
  ExpectRefused(dir, "person update 1 --event captured --set capture=hostage --set witness=abc",
                "unknown key 'witness' for person.captured");
  ExpectRefused(dir, "person update 1 --set witness=abc", "witness");
  const RunResult show = Wb(dir, "person show 1 --json");
  EXPECT_TRUE(Has(show.out, "\"capture\": \"none\"")) << show.out;
  EXPECT_FALSE(Has(show.out, "abc"));
}

TEST(RulesCliTest, AnAlleleThatIsNoDesignationIsRefused) {
  TempDir dir;
  Ok(dir, "remains add --label HB-1 --kind bag --holder Lab");
  Ok(dir, "remains sample 1 --sample S-1");
  std::ofstream(dir.File("a.tsv")) << "Sample Name\tMarker\tAllele 1\tAllele 2\n"
                                      "S-1\tD3S1358\t15\tfoo\n";
  ExpectRefused(dir, "remains profile import a.tsv", "allele 'foo' is not an STR allele");
  std::ofstream(dir.File("b.tsv")) << "Sample Name\tMarker\tAllele 1\tAllele 2\n"
                                      "S-1\tD3S1358\t15\t9.3\n";
  Ok(dir, "remains profile import b.tsv");
}

TEST(RulesCliTest, RaggedRowsAreRefused) {
  TempDir dir;
  std::ofstream(dir.File("p.csv")) << "family_name,given_name,sex\nVelani,Tomas,male\nMorsa\n";
  ExpectRefused(dir, "import persons p.csv", "p.csv:3");
  std::ofstream(dir.File("q.csv")) << "family_name,given_name\nVelani,Tomas,male\n";
  ExpectRefused(dir, "import persons q.csv", "q.csv:2");
}

TEST(RulesCliTest, ClosedVocabulariesExtendedByConfigurationOnly) {
  TempDir dir;
  Ok(dir, "person add --family-name Velani");
  ExpectRefused(dir, "person relative-add 1 --name Ana --relationship 'best friend'",
                "unknown relationship 'best friend' (one of: father, mother, son");
  Ok(dir, "person relative-add 1 --name Ana --relationship mother");
  ExpectRefused(dir, "site add --name Pit --kind pit --lon 21 --lat 44",
                "unknown site kind 'pit' (one of: burial, cave, grave, mass_grave, other, well");
  ExpectRefused(dir, "incident add --date 1993-04-18 --place Olvazi --count woundd=3",
                "unknown incident category 'woundd' (one of: captured, children, civilians");
  Ok(dir, "incident add --date 1993-04-18 --place Olvazi --count wounded=3");
  // A commission adds its own values in the data folder's vocabularies.json.
  TempDir data;
  std::ofstream(data.File("vocabularies.json"))
      << R"({"incident_categories": ["abducted"], "site_kinds": ["mine_shaft"]})";
  EXPECT_EQ(Wb(dir, "incident add --date 1993-04-18 --count abducted=2").rc, 2);
  RunResult r =
      WbData(dir, data.path().string(), "incident add --date 1993-04-18 --count abducted=2");
  EXPECT_EQ(r.rc, 0) << r.err;
  r = WbData(dir, data.path().string(),
             "site add --name Shaft --kind mine_shaft --lon 21 --lat 44");
  EXPECT_EQ(r.rc, 0) << r.err;
  r = WbData(dir, data.path().string(), "site add --name Pit --kind pit --lon 21 --lat 44");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "mine_shaft")) << r.err;
  // A broken configuration is refused, not ignored.
  std::ofstream(data.File("vocabularies.json")) << R"({"relationship": ["step-mother"]})";
  r = WbData(dir, data.path().string(), "person relative-add 1 --name Ana --relationship mother");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "unknown key 'relationship'")) << r.err;
}

TEST(RulesCliTest, NumericOptionsAreRangeChecked) {
  TempDir dir;
  Ok(dir, "person add --family-name Velani");
  const char* const bad[] = {
      "identify --families f --references r --remains m --remains-alleles a --out o "
      "--posterior 1.5",
      "identify --families f --references r --remains m --remains-alleles a --out o --lr -3",
      "identify --families f --references r --remains m --remains-alleles a --out o "
      "--dropout 1.2",
      "identify --families f --references r --remains m --remains-alleles a --out o --theta -0.1",
      "person duplicates --threshold 1.5",
      "person add --family-name X --birth-year-min 1200",
      "report figures --child-below 0",
      "site add --name S --kind well --lon 200 --lat 44",
      "site list --near -5",
      "import persons p.csv --batch 0",
      "audit list --limit 5000",
  };
  for (const char* args : bad) {
    const long before = Events(dir);
    const RunResult r = Wb(dir, args);
    EXPECT_EQ(r.rc, 2) << args << "\n" << r.err;
    EXPECT_EQ(Events(dir), before) << args;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("o")));
}

TEST(RulesCliTest, AConfirmedIdentificationIsRevokedAndTheCaseReopens) {
  TempDir dir;
  Ok(dir, "person add --family-name Velani --sex male --born 1970-02-02");
  Ok(dir, "identification propose 1 --date 2015-05-05 --remains B-1 --by clerk --reason lab");
  ExpectRefused(dir, "identification revoke 1 --by reviewer --reason wrong",
                "proposal 1 is proposed; only a confirmed identification is revoked");
  Ok(dir, "identification confirm 1 --by reviewer --reason DNA");
  Ok(dir, "identification sign-off 1 --by supervisor --reason checked");
  Ok(dir, "person update 1 --event family_notified --set date=2015-06-01");
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv").out)["identified"], 1);
  EXPECT_NE(Wb(dir, "identification revoke 1 --by reviewer").rc, 0);  // --reason required
  const RunResult r =
      Wb(dir, "identification revoke 1 --by reviewer --reason 'second DNA test excludes him'");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "the case of person 1 is open again")) << r.out;
  auto f = FiguresCsv(Wb(dir, "report figures --format csv").out);
  EXPECT_EQ(f["identified"], 0);
  EXPECT_EQ(f["missing.status.open"], 1);
  EXPECT_TRUE(Has(Wb(dir, "person show 1").out, "open"));
  const RunResult list = Wb(dir, "identification list --status revoked");
  EXPECT_TRUE(Has(list.out, "proposal 1: person 1, revoked")) << list.out;
  EXPECT_TRUE(Has(list.out, "revoked " + Today() + " by reviewer")) << list.out;
  ExpectRefused(dir, "identification revoke 1 --by reviewer --reason again", "is revoked");
  ExpectRefused(dir, "person update 1 --event family_notified --set date=2016-06-01",
                "notified only of");
}

TEST(RulesCliTest, TheIcrcMinimumDataIsRecordedImportedAndShown) {
  TempDir dir;
  Ok(dir,
     "person add --family-name Velani --given-name Tomas --born 1970-02-02 --disappeared "
     "1993-05-01 --place Lerin --birth-place Gorvan --identity-document 'passport AB123' "
     "--identity-document 'ID card 77' --informant 'Velani Ana' --informant-relation mother "
     "--informant-contact '+00 555 0101' --family-contact 'Lerin, Main street 4' --last-seen "
     "1993-04-30 --last-seen-place 'Lerin market' --last-seen-by neighbour --description "
     "'tall, scar on the left hand'");
  const RunResult show = Wb(dir, "person show 1");
  ASSERT_EQ(show.rc, 0) << show.err;
  for (const char* text : {"birth_place          Gorvan", "passport AB123", "ID card 77",
                           "informant_name       Velani Ana", "informant_relation   mother",
                           "+00 555 0101", "Lerin, Main street 4",
                           "last_seen_date       1993-04-30", "last_seen_place      Lerin market",
                           "last_seen_by         neighbour", "scar on the left hand"}) {
    EXPECT_TRUE(Has(show.out, text)) << text << "\n" << show.out;
  }
  const RunResult json = Wb(dir, "person show 1 --json");
  EXPECT_TRUE(Has(json.out, "\"icrc\"")) << json.out;
  EXPECT_TRUE(Has(json.out, "\"last_seen_place\": \"Lerin market\"")) << json.out;
  // Corrections and imports carry them too; impossible dates are refused.
  Ok(dir, "person update 1 --set last_seen_by='fellow worker' --reason 'second statement'");
  EXPECT_TRUE(Has(Wb(dir, "person show 1").out, "fellow worker"));
  ExpectRefused(dir, "person update 1 --set last_seen_date=1960-01-01",
                "last seen is before the date of birth");
  ExpectRefused(dir, "person update 1 --set last_seen_date=2099-01-01", "last_seen_date 2099");
  std::ofstream(dir.File("p.csv"))
      << "family_name,birth_place,identity_documents,informant_name,informant_relation,"
         "informant_contact,family_contact,last_seen_date,last_seen_place,last_seen_by,"
         "physical_description\n"
         "Morsa,Olvazi,passport X1|ID 9,Morsa Ben,brother,+00 555 0199,Olvazi 3,1994-02-01,"
         "the bridge,a driver,short grey hair\n";
  Ok(dir, "import persons p.csv");
  const RunResult two = Wb(dir, "person show 2 --json");
  for (const char* text :
       {"\"birth_place\": \"Olvazi\"", "\"passport X1\"", "\"ID 9\"",
        "\"informant_relation\": \"brother\"", "\"family_contact\": \"Olvazi 3\"",
        "\"last_seen_date\": \"1994-02-01\"", "\"last_seen_by\": \"a driver\"",
        "\"physical_description\": \"short grey hair\""}) {
    EXPECT_TRUE(Has(two.out, text)) << text << "\n" << two.out;
  }
}

TEST(RulesCliTest, UnknownSexAndStraddlingAgesAreTheirOwnRows) {
  TempDir dir;
  // A girl born 1976-1978 who disappeared in 1994 was 15 to 18: not counted a woman.
  Ok(dir,
     "person add --family-name Morsa --sex female --birth-year-min 1976 --birth-year-max 1978 "
     "--disappeared 1994-06-01");
  Ok(dir, "person add --family-name Tulan --born 1960-01-01 --disappeared 1994-06-01");  // sex?
  Ok(dir, "person add --family-name Seva --sex male");                                   // age?
  Ok(dir,
     "person add --family-name Velani --sex female --born 1960-01-01 --disappeared 1994-06-01");
  const RunResult r = Wb(dir, "report figures --format csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  auto f = FiguresCsv(r.out);
  EXPECT_EQ(f["missing.civilian"], 4);
  EXPECT_EQ(f["missing.civilian.woman"], 1);
  EXPECT_EQ(f["missing.civilian.man"], 0);
  EXPECT_EQ(f["missing.civilian.child"], 0);
  EXPECT_EQ(f["missing.civilian.sex_unknown"], 1);
  EXPECT_EQ(f["missing.civilian.age_unknown"], 2);
  EXPECT_TRUE(Has(Wb(dir, "report figures").out, "breakdowns add up"));
  const RunResult show = Wb(dir, "report figures --show missing.civilian.age_unknown --format csv");
  EXPECT_TRUE(Has(show.out, "Morsa")) << show.out;
  EXPECT_TRUE(Has(show.out, "Seva")) << show.out;
}

TEST(RulesCliTest, ReturnedToFamiliesCountsRemainsHandedOver) {
  TempDir dir;
  Ok(dir, "person add --family-name Velani --sex male --born 1970-02-02");
  Ok(dir, "remains add --label B-1 --kind body --holder Lab --recovered 2015-01-01");
  ExpectRefused(dir,
                "custody hand-over 1 --from Lab --to 'Velani Ana' --person 1 --date 2015-07-01",
                "only as an identified person's");
  Ok(dir, "identification propose 1 --date 2015-05-05 --remains B-1 --by clerk --reason lab");
  Ok(dir, "identification confirm 1 --by reviewer --reason DNA");
  Ok(dir, "identification sign-off 1 --by supervisor --reason checked");
  Ok(dir, "person update 1 --event family_notified --set date=2015-06-01");
  auto f = FiguresCsv(Wb(dir, "report figures --format csv").out);
  EXPECT_EQ(f["identified.notified"], 1);
  EXPECT_EQ(f["identified.returned"], 0);  // notified, but the remains are still at the lab
  ExpectRefused(dir, "custody hand-over 1 --from Court --to 'Velani Ana' --person 1",
                "does not hold");
  ExpectRefused(dir,
                "custody hand-over 1 --from Lab --to 'Velani Ana' --person 1 --date 2015-05-01",
                "before the identification");
  Ok(dir,
     "custody hand-over 1 --from Lab --to 'Velani Ana' --relation mother --person 1 --date "
     "2015-07-01");
  f = FiguresCsv(Wb(dir, "report figures --format csv").out);
  EXPECT_EQ(f["identified.returned"], 1);
  EXPECT_EQ(f["identified.not_returned"], 0);
  EXPECT_EQ(f["remains.handed_over"], 1);
  EXPECT_EQ(f["identified.notified"], 1);
  ExpectRefused(dir, "custody transfer 1 --from 'Velani Ana' --to Lab",
                "the chain of custody ended there");
}

TEST(RulesCliTest, AMergeKeepsCaptureRelativesAndEverySpelling) {
  TempDir dir;
  Ok(dir,
     "person add --family-name Velani --given-name Tomas --sex male --born 1970-02-02 "
     "--disappeared 1993-05-01");
  Ok(dir,
     "person add --family-name Velany --given-name Tomas --sex male --born 1970-03-02 "
     "--disappeared 1993-05-01 --other-name 'Велани Томас'");
  Ok(dir,
     "person update 2 --event captured --set capture=hostage --set capture_date=1993-05-01 "
     "--set seen_alive_by=neighbour");
  Ok(dir, "person relative-add 2 --name 'Velany Ana' --relationship mother --sample REF-101");
  EXPECT_EQ(FiguresCsv(Wb(dir, "report figures --format csv").out)["captured"], 1);
  const RunResult m = Wb(dir, "person merge 1 2");
  ASSERT_EQ(m.rc, 0) << m.err;
  EXPECT_TRUE(Has(m.out, "1 conflicts to resolve")) << m.out;
  EXPECT_TRUE(Has(m.out, "birth_date: 1970-02-02 here, 1970-03-02 in person 2")) << m.out;
  auto f = FiguresCsv(Wb(dir, "report figures --format csv").out);
  EXPECT_EQ(f["missing"], 1);
  EXPECT_EQ(f["captured"], 1);
  EXPECT_EQ(f["captured.kind.hostage"], 1);
  const RunResult show = Wb(dir, "person show 1");
  EXPECT_TRUE(Has(show.out, "Velany Tomas")) << show.out;
  EXPECT_TRUE(Has(show.out, "Велани Томас")) << show.out;
  EXPECT_TRUE(Has(show.out, "hostage")) << show.out;
  const RunResult rel = Wb(dir, "person relatives 1");
  EXPECT_TRUE(Has(rel.out, "REF-101")) << rel.out;
  EXPECT_TRUE(Has(Wb(dir, "person relatives 2").out, "0 relatives"));
}

// `verify`: the chain and every projection row recomputed from the events. Each kind of tampering
// (triggers dropped where they stand in the way) is named, exit 1.
class VerifyCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Ok(dir_,
       "person add --family-name Velani --sex male --born 1970-02-02 --disappeared 1993-05-01");
    Ok(dir_, "person add --family-name Morsa --sex female --born 1975-02-02");
    Ok(dir_,
       "person update 1 --event captured --set capture=hostage --set capture_date=1993-05-01");
    Ok(dir_, "remains add --label B-1 --holder Lab --recovered 2015-01-01");
    Ok(dir_, "person update 2 --set given_name=Ana --reason 'birth certificate'");
    const RunResult v = Wb(dir_, "verify");
    ASSERT_EQ(v.rc, 0) << v.err;
    ASSERT_TRUE(Has(v.out, "the register is intact")) << v.out;
    ASSERT_TRUE(Has(v.out, "projections: 8 rows")) << v.out;
  }
  // Runs SQL on the register behind the program's back.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.File("whereabouts.db").c_str(), &db), SQLITE_OK);
    char* msg = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
    EXPECT_EQ(rc, SQLITE_OK) << (msg ? msg : "");
    sqlite3_free(msg);
    sqlite3_close(db);
  }
  void ExpectFound(const std::string& what) {
    const RunResult v = Wb(dir_, "verify");
    EXPECT_EQ(v.rc, 1) << v.out << v.err;
    EXPECT_TRUE(Has(v.err, what)) << v.err;
  }
  TempDir dir_;
};

TEST_F(VerifyCliTest, AnEditedProjectionRowIsFoundThoughTheFiguresFollowIt) {
  // As in the issue: the captured figure rises, `person show` disagrees, and the chain is intact.
  Tamper("UPDATE person_facts SET capture = 2 WHERE person_id = 2");
  EXPECT_EQ(FiguresCsv(Wb(dir_, "report figures --format csv").out)["captured"], 2);
  EXPECT_EQ(Wb(dir_, "report chain").rc, 0);
  ExpectFound(
      "person_facts row of person 2 at event #2 does not match the events: capture is "
      "'2', the events give '0'");
}

TEST_F(VerifyCliTest, AnEditedVersionRowIsFound) {
  Tamper("UPDATE person_versions SET given_name = 'Anna' WHERE person_id = 2 AND seq = 5");
  ExpectFound("person_versions row of person 2 at event #5 does not match the events: given_name");
}

TEST_F(VerifyCliTest, ARemovedOrAddedProjectionRowIsFound) {
  Tamper("DELETE FROM person_facts WHERE person_id = 1 AND seq = 3");
  ExpectFound("person_facts has no row of person 1 at event #3");
}

TEST_F(VerifyCliTest, AnEditedEventIsFound) {
  Tamper(
      "DROP TRIGGER events_append_only_update; "
      "UPDATE events SET payload = json_set(payload, '$.capture', 'prisoner_of_war') "
      "WHERE seq = 3");
  ExpectFound("event #3");
}

TEST_F(VerifyCliTest, ADeletedEventIsFound) {
  Tamper(
      "PRAGMA foreign_keys = OFF; DROP TRIGGER events_append_only_delete; "
      "DELETE FROM events WHERE seq = 4");
  ExpectFound("event #5");
}

TEST_F(VerifyCliTest, AnInsertedEventIsFound) {
  Tamper(
      "PRAGMA foreign_keys = OFF; "
      "INSERT INTO events(seq, kind, entity_id, type, recorded_on, actor, reason, payload) "
      "VALUES (6, 'person', 2, 'person.corrected', '" +
      Today() + "', 'someone', '', '{\"sex\":\"male\"}')");
  ExpectFound("event #6");
}

TEST_F(VerifyCliTest, ReorderedEventsAreFound) {
  // Events 1 and 2 (two registrations) swapped: person 2 registered first.
  Tamper(
      "DROP TRIGGER events_append_only_update; "
      "UPDATE events SET entity_id = 3 - entity_id WHERE seq IN (1, 2)");
  ExpectFound("event #1");
}

}  // namespace
}  // namespace whereabouts::testing
