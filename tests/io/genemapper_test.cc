// GeneMapper ID-X "Genotypes Table" exports read by io/allele_table.h (docs/formats.md): six
// allele columns, OL, a `-NB` suffix, Size/Height/Data Point columns, quality flags, a sample
// comment, a sample typed in two runs that agree (consensus) and one whose runs disagree
// (refused). The export is hand-made (tests/io/data/genemapper/genotypes_table.txt, synthetic).
#include <gtest/gtest.h>

#include <algorithm>

#include "io/allele_table.h"

namespace whereabouts::io {
namespace {

const std::string kExport =
    std::string(WHEREABOUTS_SOURCE_DIR) + "/tests/io/data/genemapper/genotypes_table.txt";

// The warnings whose message holds every one of `parts`.
std::vector<AlleleTableWarning> Find(const std::vector<AlleleTableWarning>& warnings,
                                     const std::vector<std::string>& parts) {
  std::vector<AlleleTableWarning> out;
  for (const auto& w : warnings) {
    if (std::all_of(parts.begin(), parts.end(),
                    [&](const std::string& p) { return w.message.find(p) != std::string::npos; })) {
      out.push_back(w);
    }
  }
  return out;
}

TEST(GeneMapperExport, ReadsAsDescribed) {
  auto read = ReadAlleleTableWithWarnings(kExport);
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_TRUE(read->genemapper);
  ASSERT_EQ(read->profiles.size(), 2u);

  // REF-A: two runs that agree, merged; FGA (three alleles) and D8S1179 (12-NB) not used.
  const kinship::Profile& a = read->profiles[0];
  EXPECT_EQ(a.sample, "REF-A");
  EXPECT_EQ(a.markers.at("D3S1358").ToString(), "15/16");
  EXPECT_EQ(a.markers.at("VWA").ToString(), "17/17");
  EXPECT_EQ(a.markers.at("TH01").ToString(), "6/9.3");
  EXPECT_EQ(a.markers.at("D18S51").ToString(), "14/15");  // typed in run2 only
  EXPECT_EQ(a.markers.at("D21S11").ToString(), "OL/30");  // OL read as OL
  EXPECT_EQ(a.markers.count("FGA"), 0u);
  EXPECT_EQ(a.markers.count("D8S1179"), 0u);
  EXPECT_EQ(a.markers.size(), 5u);
  EXPECT_EQ(a.amelogenin_sex, kinship::Sex::kMale);

  // REM-C: six alleles at D3S1358, a possible mixture: only TH01 is used.
  const kinship::Profile& c = read->profiles[1];
  EXPECT_EQ(c.sample, "REM-C");
  ASSERT_EQ(c.markers.size(), 1u);
  EXPECT_EQ(c.markers.at("TH01").ToString(), "7/8");

  // REM-B: its runs disagree at D3S1358: refused with the reason, naming both calls and files.
  ASSERT_EQ(read->skipped.size(), 1u);
  const Error& b = read->skipped[0];
  EXPECT_EQ(b.field, kExport + ":17: Marker");
  for (const char* part :
       {"REM-B", "disagree", "D3S1358", "14/15 in run1.fsa", "14/16 in run2.fsa"}) {
    EXPECT_NE(b.message.find(part), std::string::npos) << part << " in " << b.message;
  }

  const auto& w = read->warnings;
  auto fga = Find(w, {"REF-A", "FGA", "3 alleles (21, 22, 24)", "possible mixture", "not used"});
  ASSERT_EQ(fga.size(), 1u);
  EXPECT_EQ(fga[0].where, kExport + ":5: Allele 1");
  auto mix6 = Find(w, {"REM-C", "D3S1358", "6 alleles", "possible mixture"});
  ASSERT_EQ(mix6.size(), 1u);
  EXPECT_EQ(mix6[0].where, kExport + ":10: Allele 1");
  auto nb = Find(w, {"REF-A", "D8S1179", "'12-NB'", "suffix '-NB'", "not used"});
  ASSERT_EQ(nb.size(), 1u);
  EXPECT_EQ(nb[0].where, kExport + ":6: Allele 1");
  // Quality flags raised, one warning per row; Pass, 0 and a CGQ score raise nothing.
  auto os = Find(w, {"REF-A", "D3S1358", "quality flags", "OS=1"});
  ASSERT_EQ(os.size(), 1u);
  EXPECT_EQ(os[0].where, kExport + ":2: AN");
  EXPECT_EQ(os[0].message.find("CGQ"), std::string::npos) << os[0].message;
  EXPECT_EQ(Find(w, {"REF-A", "TH01", "PHR=Check"}).size(), 1u);
  EXPECT_EQ(Find(w, {"REM-C", "TH01", "CGQ=Low Quality"}).size(), 1u);
  EXPECT_EQ(Find(w, {"quality flags"}).size(), 3u);
  // The comment is reported once, without its text.
  auto comment = Find(w, {"REM-C", "Sample Comment"});
  ASSERT_EQ(comment.size(), 1u);
  EXPECT_EQ(comment[0].message.find("re-extract"), std::string::npos);
  EXPECT_EQ(comment[0].where, kExport + ":10: Sample Comment");
  // The consensus is stated.
  auto consensus = Find(w, {"REF-A", "2 runs (run1.fsa, run2.fsa)", "consensus"});
  ASSERT_EQ(consensus.size(), 1u);
  EXPECT_EQ(consensus[0].where, kExport + ":2: Sample File");
  EXPECT_EQ(w.size(), 8u);
}

TEST(GeneMapperExport, StrictReaderRefusesRunsThatDisagree) {
  auto strict = ReadAlleleTable(kExport);
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().field, kExport + ":17: Marker");
  EXPECT_NE(strict.error().message.find("disagree"), std::string::npos);
  auto skipping = ReadAlleleTableSkippingBadSamples(kExport);
  ASSERT_TRUE(skipping) << skipping.error().ToString();
  ASSERT_EQ(skipping->skipped.size(), 1u);
  EXPECT_NE(skipping->skipped[0].message.find("REM-B"), std::string::npos);
  EXPECT_EQ(skipping->profiles.size(), 2u);
}

TEST(GeneMapperExport, RulesApplyOnlyToExports) {
  // A plain table (FORMATS.md) still refuses a third allele and a suffix, as before.
  const std::string plain = "Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\n";
  auto three = ParseAlleleTableWithWarnings(plain + "S\tTH01\t6\t7\t8\n", "p.tsv");
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().field, "p.tsv:2: Allele 3");
  auto suffix = ParseAlleleTableWithWarnings(plain + "S\tTH01\t6-NB\t7\t\n", "p.tsv");
  ASSERT_FALSE(suffix);
  EXPECT_EQ(suffix.error().field, "p.tsv:2: Allele 1");
  auto ok = ParseAlleleTableWithWarnings(plain + "S\tTH01\t6\t7\t\n", "p.tsv");
  ASSERT_TRUE(ok);
  EXPECT_FALSE(ok->genemapper);
  EXPECT_TRUE(ok->warnings.empty());
  // An export without Sample File: a sample's marker given twice is still an error.
  const std::string gm = "Sample Name\tMarker\tAllele 1\tHeight 1\n";
  auto twice = ParseAlleleTableWithWarnings(gm + "S\tTH01\t6\t100\nS\tTH01\t7\t90\n", "g.tsv");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().field, "g.tsv:3: Marker");
  // Within one Sample File too, naming the run.
  const std::string gf = "Sample File\tSample Name\tMarker\tAllele 1\n";
  auto same_run =
      ParseAlleleTableWithWarnings(gf + "a.fsa\tS\tTH01\t6\na.fsa\tS\tTH01\t6\n", "g.tsv");
  ASSERT_FALSE(same_run);
  EXPECT_NE(same_run.error().message.find("(a.fsa)"), std::string::npos);
  // A designation that is not one, even with GeneMapper's rules: refused, naming line and cell.
  auto bad = ParseAlleleTableWithWarnings(gm + "S\tTH01\t6$\t100\n", "g.tsv");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "g.tsv:2: Allele 1");
  // Two OL peaks and a called allele: three alleles, a possible mixture.
  const std::string gm3 = "Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\tDye\n";
  auto ol = ParseAlleleTableWithWarnings(gm3 + "S\tTH01\tOL\t7\tOL\tB\n", "g.tsv");
  ASSERT_TRUE(ol) << ol.error().ToString();
  EXPECT_TRUE(ol->profiles[0].markers.empty());
  ASSERT_EQ(ol->warnings.size(), 1u);
  EXPECT_NE(ol->warnings[0].message.find("3 alleles (OL, 7, OL)"), std::string::npos)
      << ol->warnings[0].message;
}

TEST(GeneMapperExport, AmelogeninRunsThatDisagreeAreRefused) {
  const std::string text =
      "Sample File\tSample Name\tMarker\tAllele 1\tAllele 2\n"
      "a.fsa\tS\tAMEL\tX\tY\n"
      "b.fsa\tS\tAMEL\tX\t\n";
  auto read = ParseAlleleTableWithWarnings(text, "g.tsv");
  ASSERT_TRUE(read) << read.error().ToString();
  EXPECT_TRUE(read->profiles.empty());
  ASSERT_EQ(read->skipped.size(), 1u);
  EXPECT_EQ(read->skipped[0].field, "g.tsv:3: Marker");
  EXPECT_NE(read->skipped[0].message.find("AMEL (X,Y in a.fsa, X in b.fsa)"), std::string::npos)
      << read->skipped[0].message;
}

}  // namespace
}  // namespace whereabouts::io
