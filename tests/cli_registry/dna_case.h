// One family's whole case through the real binary, on the register given (`--db ...`): a grave
// and its remains with a sample, a bag, a missing man with his father and mother as relatives
// (reference samples, consent), their allele tables imported (`reference profile import`,
// `remains profile import`), the refusals of duplicate labels and sample ids, `export dna`,
// `identify --db` (proposals with the register's site and remains), the consent rule at
// confirmation, sign-off, notification and the figures by source. Run on SQLite and on PostgreSQL
// by DnaRegisterCliTest.WholeCaseFromRegisterToFigures (dna_register_cli_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {

// Four alleles per marker (all in NorwegianFrequencies.tsv): the father is a/b, the mother c/d,
// their son a/c; an unrelated person b/b (no child of this mother).
struct MarkerAlleles {
  const char* marker;
  const char* a;
  const char* b;
  const char* c;
  const char* d;
};

inline const std::vector<MarkerAlleles>& TrioMarkers() {
  static const std::vector<MarkerAlleles> m = {
      {"D3S1358", "14", "15", "16", "17"},  {"TH01", "6", "7", "8", "9.3"},
      {"D21S11", "28", "29", "30", "31"},   {"D18S51", "12", "13", "14", "15"},
      {"D5S818", "10", "11", "12", "13"},   {"D13S317", "8", "11", "12", "13"},
      {"D7S820", "8", "9", "10", "11"},     {"D16S539", "9", "11", "12", "13"},
      {"CSF1PO", "10", "11", "12", "13"},   {"VWA", "15", "16", "17", "18"},
      {"D8S1179", "12", "13", "14", "15"},  {"TPOX", "8", "9", "10", "11"},
      {"FGA", "20", "21", "22", "23"},      {"D19S433", "13", "14", "15", "16"},
      {"D10S1248", "12", "13", "14", "15"}, {"D2S1338", "17", "19", "20", "23"},
  };
  return m;
}

// Allele table rows of `sample` with the alleles picked by `pick` (0..3 = a..d) and amelogenin.
inline std::string AlleleRows(const std::string& sample, int first, int second,
                              const std::string& amel) {
  std::string out;
  for (const MarkerAlleles& m : TrioMarkers()) {
    const char* alleles[] = {m.a, m.b, m.c, m.d};
    out += sample + "\t" + m.marker + "\t" + alleles[first] + "\t" + alleles[second] + "\n";
  }
  out += sample + "\tAMEL\t" + amel + (amel.find('\t') == std::string::npos ? "\t\n" : "\n");
  return out;
}

inline const char* kAlleleHeader = "Sample Name\tMarker\tAllele 1\tAllele 2\n";

