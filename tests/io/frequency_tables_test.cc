// Frequency databases as published (io/frequency_tsv.h): the wide layout of STRidER/ENFSI tables,
// Familias' `Rest allele` lump, the database size N and the minimum frequency 5/2N. All tables
// are synthetic, made by hand.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>

#include "io/frequency_tsv.h"
#include "kinship/lr.h"

namespace whereabouts::io {
namespace {

using kinship::FrequencyDatabase;
using kinship::GenotypeCall;
using kinship::HypothesisPerson;
using kinship::KinshipCase;
using kinship::MarkerFrequencies;
using kinship::Sex;

// marker -> allele -> frequency, and marker -> N: what two databases must agree on.
struct Contents {
  std::map<std::string, std::map<std::string, double>> freq;
  std::map<std::string, int> size;
};
Contents ContentsOf(const FrequencyDatabase& db) {
  Contents c;
  for (const auto& name : db.MarkerNames()) {
    const MarkerFrequencies& m = *db.Find(name);
    for (int i = 0; i < m.size(); ++i) c.freq[name][m.alleles[i]] = m.frequencies[i];
    c.size[name] = m.database_size;
  }
  return c;
}
void ExpectSame(const FrequencyDatabase& a, const FrequencyDatabase& b, double tol) {
  const Contents ca = ContentsOf(a), cb = ContentsOf(b);
  ASSERT_EQ(a.MarkerNames(), b.MarkerNames());
  EXPECT_EQ(ca.size, cb.size);
  for (const auto& [marker, alleles] : ca.freq) {
    ASSERT_EQ(alleles.size(), cb.freq.at(marker).size()) << marker;
    for (const auto& [allele, f] : alleles) {
      ASSERT_TRUE(cb.freq.at(marker).count(allele)) << marker << " " << allele;
      EXPECT_NEAR(f, cb.freq.at(marker).at(allele), tol) << marker << " " << allele;
    }
  }
}

// A wide table as STRidER publishes it (comma-separated, alleles as rows, empty cells where an
// allele is absent, a final row N), and the same database in our long TSV.
const char* kWide =
    "Allele,D3S1358,TH01,vWA\n"
    "6,,0.25,\n"
    "9.3,,0.35,\n"
    "14,0.1,,0.2\n"
    "15,0.3,,0.3\n"
    "16,0.6,,0.5\n"
    "Rest allele,,0.4,\n"
    "N,500,480,\n";
const char* kLong =
    "marker\tallele\tfrequency\tn\n"
    "D3S1358\t14\t0.1\t500\n"
    "D3S1358\t15\t0.3\t500\n"
    "D3S1358\t16\t0.6\t500\n"
    "TH01\t6\t0.25\t480\n"
    "TH01\t9.3\t0.35\t480\n"
    "TH01\tr\t0.4\t480\n"
    "VWA\t14\t0.2\t\n"
    "VWA\t15\t0.3\t\n"
    "VWA\t16\t0.5\t\n";

TEST(FrequencyTables, WideReadsAsTheEquivalentTsv) {
  auto wide = ParseFrequencyTsv(kWide, "wide.csv");
  ASSERT_TRUE(wide) << wide.error().ToString();
  auto tsv = ParseFrequencyTsv(kLong, "long.tsv");
  ASSERT_TRUE(tsv) << tsv.error().ToString();
  ExpectSame(*wide, *tsv, 1e-15);
  const MarkerFrequencies* th01 = wide->Find("TH01");
  ASSERT_NE(th01, nullptr);
  EXPECT_TRUE(th01->HasRestAllele());
  EXPECT_EQ(th01->database_size, 480);
  EXPECT_EQ(wide->Find("VWA")->database_size, 0);  // N not given: kept unknown, not guessed
  ASSERT_TRUE(kinship::MinimumFrequencyFromSize(*th01));
  EXPECT_DOUBLE_EQ(*kinship::MinimumFrequencyFromSize(*th01), 5.0 / 960.0);
  EXPECT_FALSE(kinship::MinimumFrequencyFromSize(*wide->Find("VWA")));
}

TEST(FrequencyTables, WideAsTabSeparatedAndWithRoundedFrequencies) {
  // Four decimals, summing to 0.9999: within the rounding of what is written, rescaled to 1.
  auto db = ParseFrequencyTsv("Allele\tTH01\n6\t0.3333\n7\t0.3333\n8\t0.3333\n", "w.tsv");
  ASSERT_TRUE(db) << db.error().ToString();
  for (double f : db->Find("TH01")->frequencies) EXPECT_NEAR(f, 1.0 / 3.0, 1e-15);
  // The same sum with many decimals written is not rounding: refused.
  auto off =
      ParseFrequencyTsv("Allele\tTH01\n6\t0.33330000\n7\t0.33330000\n8\t0.33330000\n", "w.tsv");
  ASSERT_FALSE(off);
  EXPECT_EQ(off.error().field, "w.tsv:1: TH01");
}

TEST(FrequencyTables, RoundTripThroughOurTsv) {
  auto wide = ParseFrequencyTsv(kWide, "wide.csv");
  ASSERT_TRUE(wide);
  const std::string text = WriteFrequencyTsv(*wide);
  EXPECT_NE(text.find("TH01\tRest allele\t"), std::string::npos);
  auto back = ParseFrequencyTsv(text, "back.tsv");
  ASSERT_TRUE(back) << back.error().ToString();
  ExpectSame(*wide, *back, 0.0);  // %.17g: the same doubles
  EXPECT_EQ(WriteFrequencyTsv(*back), text);
}

TEST(FrequencyTables, MalformedWideTablesNameFileLineAndColumn) {
  struct Bad {
    const char* text;
    const char* field;
    const char* message;
  };
  const Bad bad[] = {
      {"Allele,TH01,VWA\n6,0.5,1\n7,0.6,\n", "bad.csv:1: TH01", "sum to"},
      {"Allele,TH01\n6,-0.5\n7,1.5\n", "bad.csv:2: TH01", "negative"},
      {"Allele,TH01\n6,abc\n7,1\n", "bad.csv:2: TH01", "not a number"},
      {"Allele,TH01\n6,0.5\n06,0.5\n", "bad.csv:3: Allele", "listed twice"},
      {"Allele,TH01\n6,0.5\n7 x,0.5\n", "bad.csv:3: Allele", "not a valid designation"},
      {"Allele,TH01\n6,0.5\n7,0.5\nN,many\n", "bad.csv:4: TH01", "database size N"},
      {"Allele,TH01\n6,0.5\nN,10\n7,0.5\n", "bad.csv:4: Allele", "after the row N"},
      {"Allele,TH01,VWA\n6,1,\n", "bad.csv:1: VWA", "no frequencies"},
      {"Marker,TH01\n6,1\n", "bad.csv:1", "header must name"},
  };
  for (const auto& b : bad) {
    auto r = ParseFrequencyTsv(b.text, "bad.csv");
    ASSERT_FALSE(r) << b.text;
    EXPECT_EQ(r.error().field, b.field) << b.text << " -> " << r.error().ToString();
    EXPECT_NE(r.error().message.find(b.message), std::string::npos) << r.error().ToString();
  }
}

TEST(FrequencyTables, RestAlleleAcceptedInOurTsv) {
  // Before: exit 2 "allele 'Rest allele' is not a valid designation".
  auto db = ParseFrequencyTsv("marker\tallele\tfrequency\nTH01\t6\t0.8\nTH01\tRest allele\t0.2\n",
                              "f.tsv");
  ASSERT_TRUE(db) << db.error().ToString();
  EXPECT_EQ(db->Find("TH01")->alleles[1], kinship::kRestAllele);
  auto twice = ParseFrequencyTsv(
      "marker\tallele\tfrequency\nTH01\trest\t0.8\nTH01\tRest allele\t0.2\n", "f.tsv");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().field, "f.tsv:3: allele");
  // Our layout names the line of the marker's last allele.
  auto sum = ParseFrequencyTsv("marker\tallele\tfrequency\nTH01\t6\t0.8\nVWA\t6\t1\nTH01\t7\t0.1\n",
                               "f.tsv");
  ASSERT_FALSE(sum);
  EXPECT_EQ(sum.error().field, "f.tsv:4: frequency");
  EXPECT_NE(sum.error().message.find("marker TH01 sum to 0.9"), std::string::npos);
}

// Paternity duo: h1 F is C's father, h2 they are unrelated.
KinshipCase Duo(const std::string& marker, GenotypeCall f, GenotypeCall c,
                kinship::MutationModel mutation = {}) {
  KinshipCase k;
  k.id = "duo";
  k.markers = {marker};
  k.mutation = mutation;
  k.h1 = {HypothesisPerson{{"F", Sex::kMale, "", ""}, {}},
          HypothesisPerson{{"M", Sex::kFemale, "", ""}, {}},
          HypothesisPerson{{"C", Sex::kFemale, "F", "M"}, {}}};
  k.h2 = {HypothesisPerson{{"F", Sex::kMale, "", ""}, {}},
          HypothesisPerson{{"C", Sex::kFemale, "", ""}, {}}};
  k.genotypes["F"][marker] = std::move(f);
  k.genotypes["C"][marker] = std::move(c);
  return k;
}

TEST(FrequencyTables, RestAlleleGivesTheLrOfTheLumpWrittenAsTheUnlistedAllele) {
  // TH01: 6 0.25, 9.3 0.35, rest 0.4. The father is 10/10 and the child 10/6: 10 is not listed,
  // so it takes the rest allele's 0.4. Without mutation LR = P(C | F) / P(C) = 0.25 / (2·0.4·0.25)
  // = 1/(2·0.4) = 1.25. The explicit table writes 10 at 0.4; a minimum frequency (0.001 here)
  // would instead give about 500, and refusing the allele would give an error: the test tells
  // these apart.
  auto rest = ParseFrequencyTsv(kWide, "wide.csv");
  auto explicit_db = ParseFrequencyTsv(
      "marker\tallele\tfrequency\nTH01\t6\t0.25\nTH01\t9.3\t0.35\nTH01\t10\t0.4\n", "x.tsv");
  ASSERT_TRUE(rest && explicit_db);
  const kinship::MutationModel models[] = {
      {}, kinship::MutationModel::Same({kinship::MutationKind::kProportional, 0.005})};
  for (const auto& mutation : models) {
    KinshipCase k = Duo("TH01", {"10", "10"}, {"10", "6"}, mutation);
    k.minimum_frequency = 0.001;  // not used: the rest allele takes precedence
    auto with_rest = kinship::ComputeLr(k, *rest);
    ASSERT_TRUE(with_rest) << with_rest.error().ToString();
    auto with_explicit = kinship::ComputeLr(k, *explicit_db);
    ASSERT_TRUE(with_explicit) << with_explicit.error().ToString();
    EXPECT_NEAR(with_rest->lr, with_explicit->lr, 1e-12 * with_explicit->lr);
    ASSERT_EQ(with_rest->per_marker.size(), 1u);
    EXPECT_EQ(with_rest->per_marker[0].rest_alleles, std::vector<std::string>{"10"});
    EXPECT_TRUE(with_rest->per_marker[0].added_alleles.empty());
    if (mutation.male.kind == kinship::MutationKind::kNone) {
      EXPECT_NEAR(with_rest->lr, 1.25, 1e-12);
    }
  }
}

TEST(FrequencyTables, TwoUnlistedAllelesShareTheRestAllele) {
  // The father 10/11 and the child 10/6; 10 and 11 are unlisted and share 0.4 as 0.2 each:
  // LR = (½·0.25) / (2·0.2·0.25) = 1.25, as the explicit table with 10 and 11 at 0.2 each.
  auto rest = ParseFrequencyTsv(kWide, "wide.csv");
  auto explicit_db = ParseFrequencyTsv(
      "marker\tallele\tfrequency\nTH01\t6\t0.25\nTH01\t9.3\t0.35\nTH01\t10\t0.2\nTH01\t11\t0.2\n",
      "x.tsv");
  ASSERT_TRUE(rest && explicit_db);
  KinshipCase k = Duo("TH01", {"10", "11"}, {"10", "6"});
  auto a = kinship::ComputeLr(k, *rest);
  auto b = kinship::ComputeLr(k, *explicit_db);
  ASSERT_TRUE(a && b);
  EXPECT_NEAR(a->lr, b->lr, 1e-12);
  EXPECT_NEAR(a->lr, 1.25, 1e-12);
}

TEST(FrequencyTables, MinimumFrequencyFromTheDatabaseSize) {
  // D3S1358 has N = 500, so 5/2N = 0.005: the unlisted 17 is added at 0.005 and the marker
  // rescaled by 1/1.005. vWA has no N: the option refuses to guess.
  auto db = ParseFrequencyTsv(kWide, "wide.csv");
  ASSERT_TRUE(db);
  KinshipCase k = Duo("D3S1358", {"17", "17"}, {"17", "14"});
  k.minimum_frequency_from_size = true;
  auto r = kinship::ComputeLr(k, *db);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_NEAR(r->lr, 1.0 / (2 * 0.005 / 1.005), 1e-9);
  EXPECT_EQ(r->per_marker[0].added_alleles, std::vector<std::string>{"17"});
  KinshipCase v = Duo("VWA", {"17", "17"}, {"17", "14"});
  v.minimum_frequency_from_size = true;
  v.minimum_frequency = 0.01;
  auto refused = kinship::ComputeLr(v, *db);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("5/2N"), std::string::npos);
}

