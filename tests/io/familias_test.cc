// Familias .fam files (io/familias.h): a golden file written by hand from the published layout,
// round trips of every reference kinship case and of the two DVI datasets, malformed files named
// by line and field, and a fuzz-style property (any text gives a value or an error).
#include "io/familias.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "io/allele_table.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/kinship_case_json.h"
#include "io/mutation_models.h"
#include "io/remains_csv.h"
#include "kinship/identify.h"
#include "kinship/lr.h"

namespace whereabouts::io {
namespace {

using kinship::MutationKind;
using kinship::MutationSpec;
using kinship::Sex;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kGoldenPath =
    std::string(WHEREABOUTS_SOURCE_DIR) + "/tests/io/data/paternity_golden.fam";
const std::string kShared = std::string(WHEREABOUTS_SHARED_DIR) + "/reference/";

bool Near(double a, double b, double rel) {
  if (a == b) return true;
  return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

// The golden file (tests/io/data/paternity_golden.fam) was written by hand from the layout:
// AF (male) 15/16 at D3S1358 and 6/9.3 at TH01, MO (female) untyped, CH (male) 16/17 and 9.3/6;
// pedigree "Paternity" makes AF and MO CH's parents, "Unrelated" has no relation; theta 0.01;
// D3S1358 mutates by the equal model (0.001) from mothers and extended stepwise (0.002, range
// 0.1, rate2 1e-6, written "1e-006" as Familias writes it) from fathers; TH01 proportional 0.003.
TEST(Familias, GoldenFileReadsAsWritten) {
  auto fam = ParseFam(ReadAll(kGoldenPath), "golden.fam");
  ASSERT_TRUE(fam) << fam.error().ToString();
  EXPECT_EQ(fam->version, "3.3.1");
  ASSERT_EQ(fam->persons.size(), 3u);
  EXPECT_EQ(fam->persons[0].name, "AF");
  EXPECT_EQ(fam->persons[0].sex, Sex::kMale);
  EXPECT_EQ(fam->persons[1].sex, Sex::kFemale);
  EXPECT_TRUE(fam->persons[1].genotypes.empty());
  EXPECT_EQ(fam->persons[0].genotypes.at("D3S1358").ToString(), "15/16");
  EXPECT_EQ(fam->persons[0].genotypes.at("TH01").ToString(), "6/9.3");
  EXPECT_EQ(fam->persons[2].genotypes.at("D3S1358").ToString(), "16/17");
  EXPECT_EQ(fam->persons[2].genotypes.at("TH01").ToString(), "9.3/6");
  ASSERT_EQ(fam->pedigrees.size(), 2u);
  EXPECT_EQ(fam->pedigrees[0].name, "Paternity");
  EXPECT_EQ(fam->pedigrees[0].individuals[2].father, "AF");
  EXPECT_EQ(fam->pedigrees[0].individuals[2].mother, "MO");
  EXPECT_EQ(fam->pedigrees[1].name, "Unrelated");
  EXPECT_TRUE(fam->pedigrees[1].individuals[2].father.empty());
  EXPECT_DOUBLE_EQ(fam->theta, 0.01);
  EXPECT_EQ(fam->database_name, "Synthetic database");
  ASSERT_EQ(fam->markers.size(), 2u);
  const auto& d3 = fam->markers[0];
  EXPECT_EQ(d3.name, "D3S1358");
  EXPECT_EQ(d3.database_size, 500);
  EXPECT_EQ(d3.alleles, (std::vector<std::string>{"14", "15", "16", "17"}));
  EXPECT_EQ(d3.mutation.female, (MutationSpec{MutationKind::kEqual, 0.001, 0.0, 0.0}));
  EXPECT_EQ(d3.mutation.male, (MutationSpec{MutationKind::kStepwise, 0.002, 1e-6, 0.1}));
  EXPECT_EQ(fam->markers[1].mutation.male,
            (MutationSpec{MutationKind::kProportional, 0.003, 0, 0}));
  EXPECT_EQ(fam->markers[1].mutation.female, fam->markers[1].mutation.male);
  EXPECT_FALSE(fam->dvi);
}

// The golden file's LR through FamToCases equals the LR of the same case written in our JSON
// format (per-marker, per-sex models in "marker_mutation").
TEST(Familias, GoldenLrEqualsOurCaseFormat) {
  auto fam = ParseFam(ReadAll(kGoldenPath), "golden.fam");
  ASSERT_TRUE(fam) << fam.error().ToString();
  auto db = FamDatabase(*fam, "golden.fam");
  ASSERT_TRUE(db) << db.error().ToString();
  auto cases = FamToCases(*fam, "", "golden.fam");
  ASSERT_TRUE(cases) << cases.error().ToString();
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ((*cases)[0].id, "Paternity vs Unrelated");
  auto lr = kinship::ComputeLr((*cases)[0], *db);
  ASSERT_TRUE(lr) << lr.error().ToString();

  const std::string json = R"({
    "id": "golden", "frequencies": "f.tsv", "markers": ["D3S1358", "TH01"],
    "mutation": {"model": "none"},
    "marker_mutation": {
      "D3S1358": {"male": {"model": "stepwise", "rate": 0.002, "rate2": 1e-6, "range": 0.1},
                  "female": {"model": "equal", "rate": 0.001}},
      "TH01": {"model": "proportional", "rate": 0.003}},
    "theta": 0.01,
    "h1": [{"id": "AF", "sex": "male"}, {"id": "MO", "sex": "female"},
           {"id": "CH", "sex": "male", "father": "AF", "mother": "MO"}],
    "h2": [{"id": "AF", "sex": "male"}, {"id": "CH", "sex": "male"}],
    "genotypes": {"AF": {"D3S1358": "15/16", "TH01": "6/9.3"},
                  "CH": {"D3S1358": "16/17", "TH01": "9.3/6"}}})";
  auto parsed = ParseCaseFile(json, "golden.json");
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  auto tsv = ParseFrequencyTsv(
      "marker\tallele\tfrequency\nD3S1358\t14\t0.1\nD3S1358\t15\t0.25\nD3S1358\t16\t0.3\n"
      "D3S1358\t17\t0.35\nTH01\t6\t0.2\nTH01\t7\t0.5\nTH01\t9.3\t0.3\n",
      "f.tsv");
  ASSERT_TRUE(tsv);
  auto ours = kinship::ComputeLr(parsed->cases[0].kinship_case, *tsv);
  ASSERT_TRUE(ours) << ours.error().ToString();
  EXPECT_TRUE(Near(lr->lr, ours->lr, 1e-12)) << lr->lr << " vs " << ours->lr;
  ASSERT_EQ(lr->per_marker.size(), 2u);
  for (size_t m = 0; m < 2; ++m) {
    EXPECT_TRUE(Near(lr->per_marker[m].lr, ours->per_marker[m].lr, 1e-12));
  }
  // The per-sex models matter: with the male and female models of D3S1358 swapped (the father
  // AF transmits), D3S1358's LR changes; TH01's does not.
  auto swapped = parsed->cases[0].kinship_case;
  std::swap(swapped.mutation.per_marker.at("D3S1358").male,
            swapped.mutation.per_marker.at("D3S1358").female);
  auto other = kinship::ComputeLr(swapped, *tsv);
  ASSERT_TRUE(other);
  EXPECT_FALSE(Near(other->per_marker[0].lr, lr->per_marker[0].lr, 1e-6));
  EXPECT_TRUE(Near(other->per_marker[1].lr, lr->per_marker[1].lr, 1e-12));
}

bool SameFam(const FamFile& a, const FamFile& b, std::string* why) {
  auto fail = [&](const std::string& w) {
    *why = w;
    return false;
  };
  if (a.persons.size() != b.persons.size()) return fail("persons");
  for (size_t i = 0; i < a.persons.size(); ++i) {
    const auto &x = a.persons[i], &y = b.persons[i];
    if (x.name != y.name || x.sex != y.sex || x.consider_dropout != y.consider_dropout)
      return fail("person " + x.name);
    if (x.genotypes.size() != y.genotypes.size()) return fail("genotypes of " + x.name);
    for (const auto& [m, c] : x.genotypes) {
      auto it = y.genotypes.find(m);
      if (it == y.genotypes.end() || it->second.first != c.first || it->second.second != c.second) {
        return fail("genotype of " + x.name + " at " + m);
      }
    }
  }
  if (a.pedigrees.size() != b.pedigrees.size()) return fail("pedigrees");
  for (size_t i = 0; i < a.pedigrees.size(); ++i) {
    if (a.pedigrees[i].name != b.pedigrees[i].name) return fail("pedigree name");
    auto sorted = [](std::vector<kinship::Individual> v) {
      std::sort(v.begin(), v.end(), [](const auto& p, const auto& q) { return p.id < q.id; });
      return v;
    };
    auto p = sorted(a.pedigrees[i].individuals), q = sorted(b.pedigrees[i].individuals);
    if (p.size() != q.size()) return fail("pedigree size");
    for (size_t k = 0; k < p.size(); ++k) {
      if (p[k].id != q[k].id || p[k].sex != q[k].sex || p[k].father != q[k].father ||
          p[k].mother != q[k].mother) {
        return fail("pedigree " + a.pedigrees[i].name + " individual " + p[k].id);
      }
    }
  }
  if (a.theta != b.theta || a.database_name != b.database_name) return fail("theta or name");
  if (a.markers.size() != b.markers.size()) return fail("markers");
  for (size_t i = 0; i < a.markers.size(); ++i) {
    const auto &x = a.markers[i], &y = b.markers[i];
    if (x.name != y.name || x.alleles != y.alleles || x.frequencies != y.frequencies ||
        !(x.mutation == y.mutation) || x.database_size != y.database_size ||
        x.dropout != y.dropout || x.minor_allele_frequency != y.minor_allele_frequency) {
      return fail("marker " + x.name);
    }
  }
  if (a.dvi.has_value() != b.dvi.has_value()) return fail("dvi");
  return true;
}

TEST(Familias, GoldenFileRoundTrips) {
  auto fam = ParseFam(ReadAll(kGoldenPath), "golden.fam");
  ASSERT_TRUE(fam);
  auto text = FormatFam(*fam);
  ASSERT_TRUE(text) << text.error().ToString();
  auto again = ParseFam(*text, "again.fam");
  ASSERT_TRUE(again) << again.error().ToString() << "\n" << *text;
  std::string why;
  EXPECT_TRUE(SameFam(*fam, *again, &why)) << why;
  auto text2 = FormatFam(*again);
  ASSERT_TRUE(text2);
  EXPECT_EQ(*text, *text2);
}

// Every reference case written as a .fam file and read back gives the same LR (total and per
// marker, relative 1e-12). The direct matches (a person carrying two samples) are refused by the
// writer, with the reason: the .fam identity relation's layout is not documented.
TEST(Familias, EveryReferenceCaseRoundTripsThroughFam) {
  auto file = ReadCaseFile(kShared + "kinship-cases.json");
  ASSERT_TRUE(file) << file.error().ToString();
  std::map<std::string, kinship::FrequencyDatabase> dbs;
  int written = 0, refused = 0;
  for (const auto& entry : file->cases) {
    const auto& k = entry.kinship_case;
    if (!dbs.count(entry.frequencies_path)) {
      auto db = ReadFrequencyFile(entry.frequencies_path);
      ASSERT_TRUE(db);
      dbs.emplace(entry.frequencies_path, std::move(*db));
    }
    const auto& db = dbs.at(entry.frequencies_path);
    bool direct = false;
    for (const auto& p : k.h1) direct |= p.samples.size() > 1;
    auto fam = CaseToFam(k, db);
    if (direct) {
      ASSERT_FALSE(fam) << k.id;
      EXPECT_NE(fam.error().message.find("direct match"), std::string::npos)
          << fam.error().ToString();
      ++refused;
      continue;
    }
    ASSERT_TRUE(fam) << k.id << ": " << fam.error().ToString();
    auto text = FormatFam(*fam);
    ASSERT_TRUE(text) << k.id << ": " << text.error().ToString();
    auto back = ParseFam(*text, k.id + ".fam");
    ASSERT_TRUE(back) << k.id << ": " << back.error().ToString();
    auto back_db = FamDatabase(*back, k.id + ".fam");
    ASSERT_TRUE(back_db) << back_db.error().ToString();
    auto cases = FamToCases(*back, "", k.id + ".fam");
    ASSERT_TRUE(cases) << cases.error().ToString();
    ASSERT_EQ(cases->size(), 1u);
    auto want = kinship::ComputeLr(k, db);
    auto got = kinship::ComputeLr((*cases)[0], *back_db);
    ASSERT_TRUE(want && got) << k.id << ": " << (got ? "" : got.error().ToString());
    EXPECT_TRUE(Near(got->lr, want->lr, 1e-12)) << k.id << ": " << got->lr << " vs " << want->lr;
    ASSERT_EQ(got->per_marker.size(), want->per_marker.size()) << k.id;
    for (size_t m = 0; m < want->per_marker.size(); ++m) {
      EXPECT_EQ(got->per_marker[m].marker, want->per_marker[m].marker);
      EXPECT_TRUE(Near(got->per_marker[m].lr, want->per_marker[m].lr, 1e-12))
          << k.id << " " << want->per_marker[m].marker;
    }
    ++written;
  }
  EXPECT_EQ(written + refused, static_cast<int>(file->cases.size()));
  EXPECT_EQ(refused, 8);  // pair_DM under 4 models x 2 thetas
  EXPECT_GE(written, 98);
}

// Malformed files: each error names the file, the line and the field.
TEST(Familias, MalformedFilesNameLineAndField) {
  const std::string golden = ReadAll(kGoldenPath);
  auto lines = [&] {
    std::vector<std::string> out;
    std::istringstream in(golden);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
  }();
  ASSERT_EQ(lines.size(), 98u);
  auto with = [&](int line, const std::string& text) {  // 1-based line replaced
    auto copy = lines;
    copy[line - 1] = text;
    std::string out;
    for (const auto& l : copy) out += l + "\n";
    return out;
  };
  struct Bad {
    int line;
    std::string text, field, message;
  };
  const std::vector<Bad> bad = {
      {5, "three", "bad.fam:5: the number of persons", "expected a whole number"},
      {10, "#MAYBE#", "bad.fam:10: person AF: sex (#TRUE# male)", "#TRUE# or #FALSE#"},
      {12, "7", "bad.fam:12: person AF: allele index at D3S1358", "beyond the 4 alleles"},
      {14, "5", "bad.fam:14: person AF: marker index", "beyond the 2 loci"},
      {36, "\"Unknown relations\"", "bad.fam:36: \"Known relations\"", "expected"},
      {47, "9", "bad.fam:47: pedigree Paternity: child index", "from 0 to 2"},
      {46, "0 Direct", "bad.fam:46: pedigree Paternity: relation", "direct/identity"},
      {55, "#TRUE# (#Databases: 1 ;Theta/Kinship/Fst: 0.01 )", "bad.fam:55: database line",
       "precomputed probabilities"},
      {55, "#FALSE# (#Databases: 1 ;Theta/Kinship/Fst: 1.5 )", "bad.fam:55: Theta/Kinship/Fst",
       "[0, 1)"},
      {62, "5", "bad.fam:62: marker D3S1358: female model code", "from 0 to 4"},
      {63, "3", "bad.fam:63: marker D3S1358: male mutation model", "stationary stepwise"},
      {64, "5", "bad.fam:64: marker D3S1358: number of alleles", "says 5 but line 71 says 4"},
      {69, "#TRUE#", "bad.fam:69: marker D3S1358: silent allele", "silent alleles are refused"},
      {66, "0", "bad.fam:63: marker D3S1358: male mutation model", "range must be in (0, 1)"},
      {73, "abc", "bad.fam:73: marker D3S1358: frequency of allele 14", "expected a number"},
      {74, "\"1/4\"", "bad.fam:74: marker D3S1358: allele", ""},
  };
  for (const auto& b : bad) {
    auto r = ParseFam(with(b.line, b.text), "bad.fam");
    ASSERT_FALSE(r) << "line " << b.line << " '" << b.text << "' was accepted";
    EXPECT_EQ(r.error().field, b.field) << r.error().ToString();
    EXPECT_NE(r.error().message.find(b.message), std::string::npos) << r.error().ToString();
  }
  // A file cut short names the last line and what should follow.
  std::string cut;
  for (int i = 0; i < 60; ++i) cut += lines[i] + "\n";
  auto r = ParseFam(cut, "cut.fam");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field.rfind("cut.fam:60: ", 0), 0u) << r.error().ToString();
  EXPECT_NE(r.error().message.find("the file ends"), std::string::npos);
  // Frequencies that do not sum to 1 are refused by the database, naming the file and marker.
  auto sum = ParseFam(with(73, "0.2"), "sum.fam");
  ASSERT_TRUE(sum);
  auto db = FamDatabase(*sum, "sum.fam");
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().ToString().find("sum.fam"), std::string::npos);
  EXPECT_NE(db.error().ToString().find("D3S1358"), std::string::npos) << db.error().ToString();
}

