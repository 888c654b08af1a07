// End-to-end tests of identification proposals and their human review: `import identifications`
// records proposals only, `identification confirm|reject` decides, a family is notified only of a
// confirmed identification signed off by a second person (`identification sign-off`), and figures
// count confirmed identifications only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

// Three persons; person 1 identified by identify (individual I1, bags B-7 and B-9 from the
// register site "Old well"), persons 2 and 3 ambiguous (I2, brothers), person 4 with a sample from
// a site the register does not know (I4).
class IdentificationCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"Velani", "Morsa", "Morsa", "Tarn"}) {
      ASSERT_EQ(Wb(dir_, std::string("person add --family-name ") + name).rc, 0);
    }
    ASSERT_EQ(Wb(dir_,
                 "site add --name \"Old well\" --kind well --lon 21.6 --lat 44.15")
                  .rc,
              0);
    std::ofstream(dir_.File("families.csv")) << "family,id,father,mother,sex,role,sample,person\n"
                                                "F1,MP,,,male,missing,,1\n"
                                                "F1,FA,,,male,reference,R1,\n"
                                                "F2,MA,,,male,missing,,2\n"
                                                "F2,MB,,,male,missing,,3\n"
                                                "F4,MP,,,male,missing,,4\n"
                                                "F3,MP,,,male,missing,,\n";
    std::ofstream(dir_.File("identifications.csv"))
        << "individual,family,missing,lr,posterior,decision,reason\n"
           "I1,F1,MP,1e9,0.9999,identified,\n"
           "I2,F2,MA,3e8,0.5,ambiguous,\"indistinguishable within the family between family "
           "F2, missing MA (LR 3e8, posterior 0.5) and family F2, missing MB (LR 3e8, posterior "
           "0.5)\"\n"
           "I3,F3,MP,1e9,0.9999,identified,\n"
           "I4,F4,MP,1e7,0.9998,identified,\n"
           "I5,F1,MP,12,0.2,not identified,below threshold\n";
    // The candidates of each decision, as identify writes them beside identifications.csv (the
    // importer reads them from here, never from the reason text).
    std::ofstream(dir_.File("candidates.csv")) << "individual,rank,family,missing,lr,posterior\n"
                                                  "I1,1,F1,MP,1e9,0.9999\n"
                                                  "I2,1,F2,MA,3e8,0.5\n"
                                                  "I2,2,F2,MB,3e8,0.5\n"
                                                  "I3,1,F3,MP,1e9,0.9999\n"
                                                  "I4,1,F4,MP,1e7,0.9998\n"
                                                  "I5,1,F1,MP,12,0.2\n";
    std::ofstream(dir_.File("individuals.csv")) << "individual,sample,bag\n"
                                                   "I1,S1,B-7\nI1,S2,B-9\nI2,S3,B-3\nI4,S4,B-4\n";
    std::ofstream(dir_.File("remains.csv")) << "sample,bag,site\n"
                                               "S1,B-7,Old well\nS2,B-9,Old well\nS3,B-3,\n"
                                               "S4,B-4,grave 17\n";
    std::ofstream(dir_.File("summary.json")) << "{\"counts\": {\"identified\": 3}}\n";
    const RunResult r = Import();
    ASSERT_EQ(r.rc, 0) << r.err;
    import_out_ = r.out;
  }
  RunResult Import() {
    return Wb(dir_,
              "import identifications identifications.csv --families families.csv "
              "--individuals individuals.csv --remains remains.csv --date 2024-05-05 --by lab");
  }
  RunResult Show(int person) {
    return Wb(dir_, "person show " + std::to_string(person) + " --json");
  }
  TempDir dir_;
  std::string import_out_;
  const std::string yesterday_ = Yesterday();
};

