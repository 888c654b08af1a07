// End-to-end tests of `whereabouts kinship lr`: golden behaviour on the reference file and the
// bundled example, and a table of bad inputs that must fail with exit code 2 and one clear line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "cli/cli_runner.h"

namespace whereabouts {
namespace {

using ::testing::HasSubstr;
using testing::RunCli;
using testing::TempDir;

const std::string kShared = WHEREABOUTS_SHARED_DIR;
const std::string kSource = WHEREABOUTS_SOURCE_DIR;

TEST(KinshipCli, CollectionAsJsonMatchesTheReference) {
  auto r = RunCli("kinship lr " + kShared + "/reference/kinship-cases.json --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto got = nlohmann::json::parse(r.out);
  auto ref = nlohmann::json::parse(std::ifstream(kShared + "/reference/kinship-cases.json"));
  ASSERT_TRUE(got.is_array());
  ASSERT_EQ(got.size(), ref["cases"].size());
  for (size_t i = 0; i < got.size(); ++i) {
    const auto& g = got[i];
    const auto& e = ref["cases"][i]["expected"];
    ASSERT_EQ(g["id"], ref["cases"][i]["id"]);
    const double want = e["lr"].get<double>();
    const double lr = g["lr"].get<double>();
    if (want == 0) {
      EXPECT_EQ(lr, 0.0);
      EXPECT_TRUE(g["log10_lr"].is_null());
    } else {
      EXPECT_LE(std::fabs(lr - want) / want, 1e-9) << g["id"];
    }
    EXPECT_EQ(g["per_marker"].size(), 20u);
  }
}

TEST(KinshipCli, SingleCasePrintsAReadableTableAndJsonObject) {
  const std::string example = kSource + "/examples/missing-person.json";
  auto table = RunCli("kinship lr " + example);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("total LR"));
  EXPECT_THAT(table.out, HasSubstr("log10 LR"));
  EXPECT_THAT(table.out, HasSubstr("D12S391"));
  auto json = RunCli("kinship lr " + example + " --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["id"], "missing-person-example");
  EXPECT_GT(j["lr"].get<double>(), 1e9);
  EXPECT_NEAR(j["log10_lr"].get<double>(), std::log10(j["lr"].get<double>()), 1e-9);
}

// A minimal valid case on a one-marker database, to be broken in many ways.
std::string CaseJson(const std::string& freq, const std::string& extra_h1 = "",
                     const std::string& genotype_b = "\"7/8\"", const std::string& marker = "TH01") {
  return R"({"id": "bad-case", "frequencies": ")" + freq + R"(", "markers": [")" + marker +
         R"("], "mutation": {"model": "none"}, "theta": 0,
    "h1": [{"id": "A", "sex": "male"}, {"id": "MO", "sex": "female"},
           {"id": "B", "sex": "male", "father": "A", "mother": "MO"})" + extra_h1 + R"(],
    "h2": [{"id": "A", "sex": "male"}, {"id": "B", "sex": "male"}],
    "genotypes": {"A": {"TH01": "6/7"}, "B": {"TH01": )" + genotype_b + "}}}";
}