// Any text gives a value or an error naming the file; never a crash or an exception. Inputs are
// the golden file or the fuzz corpus' DVI file with random lines replaced, removed, duplicated or
// turned into random bytes.
RC_GTEST_PROP(Familias, AnyInputGivesAValueOrAnError, ()) {
  static const std::string golden = ReadAll(kGoldenPath);
  static const std::string dvi =
      ReadAll(std::string(WHEREABOUTS_SOURCE_DIR) + "/fuzz/corpus/familias/dvi");
  std::vector<std::string> lines;
  {
    std::istringstream in(*rc::gen::element(0, 1) == 0 ? golden : dvi);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
  }
  const int edits = *rc::gen::inRange(1, 6);
  for (int e = 0; e < edits && !lines.empty(); ++e) {
    const size_t at = *rc::gen::inRange<size_t>(0, lines.size());
    switch (*rc::gen::inRange(0, 4)) {
      case 0:
        lines[at] = *rc::gen::element<std::string>(
            "0", "-1", "1", "2", "99999999", "#TRUE#", "#FALSE#", "\"\"", "[DVI]", "Name= x",
            "1e-006", "", "nSystems= 3", "Parent= V1", "[[[[[Person 9]]]]]",
            "[[Reference Families]]", "SystemName= TH01");
        break;
      case 1:
        lines.erase(lines.begin() + static_cast<long>(at));
        break;
      case 2:
        lines.insert(lines.begin() + static_cast<long>(at), lines[at]);
        break;
      default:
        lines[at] = *rc::gen::container<std::string>(rc::gen::character<char>());
        break;
    }
  }
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  try {
    auto fam = ParseFam(text, "fuzz.fam");
    if (!fam) {
      RC_ASSERT(fam.error().field.find("fuzz.fam") != std::string::npos);
      return;
    }
    // What was read can be used: a database or an error, cases or an error, written back.
    (void)FamDatabase(*fam, "fuzz.fam");
    (void)FamToCases(*fam, "", "fuzz.fam");
    (void)FamToIdentify(*fam, "fuzz.fam");
    if (auto out = FormatFam(*fam)) {
      auto again = ParseFam(*out, "again.fam");
      RC_ASSERT(again.has_value());
    }
  } catch (const std::exception& e) {
    RC_FAIL(std::string("exception: ") + e.what());
  }
}