TEST_F(IdentificationCliTest, ImportRecordsProposalsOnly) {
  EXPECT_TRUE(Has(import_out_,
                  "proposed 4 identifications for review (2 ambiguous); skipped 1 not identified, "
                  "1 without a register id, 0 with a register id the register does not have, "
                  "0 whose case is not open, 0 already proposed"))
      << import_out_;
  // Nobody is identified by the import.
  for (int p : {1, 2, 3, 4}) EXPECT_TRUE(Has(Show(p).out, "\"status\": \"open\"")) << p;
  const RunResult list = Wb(dir_, "identification list --status proposed --json");
  ASSERT_EQ(list.rc, 0) << list.err;
  EXPECT_TRUE(Has(list.out, "\"lr\": \"1e9\"")) << list.out;
  EXPECT_TRUE(Has(list.out, "\"posterior\": \"0.9999\""));
  EXPECT_TRUE(Has(list.out, "\"individual\": \"I1\""));
  // The run is the SHA-256 of summary.json beside identifications.csv.
  EXPECT_TRUE(Has(list.out, "\"run\": \"")) << list.out;
  EXPECT_TRUE(Has(import_out_, "(summary.json)")) << import_out_;
  // The ambiguous individual: a proposal on each candidate, flagged, naming both.
  EXPECT_TRUE(Has(list.out, "\"ambiguous\": true"));
  EXPECT_TRUE(Has(list.out,
                  "person 2 (family F2, missing MA, LR 3e8, posterior 0.5); person 3 "
                  "(family F2, missing MB"))
      << list.out;
  // Running it again proposes nothing twice.
  const RunResult again = Import();
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_TRUE(Has(again.out, "proposed 0 identifications")) << again.out;
  EXPECT_TRUE(Has(again.out, "4 already proposed from this run")) << again.out;
}

TEST_F(IdentificationCliTest, AmbiguousCandidatesComeFromCandidatesCsvNotTheReason) {
  // The reason names other persons than candidates.csv: the proposals follow candidates.csv.
  std::filesystem::create_directories(dir_.path() / "run2");
  std::ofstream(dir_.File("run2/identifications.csv"))
      << "individual,family,missing,lr,posterior,decision,reason\n"
         "I7,F2,MA,4e8,0.6,ambiguous,\"ambiguous between family F9, missing Q (LR 1, "
         "posterior 1) and family F8, missing R (LR 1, posterior 1)\"\n";
  std::ofstream(dir_.File("run2/candidates.csv")) << "individual,rank,family,missing,lr,posterior\n"
                                                     "I7,1,F2,MA,4e8,0.6\n"
                                                     "I7,2,F2,MB,2e8,0.3999\n";
  std::ofstream(dir_.File("run2/summary.json")) << "{\"run\": \"run-two\"}\n";
  const RunResult r = Wb(dir_,
                         "import identifications run2/identifications.csv --families families.csv "
                         "--by lab");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "proposed 2 identifications for review (2 ambiguous)")) << r.out;
  EXPECT_TRUE(Has(r.out, "run run-two (run2/summary.json)")) << r.out;
  EXPECT_TRUE(Has(r.out, "2: no remains list given (--remains)")) << r.out;
  const RunResult list = Wb(dir_, "identification list --person 3 --json");
  EXPECT_TRUE(Has(list.out, "\"run\": \"run-two\"")) << list.out;
  EXPECT_TRUE(Has(list.out, "\"lr\": \"2e8\"")) << list.out;
  EXPECT_TRUE(Has(list.out,
                  "person 2 (family F2, missing MA, LR 4e8, posterior 0.6); person 3 (family F2, "
                  "missing MB, LR 2e8, posterior 0.3999)"))
      << list.out;
  EXPECT_FALSE(Has(list.out, "F9")) << list.out;
  // Without candidates.csv an ambiguous decision is refused, naming the file and line.
  const RunResult none = Wb(dir_,
                            "import identifications run2/identifications.csv --families "
                            "families.csv --candidates nope.csv --by lab");
  EXPECT_EQ(none.rc, 2);
  EXPECT_TRUE(OneErrorLine(none)) << none.err;
  std::filesystem::remove(dir_.File("run2/candidates.csv"));
  const RunResult missing = Wb(dir_,
                               "import identifications run2/identifications.csv --families "
                               "families.csv --by lab");
  EXPECT_EQ(missing.rc, 2);
  EXPECT_TRUE(OneErrorLine(missing)) << missing.err;
  EXPECT_TRUE(Has(missing.err, "run2/identifications.csv:2: decision")) << missing.err;
}

