// Familias .fam files through the real binary: `kinship lr FILE.fam`, `kinship export-fam`,
// `identify --fam` and `identify --write-fam`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_runner.h"

namespace whereabouts::testing {
namespace {

const std::string kShared = std::string(WHEREABOUTS_SHARED_DIR) + "/reference/";
const std::string kGolden =
    std::string(WHEREABOUTS_SOURCE_DIR) + "/tests/io/data/paternity_golden.fam";

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::vector<std::string>> Csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += c;
      }
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}

// export-fam then `kinship lr F.fam` gives the case's LR (relative 1e-12), for a case of each
// mutation model; the table names the reference pedigree.
TEST(FamiliasCli, ExportedCaseGivesTheSameLr) {
  TempDir tmp;
  auto all = RunCli("kinship lr " + kShared + "kinship-cases.json --json");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto results = nlohmann::json::parse(all.out);
  int checked = 0;
  for (const char* id :
       {"pair_PC/stepwise/theta=0.01", "pair_PC/equal/theta=0", "pair_PC/proportional/theta=0.01",
        "mp_MP1_partial_POI_true/stepwise/theta=0"}) {
    const auto it =
        std::find_if(results.begin(), results.end(), [&](const auto& r) { return r["id"] == id; });
    ASSERT_NE(it, results.end()) << id;
    const std::string fam = (tmp.path() / "case.fam").string();
    auto ex = RunCli("kinship export-fam " + kShared + "kinship-cases.json --case '" + id +
                     "' --out " + fam);
    ASSERT_EQ(ex.exit_code, 0) << ex.err;
    auto lr = RunCli("kinship lr " + fam + " --json");
    ASSERT_EQ(lr.exit_code, 0) << lr.err;
    const auto got = nlohmann::json::parse(lr.out);
    ASSERT_TRUE(got.is_array());
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0]["id"], "h1 vs h2");
    const double want = (*it)["lr"].get<double>(), have = got[0]["lr"].get<double>();
    EXPECT_LE(std::fabs(have - want), 1e-12 * std::fabs(want))
        << id << ": " << have << " vs " << want;
    ++checked;
  }
  EXPECT_EQ(checked, 4);
  // A collection needs --case; a direct match is refused with the reason.
  auto many = RunCli("kinship export-fam " + kShared + "kinship-cases.json --out " +
                     (tmp.path() / "x.fam").string());
  EXPECT_EQ(many.exit_code, 2);
  EXPECT_NE(many.err.find("--case"), std::string::npos) << many.err;
  auto dm = RunCli("kinship export-fam " + kShared +
                   "kinship-cases.json --case 'pair_DM/none/theta=0' --out " +
                   (tmp.path() / "x.fam").string());
  EXPECT_EQ(dm.exit_code, 2);
  EXPECT_NE(dm.err.find("direct match"), std::string::npos) << dm.err;
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "x.fam"));
}

// The golden file: every pedigree against the last one by default, or against --reference.
TEST(FamiliasCli, GoldenFileLrAndReference) {
  auto a = RunCli("kinship lr " + kGolden + " --json");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto b = RunCli("kinship lr " + kGolden + " --json --reference Paternity");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  ASSERT_EQ(ja.size(), 1u);
  ASSERT_EQ(jb.size(), 1u);
  EXPECT_EQ(ja[0]["id"], "Paternity vs Unrelated");
  EXPECT_EQ(jb[0]["id"], "Unrelated vs Paternity");
  const double x = ja[0]["lr"].get<double>(), y = jb[0]["lr"].get<double>();
  EXPECT_GT(x, 1.0);
  EXPECT_NEAR(x * y, 1.0, 1e-12);
  auto table = RunCli("kinship lr " + kGolden);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("Case Paternity vs Unrelated"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("mutation: male stepwise(rate=0.002, rate2=1e-06, range=0.1), female "
                           "equal(rate=0.001); TH01: proportional(rate=0.003); theta: 0.01"),
            std::string::npos)
      << table.out;
  auto unknown = RunCli("kinship lr " + kGolden + " --reference Nope");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("Nope"), std::string::npos);
}

TEST(FamiliasCli, MalformedFileExitsTwoNamingTheLine) {
  TempDir tmp;
  std::string text = ReadAll(kGolden);
  text.replace(text.find("\"Known relations\""), 17, "\"Known relatives\"");
  const std::string bad = tmp.Write("bad.fam", text);
  auto r = RunCli("kinship lr " + bad);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("bad.fam:36"), std::string::npos) << r.err;
  auto no_dvi = RunCli("identify --fam " + kGolden + " --out " + (tmp.path() / "o").string());
  EXPECT_EQ(no_dvi.exit_code, 2);
  EXPECT_NE(no_dvi.err.find("[DVI]"), std::string::npos) << no_dvi.err;
}