// --- DVI --------------------------------------------------------------------------------

struct Dataset {
  kinship::FrequencyDatabase db;
  std::vector<kinship::Family> families;
  std::vector<kinship::Profile> references, remains_profiles;
  std::vector<kinship::RemainsSample> remains;
};

Dataset LoadDataset(const std::string& name) {
  const std::string dir = kShared + "dvi/" + name + "/";
  Dataset d;
  auto db = ReadFrequencyFile(dir + "frequencies.tsv");
  // The datasets' `person` column holds "M1", which the families reader refuses as a register id
  // (the whole family would be skipped): the column is left out here.
  std::string families_text;
  {
    std::istringstream in(ReadAll(dir + "families.csv"));
    for (std::string line; std::getline(in, line);)
      families_text += line.substr(0, line.rfind(',')) + "\n";
  }
  auto families = ParseFamilies(families_text, dir + "families.csv");
  auto references = ReadAlleleTable(dir + "references.tsv");
  auto remains = ReadRemains(dir + "remains.csv");
  auto profiles = ReadAlleleTable(dir + "remains-alleles.tsv");
  EXPECT_TRUE(db && families && references && remains && profiles) << name;
  if (!(db && families && references && remains && profiles)) return d;
  d.db = std::move(*db);
  d.families = std::move(families->families);
  d.references = std::move(*references);
  d.remains = std::move(*remains);
  d.remains_profiles = std::move(*profiles);
  return d;
}