TEST_F(IdentificationCliTest, NonNumericPersonIsABadCellNotAnInternalError) {
  std::ofstream(dir_.File("families-bad.csv")) << "family,id,father,mother,sex,role,sample,person\n"
                                                  "F1,MP,,,male,missing,,1\n"
                                                  "F2,MA,,,male,missing,,two\n";
  const RunResult r = Wb(dir_,
                         "import identifications identifications.csv --families families-bad.csv "
                         "--by lab");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "families-bad.csv:3: person: expected a register person id")) << r.err;
  EXPECT_FALSE(Has(r.err, "internal")) << r.err;
  EXPECT_FALSE(Has(r.err, "two")) << r.err;  // the cell may hold a name: not repeated
  // Nothing more was proposed.
  const RunResult list = Wb(dir_, "identification list --status proposed");
  EXPECT_FALSE(Has(list.out, "proposal 5")) << list.out;
}

TEST_F(IdentificationCliTest, SiteCarriedOverOnlyWhenARegisterSite) {
  const RunResult list = Wb(dir_, "identification list --person 1 --json");
  EXPECT_TRUE(Has(list.out, "\"site\": 1,")) << list.out;
  const RunResult other = Wb(dir_, "identification list --person 4 --json");
  EXPECT_TRUE(Has(other.out, "\"site\": 0,")) << other.out;
  EXPECT_TRUE(Has(other.out, "remains.csv's site 'grave 17' is not a register site")) << other.out;
  EXPECT_TRUE(Has(import_out_, "3 proposals without a site (left empty)")) << import_out_;
  EXPECT_TRUE(Has(import_out_, "1: remains.csv's site 'grave 17' is not a register site"));
  EXPECT_TRUE(Has(import_out_, "2: remains.csv names no site for the individual's samples"));
}

TEST_F(IdentificationCliTest, ConfirmMakesIdentifiedAndAllowsNotification) {
  // No notification on a proposal.
  RunResult n = Wb(dir_, "person update 1 --event family_notified --set date=2024-06-01");
  EXPECT_EQ(n.rc, 2);
  EXPECT_TRUE(OneErrorLine(n)) << n.err;
  EXPECT_TRUE(Has(n.err, "only of a confirmed identification; proposal 1 is not confirmed"))
      << n.err;
  // A decision needs --by and --reason.
  EXPECT_NE(Wb(dir_, "identification confirm 1 --reason checked").rc, 0);
  EXPECT_NE(Wb(dir_, "identification confirm 1 --by reviewer").rc, 0);
  EXPECT_TRUE(Has(Show(1).out, "\"status\": \"open\""));
  const RunResult c = Wb(dir_,
                         "identification confirm 1 --by reviewer --reason \"DNA and dental "
                         "records agree\"");
  ASSERT_EQ(c.rc, 0) << c.err;
  EXPECT_TRUE(Has(c.out, "proposal 1 confirmed by reviewer: person 1 is identified")) << c.out;
  const RunResult s = Show(1);
  EXPECT_TRUE(Has(s.out, "\"status\": \"identified\"")) << s.out;
  EXPECT_TRUE(Has(s.out, "\"identified_on\": \"2024-05-05\""));
  EXPECT_TRUE(Has(s.out, "\"identified_remains\": \"B-7|B-9\""));
  EXPECT_TRUE(Has(s.out, "\"identified_site\": 1,"));
  // Confirmed once only.
  const RunResult twice =
      Wb(dir_, "identification confirm 1 --by reviewer --reason again");
  EXPECT_EQ(twice.rc, 2);
  EXPECT_TRUE(Has(twice.err, "proposal 1 was already confirmed by reviewer")) << twice.err;
  // The four-eyes rule: notified only after a second person signed it off.
  n = Wb(dir_, "person update 1 --event family_notified --set date=2024-06-01");
  EXPECT_EQ(n.rc, 2);
  EXPECT_TRUE(OneErrorLine(n)) << n.err;
  EXPECT_TRUE(Has(n.err, "proposal 1 is confirmed and awaits its sign-off")) << n.err;
  EXPECT_TRUE(Has(n.err, "(whereabouts identification sign-off 1 --by WHO --reason WHY")) << n.err;
  ASSERT_EQ(Wb(dir_, "identification sign-off 1 --by supervisor --reason \"file checked\"").rc, 0);
  n = Wb(dir_, "person update 1 --event family_notified --set date=2024-06-01");
  EXPECT_EQ(n.rc, 0) << n.err;
  // Figures count the confirmed identification only, as of its recording date.
  auto f = FiguresCsv(Wb(dir_, "report figures --format csv").out);
  EXPECT_EQ(f["identified"], 1);
  EXPECT_EQ(f["identified.period.2024"], 1);
  EXPECT_EQ(f["identified.notified.period.2024"], 1);
  // As of the day before it was recorded (every event of this test is recorded today).
  f = FiguresCsv(Wb(dir_, "report figures --format csv --as-of " + yesterday_).out);
  EXPECT_EQ(f["identified"], 0);
}