// The case on register `db` (a `--db ...` argument). Writes its files into `dir`.
inline void RunDnaCase(const TempDir& dir, const std::string& db) {
  auto wb = [&](const std::string& args) { return Wb(dir, args + " " + db); };
  std::ofstream(dir.File("refs.tsv"))
      << kAlleleHeader << AlleleRows("REF-F", 0, 1, "X\tY") << AlleleRows("REF-M", 2, 3, "X");
  std::ofstream(dir.File("remains.tsv"))
      << kAlleleHeader << AlleleRows("RS-1", 0, 2, "X\tY") << AlleleRows("RS-2", 1, 1, "X");

  ASSERT_EQ(wb("site add --name 'Field grave' --kind mass_grave --lon 21.3 --lat 44.2").rc, 0);
  RunResult r = wb("remains add --label G-1 --kind body --site 1 --holder Lab");
  ASSERT_EQ(r.rc, 0) << r.err;
  // Two remains with the same label: refused, nothing written.
  r = wb("remains add --label G-1 --kind body --site 1 --holder Lab");
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "the label G-1 is already used by remains 1")) << r.err;
  ASSERT_EQ(wb("remains sample 1 --sample RS-1").rc, 0);
  ASSERT_EQ(wb("remains add --label B-2 --kind bag --commingled --holder Lab").rc, 0);
  EXPECT_TRUE(Has(wb("remains list").out, "2 remains"));
  ASSERT_EQ(wb("remains sample 2 --sample RS-2").rc, 0);
  // One sample id on two items: refused, so that its profile cannot land on the wrong one.
  r = wb("remains sample 2 --sample RS-1");
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_TRUE(Has(r.err, "sample RS-1 is already recorded on remains 1 (G-1)")) << r.err;

  ASSERT_EQ(wb("person add --family-name Velani --given-name Tomas --sex male").rc, 0);
  ASSERT_EQ(wb("person add --family-name Morsa --given-name Ana --sex female").rc, 0);
  r =
      wb("person relative-add 1 --name 'Velani Mara' --relationship mother --sample REF-M "
         "--holder 'Field office'");
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_EQ(wb("person relative-add 1 --name 'Velani Petar' --relationship 'Father' "
               "--sample REF-F --consent identification_and_court")
                .rc,
            0);
  // A relationship outside the vocabulary, and a reference sample that is a remains sample.
  r = wb("person relative-add 1 --name 'Velani X' --relationship cousin_twice");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "unknown relationship 'cousin_twice'")) << r.err;
  r = wb("person relative-add 1 --name 'Velani Y' --relationship brother --sample RS-1");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "sample RS-1 is already recorded on remains 1")) << r.err;
  // Person 2's relative withheld consent: her reference is left out of the run.
  ASSERT_EQ(wb("person relative-add 2 --name 'Morsa Lia' --relationship sister --sample REF-S "
               "--consent none")
                .rc,
            0);
  std::ofstream(dir.File("refs2.tsv")) << kAlleleHeader << AlleleRows("REF-S", 1, 3, "X");

  // Reference profiles are not remains profiles, and the reverse.
  r = wb("remains profile import refs.tsv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "reference sample of relative")) << r.err;
  EXPECT_TRUE(Has(r.err, "whereabouts reference profile import")) << r.err;
  EXPECT_FALSE(Has(r.err, "remains sample ID")) << r.err;
  r = wb("reference profile import refs.tsv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "recorded 2 profiles of register reference samples")) << r.out;
  ASSERT_EQ(wb("reference profile import refs2.tsv").rc, 0);
  r = wb("reference profile import remains.tsv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "taken from remains")) << r.err;
  ASSERT_EQ(wb("remains profile import remains.tsv").rc, 0);
  r = wb("person relatives 1");
  EXPECT_TRUE(Has(r.out, "REF-M")) << r.out;
  EXPECT_TRUE(Has(r.out, "(profile recorded)")) << r.out;

  // The family as a pedigree: the missing man, his father (relative 2) and mother (relative 1).
  r = wb("person family 1");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "F1,M,R2,R1,male,missing,,1")) << r.out;
  EXPECT_TRUE(Has(r.out, "F1,R1,,,female,reference,REF-M,")) << r.out;
  EXPECT_TRUE(Has(r.out, "F1,R2,,,male,reference,REF-F,")) << r.out;

  // The exchange files from the register.
  r = wb("export dna --out ex");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "wrote 1 families, 2 reference profiles, 2 remains samples")) << r.out;
  EXPECT_TRUE(Has(Slurp(dir.File("ex/families.csv")), "F1,M,R2,R1,male,missing,,1"));
  EXPECT_TRUE(Has(Slurp(dir.File("ex/remains.csv")), "RS-1,G-1,1"));
  EXPECT_TRUE(Has(Slurp(dir.File("ex/references.tsv")), "REF-F"));
  EXPECT_FALSE(Has(Slurp(dir.File("ex/references.tsv")), "REF-S"));  // consent none

  // The run on the register: the same result files, the run and its proposal recorded.
  r = wb("identify --out out --quiet --by lab --reason 'DNA run'");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "1 proposals recorded for review (0 ambiguous, 0 without a site)"))
      << r.out;
  EXPECT_TRUE(Has(r.out,
                  "1 reference samples whose relative's consent does not allow "
                  "identification (consent none)"))
      << r.out;
  EXPECT_TRUE(Has(Slurp(dir.File("out/identifications.csv")), "F1,M,")) << r.out;
  EXPECT_TRUE(Has(Slurp(dir.File("out/summary.json")), "\"register\"")) << r.out;
  r = wb("identification list --json");
  EXPECT_TRUE(Has(r.out, "\"site\": 1")) << r.out;
  EXPECT_TRUE(Has(r.out, "\"remains\": \"G-1\"")) << r.out;

  // Consent withdrawn after the run: the confirmation is refused, naming the sample.
  r = wb("person relative-consent 1 --consent none --reason 'letter of the family'");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = wb("identification confirm 1 --by reviewer --reason 'DNA and circumstances agree'");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "reference sample REF-M")) << r.err;
  EXPECT_TRUE(Has(r.err, "does not allow identification")) << r.err;
  EXPECT_EQ(FiguresCsv(wb("report figures --format csv").out)["identified"], 0);
  ASSERT_EQ(wb("person relative-consent 1 --consent identification --reason 'consent renewed'").rc,
            0);
  r = wb("identification confirm 1 --by reviewer --reason 'DNA and circumstances agree'");
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_EQ(wb("identification sign-off 1 --by supervisor --reason 'file checked'").rc, 0);
  r = wb("person update 1 --event family_notified --set date=" + Today());
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto figures = FiguresCsv(wb("report figures --format csv").out);
  EXPECT_EQ(figures.at("identified"), 1);
  EXPECT_EQ(figures.at("identified.by_source.graves"), 1);
  EXPECT_EQ(figures.at("identified.by_source.graves.1"), 1);  // the register's site 1
  EXPECT_EQ(figures.at("identified.by_source.other"), 0);
}

}  // namespace whereabouts::testing