// Each dataset written as a DVI .fam file and read back gives the same identification: every
// match's LR (relative 1e-12) and posterior, every decision, with the dataset's model.
void CheckDatasetThroughFam(const std::string& name, const kinship::MutationModel& mutation) {
  Dataset d = LoadDataset(name);
  ASSERT_FALSE(d.families.empty());
  kinship::IdentifyOptions opt;
  opt.remains_dropout = 0.0;
  opt.theta = 0.0;
  opt.lr_threshold = 1e4;
  opt.mutation = mutation;
  opt.threads = 1;
  kinship::IdentifyInput in{&d.db, d.families, d.references, d.remains, d.remains_profiles, {}};
  auto want = kinship::Identify(in, opt);
  ASSERT_TRUE(want) << want.error().ToString();

  auto fam = IdentifyToFam(d.db, d.families, d.references, d.remains, d.remains_profiles, mutation,
                           0.0, 0.0);
  ASSERT_TRUE(fam) << fam.error().ToString();
  auto text = FormatFam(*fam);
  ASSERT_TRUE(text) << text.error().ToString();
  auto back = ParseFam(*text, name + ".fam");
  ASSERT_TRUE(back) << back.error().ToString();
  ASSERT_TRUE(back->dvi);
  EXPECT_EQ(back->dvi->unidentified.size(), d.remains.size());
  auto input = FamToIdentify(*back, name + ".fam");
  ASSERT_TRUE(input) << input.error().ToString();
  // The file gives the model and theta back (one model at every marker: no per-marker entries).
  EXPECT_EQ(input->mutation.male, mutation.male);
  EXPECT_TRUE(input->mutation.per_marker.empty());
  ASSERT_TRUE(input->dropout);
  EXPECT_EQ(*input->dropout, 0.0);
  // The families: the same members, sexes, parents and roles (the missing persons' sex comes
  // back from the note IdentifyToFam writes; the .fam layout itself has no place for it).
  ASSERT_EQ(input->families.size(), d.families.size());
  for (size_t f = 0; f < d.families.size(); ++f) {
    const auto& a = d.families[f];
    const auto& b = input->families[f];
    EXPECT_EQ(a.id, b.id);
    ASSERT_EQ(a.members.size(), b.members.size()) << name;
    for (const auto& m : a.members) {
      auto it = std::find_if(b.members.begin(), b.members.end(),
                             [&](const auto& x) { return x.id == m.id; });
      ASSERT_NE(it, b.members.end()) << m.id;
      EXPECT_EQ(it->father, m.father) << m.id;
      EXPECT_EQ(it->mother, m.mother) << m.id;
      EXPECT_EQ(it->role, m.role) << m.id;
      EXPECT_EQ(it->sex, m.sex) << m.id;
    }
  }
  kinship::IdentifyOptions opt2 = opt;
  opt2.mutation = input->mutation;
  kinship::IdentifyInput in2{&input->database, input->families, input->references, input->remains,
                             input->remains_profiles, {}};
  auto got = kinship::Identify(in2, opt2);
  ASSERT_TRUE(got) << got.error().ToString();
  ASSERT_EQ(got->matches.size(), want->matches.size());
  for (size_t i = 0; i < want->matches.size(); ++i) {
    const auto &w = want->matches[i], &g = got->matches[i];
    EXPECT_EQ(g.individual, w.individual);
    EXPECT_EQ(g.family, w.family);
    EXPECT_EQ(g.missing, w.missing);
    EXPECT_TRUE(Near(g.lr, w.lr, 1e-12)) << g.lr << " vs " << w.lr;
    EXPECT_TRUE(Near(g.posterior, w.posterior, 1e-12));
  }
  ASSERT_EQ(got->identifications.size(), want->identifications.size());
  for (size_t i = 0; i < want->identifications.size(); ++i) {
    EXPECT_EQ(got->identifications[i].missing, want->identifications[i].missing);
    EXPECT_EQ(got->identifications[i].decision, want->identifications[i].decision);
    EXPECT_TRUE(Near(got->identifications[i].lr, want->identifications[i].lr, 1e-12));
  }
  for (size_t i = 0; i < want->targets.size(); ++i) {
    EXPECT_EQ(got->targets[i].missing, want->targets[i].missing);
    EXPECT_EQ(got->targets[i].sex, want->targets[i].sex);
  }
  EXPECT_EQ(want->families_used, static_cast<int>(d.families.size()));
  // The pairwise LRs through the .fam file are dvir's (expected.csv, 8 significant digits): each
  // victim against the missing person of dvir's conclusion (the first of a symmetric set).
  std::map<std::string, std::string> individual_of;
  for (const auto& r : got->individuals) individual_of[r.sample] = r.individual;
  std::istringstream expected(ReadAll(kShared + "dvi/" + name + "/expected.csv"));
  std::string row;
  std::getline(expected, row);
  int compared = 0;
  while (std::getline(expected, row)) {
    std::vector<std::string> cells;
    std::stringstream ss(row);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    ASSERT_GE(cells.size(), 6u);
    const std::string missing = cells[3].substr(0, cells[3].find('/'));
    const double dvir_lr = std::stod(cells[5]);
    auto it = std::find_if(got->matches.begin(), got->matches.end(), [&](const auto& m) {
      return m.individual == individual_of[cells[0]] && m.missing == missing;
    });
    ASSERT_NE(it, got->matches.end()) << cells[0] << " " << missing;
    EXPECT_TRUE(Near(it->lr, dvir_lr, 1e-6))
        << cells[0] << ": " << it->lr << " vs dvir " << dvir_lr;
    ++compared;
  }
  EXPECT_GE(compared, 2);
  // Without the note, the missing persons who are nobody's parent have no sex.
  auto plain = *back;
  plain.dvi->notes.clear();
  auto unsexed = FamToIdentify(plain, name + ".fam");
  ASSERT_TRUE(unsexed);
  int unknown = 0;
  for (const auto& m : unsexed->families[0].members) unknown += m.sex == Sex::kUnknown ? 1 : 0;
  EXPECT_GT(unknown, 0);
}

