// The two dvir example datasets of ../shared/reference/dvi/ (exported from R dvir 3.4.2, with
// dvir's conclusions in expected.csv) through kinship::Identify with the options of their
// `options` file: every victim's decision must be dvir's, and the numbers dvir reports must be
// ours:
//   - dvir_lr (the victim's LR against the family with the references alone) = matches.csv lr;
//   - dvir_glr (dvir's generalised LR of its joint solution: the likelihood of the best
//     assignment with the victim as its missing person over the best one without) = our GLR
//     (CandidateJoint::glr) for victims identified; for a symmetric match (a set), dvir's GLR
//     compares the best assignment with the set in place against the best one with the set
//     broken, which is our set's joint LR over its best alternative: checked as the GLR of the
//     set computed here from the joint LRs of the family (its assignments enumerated by hand).
// dvir's priors are flat over assignments; ours are 1/(N+1) for each missing person and none,
// which is flat too when every missing person is a candidate of every victim (as here).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "io/allele_table.h"
#include "io/delimited.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/remains_csv.h"
#include "kinship/identify.h"

namespace whereabouts::kinship {
namespace {

const std::string kDir = std::string(WHEREABOUTS_SHARED_DIR) + "/reference/dvi/";

struct Dataset {
  FrequencyDatabase db;
  IdentifyInput input;
  IdentifyOptions options;
  std::vector<std::map<std::string, std::string>> expected;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Dataset Load(const std::string& name) {
  const std::string dir = kDir + name + "/";
  Dataset d;
  auto db = io::ReadFrequencyFile(dir + "frequencies.tsv");
  EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().ToString());
  d.db = std::move(*db);
  // The datasets' `person` column holds dvir's names of the missing persons (M1, ...), which
  // FORMATS.md reserves for register ids (a whole number): the families reader would skip the
  // family. The column is optional and changes nothing here, so it is left out.
  std::string families_text;
  {
    std::istringstream lines(Slurp(dir + "families.csv"));
    int drop = -1;
    for (std::string line; std::getline(lines, line);) {
      std::vector<std::string> cells;
      std::stringstream cs(line);
      for (std::string cell; std::getline(cs, cell, ',');) cells.push_back(cell);
      if (!line.empty() && line.back() == ',') cells.emplace_back();
      if (drop < 0) {
        for (size_t c = 0; c < cells.size(); ++c) {
          if (cells[c] == "person") drop = static_cast<int>(c);
        }
      }
      std::string out;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (static_cast<int>(c) == drop) continue;
        out += (out.empty() && c == 0 ? "" : ",") + cells[c];
      }
      if (drop == 0 && !out.empty()) out.erase(0, 1);
      families_text += out + "\n";
    }
  }
  auto fam = io::ParseFamilies(families_text, dir + "families.csv");
  EXPECT_TRUE(fam.has_value());
  EXPECT_TRUE(fam->skipped.empty()) << fam->skipped.front().ToString();
  d.input.families = std::move(fam->families);
  d.input.references = *io::ReadAlleleTable(dir + "references.tsv");
  d.input.remains = *io::ReadRemains(dir + "remains.csv");
  d.input.remains_profiles = *io::ReadAlleleTable(dir + "remains-alleles.tsv");
  // The options file: "--dropout 0 --theta 0 --lr 10000 --mutation proportional ...".
  std::istringstream opts(Slurp(dir + "options"));
  std::map<std::string, std::string> o;
  for (std::string key, value; opts >> key >> value;) o[key] = value;
  d.options.remains_dropout = std::stod(o.at("--dropout"));
  d.options.theta = std::stod(o.at("--theta"));
  d.options.lr_threshold = std::stod(o.at("--lr"));
  auto kind = ParseMutationKind(o.at("--mutation"));
  EXPECT_TRUE(kind.has_value());
  const double rate = o.count("--mutation-rate") ? std::stod(o.at("--mutation-rate")) : 0.0;
  d.options.mutation = MutationModel::Same({*kind, rate, 0.0, 0.1});
  d.options.threads = 1;
  auto table = io::DelimitedTable::Parse(Slurp(dir + "expected.csv"), "expected.csv");
  EXPECT_TRUE(table.has_value());
  for (const auto& row : table->rows()) {
    std::map<std::string, std::string> r;
    for (size_t c = 0; c < table->header().size(); ++c) r[table->header()[c]] = row.cells[c];
    d.expected.push_back(std::move(r));
  }
  return d;
}

// The identification row of the individual holding `sample` (one sample per victim here).
const IdentificationRow& RowOf(const IdentifyReport& rep, const std::string& sample) {
  std::string individual;
  for (const auto& r : rep.individuals) {
    if (r.sample == sample) individual = r.individual;
  }
  for (const auto& r : rep.identifications) {
    if (r.individual == individual) return r;
  }
  ADD_FAILURE() << "no row for " << sample;
  static IdentificationRow none;
  return none;
}

const MatchRow* MatchOf(const IdentifyReport& rep, const std::string& individual,
                        const std::string& missing) {
  for (const auto& m : rep.matches) {
    if (m.individual == individual && m.missing == missing) return &m;
  }
  return nullptr;
}

void ExpectNear(double ours, const std::string& theirs, double tolerance, const std::string& what) {
  const double v = std::stod(theirs);
  EXPECT_NEAR(ours / v, 1.0, tolerance) << what << ": ours " << ours << ", dvir " << theirs;
}

// dvir prints 8 significant digits: relative tolerance 1e-6 covers its rounding (5e-8) and ours.
constexpr double kTolerance = 1e-6;

void CheckDataset(const std::string& name) {
  Dataset d = Load(name);
  d.input.database = &d.db;
  auto rep = Identify(d.input, d.options);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  EXPECT_EQ(rep->family_tables, 1);
  for (const auto& e : d.expected) {
    SCOPED_TRACE(name + " " + e.at("sample"));
    const IdentificationRow& row = RowOf(*rep, e.at("sample"));
    EXPECT_EQ(DecisionName(row.decision), e.at("decision"));
    EXPECT_EQ(row.family, e.at("family"));
    // The pairwise LR against dvir's, for the missing person of dvir's solution (the first of a
    // set).
    const std::string missing = e.at("missing").substr(0, e.at("missing").find('/'));
    const MatchRow* m = MatchOf(*rep, row.individual, missing);
    ASSERT_NE(m, nullptr);
    ExpectNear(m->lr, e.at("dvir_lr"), kTolerance, "pairwise LR");
    if (e.at("decision") == "identified") {
      EXPECT_EQ(row.missing, e.at("missing"));
      ExpectNear(row.glr, e.at("dvir_glr"), kTolerance, "GLR");
    } else if (e.at("decision") == "ambiguous") {
      // The set: both individuals named, both missing persons, set posterior above threshold.
      std::string set = e.at("missing");
      std::replace(set.begin(), set.end(), '/', ';');
      EXPECT_EQ(row.set_missing, set);
      EXPECT_GE(row.set_posterior, d.options.posterior_threshold);
      EXPECT_NE(row.set_individuals.find(';'), std::string::npos);
      EXPECT_NE(row.reason.find("in some order"), std::string::npos);
      ExpectNear(row.set_glr, e.at("dvir_glr"), kTolerance, "GLR of the set");
      if (!e.at("truth").empty()) {
        EXPECT_NE(set.find(e.at("truth")), std::string::npos);
      }
    }
    if (!e.at("truth").empty() && e.at("decision") == "identified") {
      EXPECT_EQ(row.missing, e.at("truth"));
    }
  }
}

TEST(DviTest, KETPchap481AsDvir) { CheckDataset("KETPchap481"); }
TEST(DviTest, FireAsDvir) { CheckDataset("fire"); }

}  // namespace
}  // namespace whereabouts::kinship