TEST_F(IdentificationCliTest, SignOffByASecondPersonBeforeTheFamilyIsNotified) {
  // Proposal 1 was proposed by "lab" (the import); not signed off before a confirmation.
  RunResult s = Wb(dir_, "identification sign-off 1 --by supervisor --reason \"file checked\"");
  EXPECT_EQ(s.rc, 2);
  EXPECT_TRUE(OneErrorLine(s)) << s.err;
  EXPECT_TRUE(Has(s.err, "proposal 1 is proposed; only a confirmed identification is signed off"))
      << s.err;
  // --by and --reason are required.
  EXPECT_NE(Wb(dir_, "identification sign-off 1 --reason checked").rc, 0);
  EXPECT_NE(Wb(dir_, "identification sign-off 1 --by supervisor").rc, 0);
  ASSERT_EQ(Wb(dir_, "identification confirm 1 --by reviewer --reason \"DNA agrees\"").rc, 0);
  RunResult l = Wb(dir_, "identification list --awaiting-sign-off");
  ASSERT_EQ(l.rc, 0) << l.err;
  EXPECT_TRUE(Has(l.out, "proposal 1: person 1, confirmed")) << l.out;
  EXPECT_TRUE(Has(l.out, "by reviewer; awaiting sign-off")) << l.out;
  EXPECT_FALSE(Has(l.out, "proposal 4:")) << l.out;
  // Neither the proposer nor the confirmer signs it off.
  for (const char* own : {"lab", "reviewer"}) {
    s = Wb(dir_, std::string("identification sign-off 1 --by ") + own + " --reason \"my own\"");
    EXPECT_EQ(s.rc, 2) << own;
    EXPECT_TRUE(OneErrorLine(s)) << s.err;
    EXPECT_TRUE(Has(s.err, "four-eyes rule: proposal 1 was")) << s.err;
    EXPECT_TRUE(Has(s.err, "no one signs off their own proposal or confirmation")) << s.err;
  }
  // A rejected proposal is not signed off.
  ASSERT_EQ(Wb(dir_, "identification reject 4 --by reviewer --reason \"sample swap\"").rc, 0);
  s = Wb(dir_, "identification sign-off 4 --by supervisor --reason x");
  EXPECT_EQ(s.rc, 2);
  EXPECT_TRUE(Has(s.err, "proposal 4 is rejected")) << s.err;
  // A third person does, once (a retry with the same key records nothing and succeeds).
  s = Wb(dir_,
         "identification sign-off 1 --by supervisor --reason \"file checked\" "
         "--idempotency-key so-1");
  ASSERT_EQ(s.rc, 0) << s.err;
  EXPECT_TRUE(Has(s.out,
                  "proposal 1 signed off by supervisor: the family of person 1 may be "
                  "notified"))
      << s.out;
  s = Wb(dir_,
         "identification sign-off 1 --by supervisor --reason \"file checked\" "
         "--idempotency-key so-1");
  EXPECT_EQ(s.rc, 0) << s.err;
  s = Wb(dir_, "identification sign-off 1 --by head --reason again");
  EXPECT_EQ(s.rc, 2);
  EXPECT_TRUE(OneErrorLine(s)) << s.err;
  EXPECT_TRUE(Has(s.err, "proposal 1 was already signed off by supervisor on ")) << s.err;
  l = Wb(dir_, "identification list --person 1");
  EXPECT_TRUE(Has(l.out, "; signed off ")) << l.out;
  EXPECT_TRUE(Has(l.out, " by supervisor\n")) << l.out;
  EXPECT_TRUE(Wb(dir_, "identification list --awaiting-sign-off").out.empty());
  const auto json = nlohmann::json::parse(Wb(dir_, "identification list --person 1 --json").out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["status"], "confirmed");
  EXPECT_EQ(json[0]["signed_off_by"], "supervisor");
  EXPECT_EQ(json[0]["sign_off_reason"], "file checked");
  EXPECT_NE(json[0]["signed_off_on"], "");
  // As of the day before (everything here is recorded today): no sign-off, not even the proposal.
  const auto then = nlohmann::json::parse(
      Wb(dir_, "identification list --person 1 --json --as-of " + yesterday_).out);
  EXPECT_TRUE(then.empty()) << then.dump();
  // Only one event was recorded for the two runs with the same key.
  const RunResult h = Wb(dir_, "person show 1 --history");
  size_t count = 0;
  for (size_t at = h.out.find("identification_signed_off"); at != std::string::npos;
       at = h.out.find("identification_signed_off", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 1u) << h.out;
  // Now the family is notified; figures count the identification as before.
  const RunResult n = Wb(dir_, "person update 1 --event family_notified --set date=2024-06-01");
  EXPECT_EQ(n.rc, 0) << n.err;
  auto f = FiguresCsv(Wb(dir_, "report figures --format csv").out);
  EXPECT_EQ(f["identified"], 1);
  EXPECT_EQ(f["identified.notified.period.2024"], 1);
}

TEST_F(IdentificationCliTest, RejectKeepsTheCaseOpen) {
  EXPECT_NE(Wb(dir_, "identification reject 4 --by reviewer").rc, 0);  // no reason
  const RunResult r = Wb(dir_, "identification reject 4 --by reviewer --reason \"sample swap\"");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(Show(4).out, "\"status\": \"open\""));
  const RunResult c = Wb(dir_, "identification confirm 4 --by reviewer --reason ok");
  EXPECT_EQ(c.rc, 2);
  EXPECT_TRUE(OneErrorLine(c)) << c.err;
  EXPECT_TRUE(Has(c.err, "proposal 4 was already rejected")) << c.err;
  const RunResult l = Wb(dir_, "identification list --status rejected");
  EXPECT_TRUE(Has(l.out, "proposal 4: person 4, rejected")) << l.out;
  EXPECT_EQ(FiguresCsv(Wb(dir_, "report figures --format csv").out)["identified"], 0);
}