TEST(FrequencyTables, SharedReferenceTablesRead) {
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(
           std::string(WHEREABOUTS_SHARED_DIR) + "/reference")) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name.find("requencies") == std::string::npos) continue;
    auto db = ReadFrequencyFile(e.path().string());
    EXPECT_TRUE(db) << db.error().ToString();
    if (db) {
      auto back = ParseFrequencyTsv(WriteFrequencyTsv(*db), "back.tsv");
      ASSERT_TRUE(back);
      ExpectSame(*db, *back, 0.0);
    }
    ++files;
  }
  EXPECT_GE(files, 4);
}

// Any table made of the pieces of published tables reads to a valid database or gives an error
// naming the file; never a crash, never a marker that does not sum to 1.
RC_GTEST_PROP(FrequencyTables, AnyWideTableGivesADatabaseOrAnError, ()) {
  const auto cell = rc::gen::element<std::string>("", "0.5", "0.25", "1", "0", "-0.1", "x", "1e-3",
                                                  "0.3333", "-", "2");
  const auto allele = rc::gen::element<std::string>("6", "06", "9.3", "Rest allele", "r", "N", "",
                                                    "OL", "7 x", "10.0");
  const int columns = *rc::gen::inRange(1, 4);
  const int rows = *rc::gen::inRange(0, 6);
  std::string text = *rc::gen::element<std::string>("Allele", "alleles", "Marker");
  for (int c = 0; c < columns; ++c) text += ",M" + std::to_string(c);
  text += "\n";
  for (int r = 0; r < rows; ++r) {
    text += *allele;
    for (int c = 0; c < columns; ++c) text += "," + *cell;
    text += "\n";
  }
  auto db = ParseFrequencyTsv(text, "rc.csv");
  if (!db) {
    RC_ASSERT(db.error().field.rfind("rc.csv", 0) == 0);
    return;
  }
  for (const auto& name : db->MarkerNames()) {
    double sum = 0;
    for (double f : db->Find(name)->frequencies) sum += f;
    RC_ASSERT(std::fabs(sum - 1.0) <= kinship::kFrequencySumTolerance);
  }
}

}  // namespace
}  // namespace whereabouts::io