TEST(KinshipCli, BadInputFailsWithOneClearLineAndExitCodeTwo) {
  TempDir dir;
  dir.Write("freq.tsv", "marker\tallele\tfrequency\nTH01\t6\t0.25\nTH01\t7\t0.25\nTH01\t8\t0.5\n");
  dir.Write("badsum.tsv", "marker\tallele\tfrequency\nTH01\t6\t0.25\nTH01\t7\t0.25\nTH01\t8\t0.4\n");
  struct Bad {
    const char* name;
    std::string content;
    std::vector<std::string> must_name;
  };
  const std::vector<Bad> table = {
      {"malformed.json", "{\"id\": ", {"malformed.json", "malformed JSON"}},
      {"unknown-marker.json", CaseJson("freq.tsv", "", "\"7/8\"", "D99S1"), {"bad-case", "D99S1"}},
      {"unknown-allele.json", CaseJson("freq.tsv", "", "\"7/42\""), {"bad-case", "TH01", "allele 42"}},
      {"three-alleles.json", CaseJson("freq.tsv", "", "\"6/7/8\""), {"bad-case", "sample B", "TH01", "more than two alleles"}},
      {"missing-freq.json", CaseJson("nowhere.tsv"), {"bad-case", "nowhere.tsv", "cannot read"}},
      {"bad-sum.json", CaseJson("badsum.tsv"), {"badsum.tsv", "TH01", "sum to"}},
      {"impossible.json", CaseJson("freq.tsv", R"(, {"id": "A2", "sex": "female", "father": "B", "mother": "A"})"),
       {"bad-case", "h1", "individual A2", "mother 'A' is not female"}},
      {"cycle.json", CaseJson("freq.tsv", R"(, {"id": "X", "sex": "male", "father": "Y", "mother": "MO"}, {"id": "Y", "sex": "male", "father": "X", "mother": "MO"})"),
       {"bad-case", "own ancestor"}},
  };
  for (const auto& bad : table) {
    SCOPED_TRACE(bad.name);
    const std::string path = dir.Write(bad.name, bad.content);
    auto r = RunCli("kinship lr " + path);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty()) << "no LR may be printed: " << r.out;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    for (const auto& s : bad.must_name) EXPECT_THAT(r.err, HasSubstr(s));
  }
  auto missing = RunCli("kinship lr " + (dir.path() / "absent.json").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("absent.json"));
}

TEST(KinshipCli, MinimumFrequencyAddsTheAlleleAndSaysSo) {
  TempDir dir;
  dir.Write("freq.tsv", "marker\tallele\tfrequency\nTH01\t6\t0.25\nTH01\t7\t0.25\nTH01\t8\t0.5\n");
  const std::string path = dir.Write("case.json", CaseJson("freq.tsv", "", "\"7/42\""));
  auto r = RunCli("kinship lr " + path + " --minimum-frequency 0.01");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("added at minimum frequency: 42"));
  auto j = RunCli("kinship lr " + path + " --minimum-frequency 0.01 --json");
  auto parsed = nlohmann::json::parse(j.out);
  EXPECT_EQ(parsed["added_alleles"]["TH01"][0], "42");
  // Shared allele 7 with rescaled p7 = 0.25 / 1.01: LR = 1 / (4 p7).
  EXPECT_NEAR(parsed["lr"].get<double>(), 1.01, 1e-12);
}

TEST(KinshipCli, PublishedWideTableWithRestAlleleAndMinimumFrequencyFromN) {
  TempDir dir;
  // A wide table (alleles as rows, one column per marker) with Familias' rest lump: 42 is not
  // listed, so it takes the rest allele's 0.5 and p7 stays 0.25: LR = 1 / (4 p7) = 1.
  dir.Write("freq.tsv", "Allele,TH01\n6,0.25\n7,0.25\nRest allele,0.5\n");
  const std::string path = dir.Write("case.json", CaseJson("freq.tsv", "", "\"7/42\""));
  auto r = RunCli("kinship lr " + path);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("given the rest allele's frequency: 42"));
  auto j = RunCli("kinship lr " + path + " --json");
  auto parsed = nlohmann::json::parse(j.out);
  EXPECT_EQ(parsed["rest_alleles"]["TH01"][0], "42");
  EXPECT_NEAR(parsed["lr"].get<double>(), 1.0, 1e-12);

  // No rest allele, N = 50: 5/2N = 0.05, p7 = 0.25 / 1.05, LR = 1.05.
  dir.Write("freq.tsv", "Allele,TH01\n6,0.25\n7,0.25\n8,0.5\nN,50\n");
  auto n = RunCli("kinship lr " + path + " --minimum-frequency 5/2N --json");
  ASSERT_EQ(n.exit_code, 0) << n.err;
  EXPECT_NEAR(nlohmann::json::parse(n.out)["lr"].get<double>(), 1.05, 1e-12);
  // Without N the option refuses to guess.
  dir.Write("freq.tsv", "Allele,TH01\n6,0.25\n7,0.25\n8,0.5\n");
  auto none = RunCli("kinship lr " + path + " --minimum-frequency 5/2N");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.err, HasSubstr("database size N"));
  auto bad = RunCli("kinship lr " + path + " --minimum-frequency 5/3N");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("5/2N"));
}

}  // namespace
}  // namespace whereabouts