TEST(FamiliasDvi, KetpChap481ThroughFamGivesTheSameIdentification) {
  CheckDatasetThroughFam("KETPchap481", kinship::MutationModel::Same({}));
}

TEST(FamiliasDvi, FireThroughFamGivesTheSameIdentification) {
  CheckDatasetThroughFam("fire",
                         kinship::MutationModel::Same({MutationKind::kProportional, 0.001}));
}

// A hand-written DVI section (the layout of Familias' DVI module): two unidentified persons, a
// family whose missing person is named only in the relations ("Missing person", Familias' own),
// the reference pedigree written twice, a drop-out setting.
TEST(FamiliasDvi, HandWrittenSectionReads) {
  std::string text = ReadAll(kGoldenPath);
  text +=
      "\n[DVI]\n[[Unidentified persons]]\nnPersons= 2\n[[[Person 1 ]]]\nName= V1\nGender= Male\n"
      "[[[[DNA data]]]]\nnSystems= 2\nSystemName= D3S1358\nAllele1= 15\nAllele2= 17\n"
      "SystemName= TH01\nAllele1= 9.3\nAllele2= 9.3\n"
      "[[[Person 2 ]]]\nName= V2\nGender= Female\n[[[[DNA data]]]]\nnSystems= 0\n"
      "[[Notes]]\nnFamilies= 1\nsome free text = with an equals sign\n"
      "[[Reference Families]]\nnFamilies= 1\n[[[Family 1 ]]]\nName= F1\n[[[[Persons]]]]\n"
      "nPersons= 2\n[[[[[Person 1]]]]]\nName= Father\nGender= Male\n[[[[[[DNA data]]]]]]\n"
      "nSystems= 1\nSystemName= D3S1358\nAllele1= 15\nAllele2= 16\n"
      "[[[[[Person 2]]]]]\nName= Mother\nGender= Female\n[[[[[[DNA data]]]]]]\nnSystems= 0\n"
      "[[[[Pedigrees]]]]\nnPedigrees= 2\n[[[[[Pedigree 1]]]]]\nName= Reference pedigree\n"
      "nRelations= 2\nParent= Father\nChild= Missing person\nParent= Mother\nChild= Missing "
      "person\n"
      "[[[[[Pedigree 2]]]]]\nName= F1\nnRelations= 2\nParent= Mother\nChild= Missing person\n"
      "Parent= Father\nChild= Missing person\n"
      "[Prior]\nUseList= Yes\n[Advanced]\n[[Direct/Identity]]\nDropin= 0\nDropout= 0.05\nError= "
      "0\n";
  auto fam = ParseFam(text, "dvi.fam");
  ASSERT_TRUE(fam) << fam.error().ToString();
  ASSERT_TRUE(fam->dvi);
  auto in = FamToIdentify(*fam, "dvi.fam");
  ASSERT_TRUE(in) << in.error().ToString();
  ASSERT_EQ(in->remains.size(), 2u);
  EXPECT_EQ(in->remains[0].bag, "V1");
  EXPECT_EQ(in->remains_profiles[0].markers.at("TH01").ToString(), "9.3/9.3");
  EXPECT_EQ(in->remains_profiles[0].amelogenin_sex, Sex::kMale);
  EXPECT_TRUE(in->remains_profiles[1].markers.empty());
  ASSERT_EQ(in->families.size(), 1u);
  const auto& f = in->families[0];
  ASSERT_EQ(f.members.size(), 3u);
  EXPECT_EQ(f.members[0].role, kinship::FamilyRole::kReference);
  EXPECT_EQ(f.members[1].role, kinship::FamilyRole::kUntyped);
  EXPECT_EQ(f.members[2].id, "Missing person");
  EXPECT_EQ(f.members[2].role, kinship::FamilyRole::kMissing);
  EXPECT_EQ(f.members[2].father, "Father");
  EXPECT_EQ(f.members[2].mother, "Mother");
  ASSERT_TRUE(in->dropout);
  EXPECT_DOUBLE_EQ(*in->dropout, 0.05);
  // Written and read again: the same section.
  auto out = FormatFam(*fam);
  ASSERT_TRUE(out);
  auto again = ParseFam(*out, "again.fam");
  ASSERT_TRUE(again) << again.error().ToString();
  auto in2 = FamToIdentify(*again, "again.fam");
  ASSERT_TRUE(in2);
  EXPECT_EQ(in2->families[0].members.size(), 3u);
  EXPECT_EQ(in2->remains_profiles[0].markers.at("D3S1358").ToString(), "15/17");

  // Errors name the line: a count that does not match, pedigrees that differ, a drop-in.
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    return t;
  };
  auto count = ParseFam(replace("nSystems= 2", "nSystems= 1"), "dvi.fam");
  ASSERT_FALSE(count);
  EXPECT_NE(count.error().field.find("dvi.fam:"), std::string::npos);
  EXPECT_NE(count.error().field.find("nSystems"), std::string::npos) << count.error().ToString();
  auto differ = ParseFam(
      replace("Name= F1\nnRelations= 2\nParent= Mother", "Name= F1\nnRelations= 2\nParent= V9"),
      "dvi.fam");
  ASSERT_TRUE(differ);
  auto differ_in = FamToIdentify(*differ, "dvi.fam");
  ASSERT_FALSE(differ_in);
  EXPECT_NE(differ_in.error().message.find("differ"), std::string::npos);
  EXPECT_NE(differ_in.error().field.find("family F1"), std::string::npos);
  auto dropin = ParseFam(replace("Dropin= 0", "Dropin= 0.01"), "dvi.fam");
  ASSERT_TRUE(dropin);
  auto dropin_in = FamToIdentify(*dropin, "dvi.fam");
  ASSERT_FALSE(dropin_in);
  EXPECT_NE(dropin_in.error().ToString().find("Dropin"), std::string::npos);
  auto orphan =
      ParseFam(replace("Child= Missing person\nParent= Mother", "Parent= Mother"), "dvi.fam");
  ASSERT_FALSE(orphan);
  EXPECT_NE(orphan.error().message.find("no Child"), std::string::npos)
      << orphan.error().ToString();
}