TEST_F(IdentificationCliTest, AmbiguousNeedsResolutionAndOneIndividualIsOnePerson) {
  // Proposals 2 and 3 are the ambiguous pair (persons 2 and 3).
  RunResult c = Wb(dir_, "identification confirm 2 --by reviewer --reason \"DNA\"");
  EXPECT_EQ(c.rc, 2);
  EXPECT_TRUE(Has(c.err, "proposal 2 is ambiguous")) << c.err;
  c = Wb(dir_,
         "identification confirm 2 --by reviewer --ambiguity-resolved --reason \"dental records "
         "name the elder brother\"");
  ASSERT_EQ(c.rc, 0) << c.err;
  c = Wb(dir_, "identification confirm 3 --by reviewer --ambiguity-resolved --reason x");
  EXPECT_EQ(c.rc, 2);
  EXPECT_TRUE(Has(c.err, "individual I2 of this run was already identified as person 2")) << c.err;
}

TEST_F(IdentificationCliTest, NoIdentificationWithoutAProposal) {
  const RunResult r = Wb(dir_, "person update 1 --event identified --set date=2024-05-05");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "an identification is recorded only by confirming a proposal")) << r.err;
  // By hand: propose, then confirm.
  const RunResult p =
      Wb(dir_,
         "identification propose 4 --date 2024-07-01 --site 1 --remains X-1 --by clerk "
         "--reason \"identity card found with the body\"");
  ASSERT_EQ(p.rc, 0) << p.err;
  EXPECT_TRUE(Has(p.out, "proposal 5 for person 4 recorded")) << p.out;
  ASSERT_EQ(Wb(dir_, "identification confirm 5 --by reviewer --reason \"card and photo\"").rc, 0);
  EXPECT_TRUE(Has(Show(4).out, "\"identified_on\": \"2024-07-01\""));
  // A proposal for a closed case is refused.
  const RunResult closed = Wb(dir_, "identification propose 4 --by clerk --reason again");
  EXPECT_EQ(closed.rc, 2);
  EXPECT_TRUE(Has(closed.err, "not open")) << closed.err;
}

}  // namespace
}  // namespace whereabouts::testing

namespace whereabouts::testing {
namespace {

// Cells of a simple CSV line (no quotes in the columns read here).
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

std::vector<std::vector<std::string>> Rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) rows.push_back(Cells(line));
  }
  return rows;
}

