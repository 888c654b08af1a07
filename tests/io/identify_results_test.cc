// identify's decisions as data: candidates.csv and targets.csv as written, read back by the
// importer's reader (identifications.csv + candidates.csv) without looking at the reason text;
// bad cells named by file, line and column; the run id of summary.json.
#include "io/identify_results.h"

#include <gtest/gtest.h>

namespace whereabouts::io {
namespace {

using kinship::CandidateRow;
using kinship::Decision;
using kinship::IdentificationRow;

IdentificationRow Row(const std::string& individual, Decision d, std::vector<CandidateRow> c) {
  IdentificationRow r;
  r.individual = individual;
  r.decision = d;
  if (!c.empty()) {
    r.family = c[0].family;
    r.missing = c[0].missing;
    r.lr = c[0].lr;
    r.posterior = c[0].posterior;
  }
  r.candidates = std::move(c);
  r.reason = "ambiguous between family X, missing Y (LR 1, posterior 1)";  // never read
  return r;
}

// identifications.csv as identify writes its first columns.
std::string IdentificationsCsv(const std::vector<IdentificationRow>& rows) {
  std::string s = "individual,family,missing,lr,posterior,decision,reason\n";
  for (const auto& r : rows) {
    s += r.individual + "," + r.family + "," + r.missing + "," + FormatResultNumber(r.lr) + "," +
         FormatResultNumber(r.posterior) + "," + kinship::DecisionName(r.decision) + ",\"" +
         r.reason + "\"\n";
  }
  return s;
}

TEST(IdentifyResultsTest, CandidatesRoundTrip) {
  const std::vector<IdentificationRow> rows = {
      Row("I0001", Decision::kIdentified, {{"F1", "MP", 1.5e9, 0.99991}}),
      Row("I0002", Decision::kAmbiguous,
          {{"F2", "MA", 3.25e8, 0.5000000001},
           {"F2", "MB", 3.25e8, 0.4999},
           {"F 3", "M,C", 1e4, 0.0001}}),
      Row("I0003", Decision::kNotIdentified, {{"F4", "X", 12, 0.2}}),
      Row("I0004", Decision::kNotIdentified, {}),
  };
  const std::string candidates = FormatCandidates(rows);
  EXPECT_EQ(candidates.substr(0, candidates.find('\n')),
            "individual,rank,family,missing,lr,posterior");
  auto read =
      ParseDecisions(IdentificationsCsv(rows), "identifications.csv", candidates, "candidates.csv");
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  ASSERT_EQ(read->size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const ResultDecision& d = (*read)[i];
    EXPECT_EQ(d.individual, rows[i].individual);
    EXPECT_EQ(d.decision, rows[i].decision);
    ASSERT_EQ(d.candidates.size(), rows[i].candidates.size()) << d.individual;
    for (size_t k = 0; k < d.candidates.size(); ++k) {
      const auto& want = rows[i].candidates[k];
      EXPECT_EQ(d.candidates[k].family, want.family);
      EXPECT_EQ(d.candidates[k].missing, want.missing);
      EXPECT_EQ(d.candidates[k].lr, want.lr);  // exact with 10 significant digits
      EXPECT_EQ(d.candidates[k].posterior, want.posterior);
      EXPECT_EQ(d.candidates[k].lr_text, FormatResultNumber(want.lr));
    }
  }
}

TEST(IdentifyResultsTest, WithoutCandidatesFileIdentifiedUsesItsRowAndAmbiguousIsRefused) {
  const std::vector<IdentificationRow> identified = {
      Row("I1", Decision::kIdentified, {{"F1", "MP", 1e9, 0.9999}}),
      Row("I2", Decision::kNotIdentified, {})};
  auto read = ParseDecisions(IdentificationsCsv(identified), "ids.csv", std::nullopt, "");
  ASSERT_TRUE(read.has_value()) << read.error().ToString();
  ASSERT_EQ((*read)[0].candidates.size(), 1u);
  EXPECT_EQ((*read)[0].candidates[0].family, "F1");
  EXPECT_EQ((*read)[0].candidates[0].lr_text, "1000000000");
  EXPECT_TRUE((*read)[1].candidates.empty());

  const std::vector<IdentificationRow> ambiguous = {
      Row("I1", Decision::kAmbiguous, {{"F2", "MA", 1e9, 0.5}, {"F2", "MB", 1e9, 0.5}})};
  read = ParseDecisions(IdentificationsCsv(ambiguous), "ids.csv", std::nullopt, "");
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(read.error().ToString().find("ids.csv:2: decision"), std::string::npos)
      << read.error().ToString();
}

TEST(IdentifyResultsTest, BadCellsNameFileLineAndColumn) {
  const std::string ids =
      "individual,family,missing,lr,posterior,decision\n"
      "I1,F1,MP,1e9,0.9,identified\n";
  auto err = [&](const std::string& identifications, const std::string& candidates) {
    auto r = ParseDecisions(identifications, "ids.csv", candidates, "cand.csv");
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error().ToString();
  };
  const std::string header = "individual,rank,family,missing,lr,posterior\n";
  EXPECT_NE(err(ids, header + "I1,1,F1,MP,abc,0.9\n").find("cand.csv:2: lr"), std::string::npos);
  EXPECT_NE(err(ids, header + "I1,1,F1,MP,-3,0.9\n").find("cand.csv:2: lr"), std::string::npos);
  EXPECT_NE(err(ids, header + "I1,1,F1,MP,1e9,1.5\n").find("cand.csv:2: posterior"),
            std::string::npos);
  EXPECT_NE(err(ids, header + "I1,x,F1,MP,1e9,0.9\n").find("cand.csv:2: rank"), std::string::npos);
  EXPECT_NE(err(ids, header + "I1,1,F1,MP,1e9,0.9\nI1,1,F1,MQ,1,0.1\n").find("cand.csv:3: rank"),
            std::string::npos);
  // An identified individual without candidates, or whose best one is another person.
  EXPECT_NE(err(ids, header).find("ids.csv:2: individual"), std::string::npos);
  EXPECT_NE(err(ids, header + "I1,1,F9,MP,1e9,0.9\n").find("different runs"), std::string::npos);
  EXPECT_NE(err("individual,family,missing,lr,posterior,decision\nI1,F1,MP,1,1,maybe\n", header)
                .find("ids.csv:2: decision"),
            std::string::npos);
  EXPECT_NE(err("individual,family,missing,lr,decision\n", header).find("posterior"),
            std::string::npos);
}

TEST(IdentifyResultsTest, TargetsCsvListsTheScreenStatus) {
  const std::vector<kinship::TargetRow> rows = {
      {"F1", "MP", kinship::Sex::kMale, kinship::ScreenStatus::kScreened},
      {"F2", "X", kinship::Sex::kFemale, kinship::ScreenStatus::kTableFailed},
      {"F3", "Y", kinship::Sex::kUnknown, kinship::ScreenStatus::kFamilyNotUsable}};
  EXPECT_EQ(FormatTargets(rows),
            "family,missing,sex,screen\n"
            "F1,MP,male,screened\n"
            "F2,X,female,table failed\n"
            "F3,Y,unknown,family not usable\n");
}

TEST(IdentifyResultsTest, RunIdOfASummary) {
  auto r = ParseRunId(R"({"format": "x", "run": "abc123"})", "summary.json");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->value_or(""), "abc123");
  r = ParseRunId(R"({"counts": {}})", "summary.json");
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value());
  r = ParseRunId("{not json", "summary.json");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().field, "summary.json");
  EXPECT_FALSE(ParseRunId(R"({"run": 7})", "summary.json").has_value());
}

}  // namespace
}  // namespace whereabouts::io