// Per-marker models from a table (identify's --mutation-models).
TEST(MutationModels, TableGivesPerMarkerPerSexModels) {
  const auto fallback = kinship::MutationModel::Same({MutationKind::kEqual, 0.005});
  auto m = ParseMutationModels(
      "marker\tmodel\trate\trate2\trange\tsex\nD3S1358\tstepwise\t0.002\t1e-6\t0.1\tmale\n"
      "vWA\tproportional\t0.001\t\t\t\nTH01\tnone\t\t\t\tfemale\n",
      "m.tsv", fallback);
  ASSERT_TRUE(m) << m.error().ToString();
  ASSERT_EQ(m->size(), 3u);
  EXPECT_EQ(m->at("D3S1358").male, (MutationSpec{MutationKind::kStepwise, 0.002, 1e-6, 0.1}));
  EXPECT_EQ(m->at("D3S1358").female, fallback.female);
  EXPECT_EQ(m->at("VWA").male, (MutationSpec{MutationKind::kProportional, 0.001, 0, 0}));
  EXPECT_EQ(m->at("VWA").female, m->at("VWA").male);
  EXPECT_EQ(m->at("TH01").female, MutationSpec{});
  EXPECT_EQ(m->at("TH01").male, fallback.male);
  auto bad = ParseMutationModels("marker\tmodel\trate\nTH01\tstepwise\t0.002\n", "m.tsv", fallback);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field.rfind("m.tsv:2", 0), 0u) << bad.error().ToString();
  auto twice =
      ParseMutationModels("marker,model,rate\nTH01,equal,0.1\nth01,equal,0.2\n", "m.csv", fallback);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("twice"), std::string::npos);
}

}  // namespace
}  // namespace whereabouts::io