// The demo's register and DNA data, `identify`, then `import identifications`: an ambiguous
// decision becomes one proposal per candidate of candidates.csv (the register's persons of
// families.csv), each flagged ambiguous with the run's id, its own LR and posterior as the run
// wrote them, and every candidate named.
TEST(IdentifyImportRoundTripTest, AmbiguousDecisionProposesEachCandidate) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "demo --dna dna").rc, 0);
  const RunResult id = Wb(dir,
                          "identify --families dna/families.csv --references dna/references.tsv "
                          "--remains dna/remains.csv --remains-alleles dna/remains-alleles.tsv "
                          "--frequencies dna/frequencies.tsv --out idout --quiet");
  ASSERT_EQ(id.rc, 0) << id.err;
  // (family, id) -> register person.
  std::map<std::pair<std::string, std::string>, std::string> person_of;
  for (const auto& r : Rows(Slurp(dir.File("dna/families.csv")))) {
    if (r.size() >= 8 && !r[7].empty()) person_of[{r[0], r[1]}] = r[7];
  }
  // individual -> its candidates (family, missing, lr, posterior), in rank order.
  std::map<std::string, std::vector<std::vector<std::string>>> candidates_of;
  for (const auto& r : Rows(Slurp(dir.File("idout/candidates.csv")))) {
    ASSERT_EQ(r.size(), 6u);
    candidates_of[r[0]].push_back({r[2], r[3], r[4], r[5]});
  }
  // An ambiguous individual whose candidates are all open cases of the register.
  std::string individual;
  for (const auto& r : Rows(Slurp(dir.File("idout/identifications.csv")))) {
    if (r.size() < 6 || r[5] != "ambiguous") continue;
    bool all_open = true;
    for (const auto& c : candidates_of[r[0]]) {
      auto it = person_of.find({c[0], c[1]});
      all_open = all_open && it != person_of.end() &&
                 Has(Wb(dir, "person show " + it->second + " --json").out, "\"status\": \"open\"");
    }
    if (all_open) {
      individual = r[0];
      break;
    }
  }
  ASSERT_FALSE(individual.empty()) << "the demo has brothers with the same references";
  const auto& candidates = candidates_of.at(individual);
  ASSERT_GE(candidates.size(), 2u);
  const std::string run = nlohmann::json::parse(Slurp(dir.File("idout/summary.json")))["run"];

  const RunResult imp = Wb(dir,
                           "import identifications idout/identifications.csv --families "
                           "dna/families.csv --individuals idout/individuals.csv --remains "
                           "dna/remains.csv --by lab");
  ASSERT_EQ(imp.rc, 0) << imp.err;
  EXPECT_TRUE(Has(imp.out, "run " + run + " (idout/summary.json)")) << imp.out;
  std::string named;  // the candidates text every proposal of the individual carries
  for (const auto& c : candidates) {
    named += (named.empty() ? "" : "; ") + std::string("person ") + person_of.at({c[0], c[1]}) +
             " (family " + c[0] + ", missing " + c[1] + ", LR " + c[2] + ", posterior " + c[3] +
             ")";
  }
  for (const auto& c : candidates) {
    const std::string person = person_of.at({c[0], c[1]});
    const auto list =
        nlohmann::json::parse(Wb(dir, "identification list --person " + person + " --json").out);
    int found = 0;
    for (const auto& p : list) {
      if (p["individual"] != individual) continue;
      ++found;
      EXPECT_EQ(p["run"], run);
      EXPECT_EQ(p["ambiguous"], true);
      EXPECT_EQ(p["family"], c[0]);
      EXPECT_EQ(p["missing"], c[1]);
      EXPECT_EQ(p["lr"], c[2]);
      EXPECT_EQ(p["posterior"], c[3]);
      EXPECT_EQ(p["candidates"], named);
      EXPECT_EQ(p["status"], "proposed");
    }
    EXPECT_EQ(found, 1) << "person " << person;
  }
  // The same run again proposes nothing twice (same run id).
  const RunResult again = Wb(dir,
                             "import identifications idout/identifications.csv --families "
                             "dna/families.csv --by lab");
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_TRUE(Has(again.out, "proposed 0 identifications")) << again.out;
}

}  // namespace
}  // namespace whereabouts::testing