// Each DVI dataset written with --write-fam and run again with --fam gives the same results:
// identifications.csv, matches.csv, candidates.csv and targets.csv byte for byte; individuals.csv
// but for the bag (a .fam file has no bags: each unidentified person is its own bag).
void CheckDataset(const std::string& name) {
  TempDir tmp;
  const std::string dir = kShared + "dvi/" + name + "/";
  std::string options;
  std::getline(std::ifstream(dir + "options"), options);
  const std::string fam = (tmp.path() / (name + ".fam")).string();
  // The datasets' `person` column holds "M1", which the families reader refuses as a register id
  // (the family would be skipped): a copy without it.
  std::string families;
  {
    std::istringstream in(ReadAll(dir + "families.csv"));
    for (std::string line; std::getline(in, line);)
      families += line.substr(0, line.rfind(',')) + "\n";
  }
  const std::string families_csv = tmp.Write("families.csv", families);
  auto a = RunCli("identify --quiet --families " + families_csv + " --references " + dir +
                  "references.tsv --remains " + dir + "remains.csv --remains-alleles " + dir +
                  "remains-alleles.tsv --frequencies " + dir + "frequencies.tsv --out " +
                  (tmp.path() / "files").string() + " " + options + " --write-fam " + fam);
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_TRUE(std::filesystem::exists(fam));
  auto b = RunCli("identify --quiet --fam " + fam + " --out " + (tmp.path() / "fam").string() +
                  " --lr 10000");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  for (const char* f : {"identifications.csv", "matches.csv", "candidates.csv", "targets.csv"}) {
    EXPECT_EQ(ReadAll(tmp.path() / "files" / f), ReadAll(tmp.path() / "fam" / f))
        << name << " " << f;
  }
  const auto ia = Csv(ReadAll(tmp.path() / "files" / "individuals.csv"));
  const auto ib = Csv(ReadAll(tmp.path() / "fam" / "individuals.csv"));
  ASSERT_EQ(ia.size(), ib.size());
  for (size_t i = 0; i < ia.size(); ++i) {
    ASSERT_EQ(ia[i].size(), 4u);
    EXPECT_EQ(ia[i][0], ib[i][0]);
    EXPECT_EQ(ia[i][1], ib[i][1]);
    EXPECT_EQ(ia[i][3], ib[i][3]);
  }
  // The file's model and theta are used; options that would contradict the file are refused.
  const auto summary = nlohmann::json::parse(ReadAll(tmp.path() / "fam" / "summary.json"));
  const auto files_summary = nlohmann::json::parse(ReadAll(tmp.path() / "files" / "summary.json"));
  EXPECT_EQ(summary["models"]["mutation"], files_summary["models"]["mutation"]);
  EXPECT_EQ(summary["inputs"]["fam"], fam);
  EXPECT_EQ(summary["counts"]["families_used"], 1);
  EXPECT_EQ(summary["counts"], files_summary["counts"]);
  auto clash = RunCli("identify --quiet --fam " + fam + " --out " + (tmp.path() / "x").string() +
                      " --theta 0.01");
  EXPECT_EQ(clash.exit_code, 2);
  EXPECT_NE(clash.err.find("--theta"), std::string::npos) << clash.err;
}

TEST(FamiliasCli, KetpChap481ThroughFamGivesTheSameResults) { CheckDataset("KETPchap481"); }
TEST(FamiliasCli, FireThroughFamGivesTheSameResults) { CheckDataset("fire"); }

// Per-marker models from a file change exactly the markers they name (identify --mutation-models).
TEST(FamiliasCli, MutationModelsFileIsUsedAndRecorded) {
  TempDir tmp;
  const std::string dir = kShared + "dvi/fire/";
  const std::string models =
      tmp.Write("models.tsv", "marker\tmodel\trate\nD3S1358\tequal\t0.002\n");
  auto r = RunCli("identify --quiet --families " + dir + "families.csv --references " + dir +
                  "references.tsv --remains " + dir + "remains.csv --remains-alleles " + dir +
                  "remains-alleles.tsv --frequencies " + dir + "frequencies.tsv --out " +
                  (tmp.path() / "o").string() +
                  " --dropout 0 --mutation proportional --mutation-rate 0.001 " +
                  "--mutation-models " + models + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["models"]["marker_mutation"]["D3S1358"]["male"], "equal(rate=0.002)");
  EXPECT_EQ(summary["inputs"]["mutation_models"], models);
  const std::string bad = tmp.Write("bad.tsv", "marker\tmodel\trate\nD3S1358\tstepwise\t0.002\n");
  auto b = RunCli("identify --quiet --families " + dir + "families.csv --references " + dir +
                  "references.tsv --remains " + dir + "remains.csv --remains-alleles " + dir +
                  "remains-alleles.tsv --frequencies " + dir + "frequencies.tsv --out " +
                  (tmp.path() / "o2").string() + " --mutation-models " + bad);
  EXPECT_EQ(b.exit_code, 2);
  EXPECT_NE(b.err.find("bad.tsv:2"), std::string::npos) << b.err;
}

}  // namespace
}  // namespace whereabouts::testing