namespace whereabouts::io {
namespace {

// Per-marker models in our case format: errors name the marker's entry.
TEST(MutationModels, CaseJsonMarkerMutationErrorsNameTheEntry) {
  const std::string base = R"({"id": "c", "frequencies": "f.tsv", "markers": ["TH01"],
    "h1": [{"id": "A", "sex": "male"}], "h2": [{"id": "A", "sex": "male"}],
    "genotypes": {"A": {"TH01": "6/7"}}, "marker_mutation": )";
  auto bad = ParseCaseFile(base + R"({"TH01": {"model": "bogus"}}})", "c.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().field.find("marker_mutation.TH01"), std::string::npos)
      << bad.error().ToString();
  auto sexless = ParseCaseFile(base + R"({"TH01": {"male": {"model": "none"}}}})", "c.json");
  ASSERT_FALSE(sexless);
  EXPECT_NE(sexless.error().field.find("marker_mutation.TH01.female"), std::string::npos)
      << sexless.error().ToString();
  auto ok = ParseCaseFile(base + R"({"th01": {"model": "equal", "rate": 0.01}}})", "c.json");
  ASSERT_TRUE(ok) << ok.error().ToString();
  const auto& k = ok->cases[0].kinship_case;
  EXPECT_EQ(k.mutation.ForMarker("TH01").male, (MutationSpec{MutationKind::kEqual, 0.01, 0, 0}));
  EXPECT_EQ(k.mutation.ForMarker("VWA").male, MutationSpec{});
}

}  // namespace
}  // namespace whereabouts::io
