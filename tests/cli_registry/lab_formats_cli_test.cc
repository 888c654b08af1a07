// End-to-end through the real binary: `convert cmf` and `convert to-cmf` (a CMF file with every
// category round-trips through our files), `remains profile import --cmf` and `remains profile
// export --cmf`, and a GeneMapper ID-X export in `remains profile import` and `identify` (its
// warnings on stdout/stderr and in summary.json; a sample whose runs disagree refused with the
// reason). Bad input: one line naming the file, line and field, exit 2. All data synthetic.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

const std::string kSource = WHEREABOUTS_SOURCE_DIR;
const std::string kGoldenCmf = kSource + "/tests/io/data/cmf/every_category.xml";
const std::string kExport = kSource + "/tests/io/data/genemapper/genotypes_table.txt";
const std::string kHeader =
    " --destination-ori XX0000000 --source-lab XX0000001 --submitted-by analyst1"
    " --submitted-at 2026-03-01T09:30:00";

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> SortedLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::sort(lines.begin(), lines.end());
  return lines;
}

void Write(const TempDir& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir.File(name), std::ios::binary) << text;
}

TEST(ConvertCmfCli, EveryCategoryRoundTripsThroughOurFiles) {
  TempDir dir;
  RunResult r = Wb(dir, "convert cmf '" + kGoldenCmf + "' --out a");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "converted 12 specimens")) << r.out;
  EXPECT_TRUE(Has(r.out, "10 references, 2 remains samples")) << r.out;
  const std::string refs = Slurp(dir.File("a/references.tsv"));
  EXPECT_TRUE(Has(refs, "REF-004\tD8S1179\t13\t\n")) << refs;  // one ALLELE: a homozygote
  EXPECT_TRUE(Has(refs, "REF-004\tPENTA_E\t7\t12\n")) << refs;
  EXPECT_TRUE(Has(refs, "MP-003\tD8S1179\t13\t14\n")) << refs;
  EXPECT_FALSE(Has(refs, "UHR-001")) << refs;
  const std::string rem = Slurp(dir.File("a/remains-alleles.tsv"));
  EXPECT_TRUE(Has(rem, "UHR-001\tTH01\t6\t9.3\n")) << rem;
  EXPECT_TRUE(Has(rem, "UHR-001\tAMEL\tX\tY\n")) << rem;
  EXPECT_TRUE(Has(rem, "DEC-002\tTPOX\t8\t11\n")) << rem;
  EXPECT_TRUE(Has(Slurp(dir.File("a/remains.csv")), "UHR-001,UHR-001,"))
      << Slurp(dir.File("a/remains.csv"));
  const std::string specimens = Slurp(dir.File("a/specimens.csv"));
  EXPECT_TRUE(Has(specimens, "REF-004,Biological Mother,reference,mother,CASE-7,,,2,\n"))
      << specimens;
  EXPECT_TRUE(Has(specimens, "REF-012,Spouse,reference,spouse,,,,1,\n")) << specimens;
  EXPECT_TRUE(
      Has(specimens, "UHR-001,Unidentified Person,remains,,CASE-7,false,No,4,\"femur, grave 3\"\n"))
      << specimens;
  EXPECT_TRUE(Has(specimens, "DEC-002,Deceased,remains,,,true,,1,\n")) << specimens;

  // Back to CMF with the categories of specimens.csv, and once more to our files: the same.
  r = Wb(dir,
         "convert to-cmf --out b.xml --references a/references.tsv --remains "
         "a/remains-alleles.tsv --specimens a/specimens.csv" +
             kHeader);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "wrote 12 specimens to b.xml")) << r.out;
  r = Wb(dir, "convert cmf b.xml --out c");
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* file :
       {"references.tsv", "remains-alleles.tsv", "remains.csv", "specimens.csv"}) {
    EXPECT_EQ(SortedLines(Slurp(dir.File(std::string("a/") + file))),
              SortedLines(Slurp(dir.File(std::string("c/") + file))))
        << file;
  }
}

TEST(ConvertCmfCli, CategoriesPerFileAndRefusals) {
  TempDir dir;
  Write(dir, "refs.tsv",
        "Sample Name\tMarker\tAllele 1\tAllele 2\nR1\tTH01\t6\t7\nR1\tXYZ9\t1\t2\n");
  // Without a category: refused, saying how to give one.
  RunResult r = Wb(dir, "convert to-cmf --out x.xml --references refs.tsv" + kHeader);
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "sample R1 of refs.tsv has no category")) << r.err;
  // A remains category for a reference file: refused.
  r = Wb(dir, "convert to-cmf --out x.xml --references refs.tsv --references-category Deceased" +
                  kHeader);
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "category 'Deceased' is remains, not reference")) << r.err;
  r = Wb(dir,
         "convert to-cmf --out x.xml --references refs.tsv --references-category 'Convicted "
         "Offender'" +
             kHeader);
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "criminal-index")) << r.err;
  EXPECT_FALSE(std::ifstream(dir.File("x.xml")).good());
  // A bad header option names the option.
  r = Wb(dir,
         "convert to-cmf --out x.xml --references refs.tsv --references-category Sibling"
         " --destination-ori XX1 --source-lab ABCDEFGHIJKL --submitted-by u");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "--source-lab")) << r.err;
  // Per file; a marker without a CODIS name is left out and named.
  r = Wb(dir, "convert to-cmf --out x.xml --references refs.tsv --references-category Sibling" +
                  kHeader);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.err, "sample R1, marker XYZ9: no CODIS locus name")) << r.err;
  const std::string xml = Slurp(dir.File("x.xml"));
  EXPECT_TRUE(Has(xml, "<SPECIMENCATEGORY>Biological Sibling</SPECIMENCATEGORY>")) << xml;
  EXPECT_FALSE(Has(xml, "XYZ9")) << xml;
}

TEST(ConvertCmfCli, MalformedFileIsOneLineNamingLineAndField) {
  TempDir dir;
  std::string text = Slurp(kGoldenCmf);
  text.replace(text.find("<SPECIMENCATEGORY>Spouse"), 24, "<SPECIMENCATEGORY>Arrestee");
  Write(dir, "bad.xml", text);
  RunResult r = Wb(dir, "convert cmf bad.xml --out o");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "bad.xml:162: SPECIMEN/SPECIMENCATEGORY")) << r.err;
  EXPECT_TRUE(Has(r.err, "'Arrestee' is refused")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("o")));
}

// The register: CMF remains specimens in, remains profiles out; reference specimens refused.
TEST(RemainsProfileCmfCli, ImportAndExport) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "remains add --label HB-1 --kind bag --holder Lab").rc, 0);
  ASSERT_EQ(Wb(dir, "remains sample 1 --sample UHR-001").rc, 0);
  ASSERT_EQ(Wb(dir, "remains sample 1 --sample DEC-002").rc, 0);
  // The golden file holds references: refused, nothing imported, how to use them said.
  RunResult r = Wb(dir, "remains profile import --cmf '" + kGoldenCmf + "'");
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "10 reference specimens (the first: MP-003, Missing Person)")) << r.err;
  EXPECT_TRUE(Has(r.err, "whereabouts reference profile import --cmf")) << r.err;
  EXPECT_TRUE(Has(Wb(dir, "remains show 1").out, "UHR-001: no profile"));
  // The remains specimens alone.
  std::string text = Slurp(kGoldenCmf);
  text.erase(text.find("  <SPECIMEN CASEID=\"CASE-7\">\n    <SPECIMENID>MP-003"),
             text.find("</CODISImportFile>") -
                 text.find("  <SPECIMEN CASEID=\"CASE-7\">\n    <SPECIMENID>MP-003"));
  Write(dir, "remains.xml", text);
  r = Wb(dir, "remains profile import --cmf remains.xml");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "recorded 2 profiles")) << r.out;
  const std::string show = Wb(dir, "remains show 1").out;
  EXPECT_TRUE(Has(show, "UHR-001: profile recorded")) << show;
  EXPECT_TRUE(Has(show, "D8S1179=13/14;TH01=6/9.3;VWA=17/17;AMEL=X,Y")) << show;
  EXPECT_TRUE(Has(show, "DEC-002: profile recorded")) << show;

  r = Wb(dir, "remains profile export --cmf out.xml" + kHeader);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "wrote 2 remains profiles to out.xml")) << r.out;
  r = Wb(dir, "convert cmf out.xml --out back");
  ASSERT_EQ(r.rc, 0) << r.err;
  const std::string back = Slurp(dir.File("back/remains-alleles.tsv"));
  EXPECT_TRUE(Has(back, "UHR-001\tD8S1179\t13\t14\n")) << back;
  EXPECT_TRUE(Has(back, "UHR-001\tVWA\t17\t\n")) << back;
  EXPECT_TRUE(Has(back, "UHR-001\tAMEL\tX\tY\n")) << back;
  EXPECT_TRUE(Has(back, "DEC-002\tTPOX\t8\t11\n")) << back;
  EXPECT_TRUE(Has(Slurp(dir.File("back/specimens.csv")), "DEC-002,Unidentified Person,remains"));
  // Neither --cmf nor a file: refused.
  r = Wb(dir, "remains profile import");
  EXPECT_EQ(r.rc, 2);
}

TEST(GeneMapperCli, ProfileImportReportsWarningsAndRefusesRunsThatDisagree) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "remains add --label HB-1 --kind bag --holder Lab").rc, 0);
  for (const char* s : {"REF-A", "REM-B", "REM-C"}) {
    ASSERT_EQ(Wb(dir, std::string("remains sample 1 --sample ") + s).rc, 0);
  }
  RunResult r = Wb(dir, "remains profile import '" + kExport + "'");
  EXPECT_EQ(r.rc, 2) << r.err;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "REM-B: its runs disagree at marker D3S1358")) << r.err;
  EXPECT_TRUE(Has(r.err, "nothing was imported")) << r.err;
  // Without REM-B: imported, with the warnings on stdout.
  std::istringstream in(Slurp(kExport));
  std::string kept;
  for (std::string l; std::getline(in, l);) {
    if (!Has(l, "\tREM-B\t")) kept += l + "\n";
  }
  Write(dir, "export.txt", kept);
  r = Wb(dir, "remains profile import export.txt");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "recorded 2 profiles")) << r.out;
  EXPECT_TRUE(Has(r.out,
                  "warning: export.txt:5: Allele 1: sample REF-A, marker FGA (run1.fsa): 3 "
                  "alleles (21, 22, 24): a possible mixture"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "quality flags raised by GeneMapper: OS=1")) << r.out;
  EXPECT_TRUE(Has(r.out, "2 runs (run1.fsa, run2.fsa) agree")) << r.out;
  EXPECT_TRUE(Has(r.out, "8 warnings")) << r.out;
  const std::string show = Wb(dir, "remains show 1").out;
  EXPECT_TRUE(Has(show, "REF-A: profile recorded")) << show;
  EXPECT_TRUE(Has(show, "D18S51=14/15;D21S11=OL/30;D3S1358=15/16;TH01=6/9.3;VWA=17/17;AMEL=X,Y"))
      << show;
  EXPECT_TRUE(Has(show, "REM-C: profile recorded")) << show;
}

TEST(GeneMapperCli, IdentifyReportsWarningsAndSkippedSamples) {
  TempDir dir;
  Write(dir, "families.csv",
        "family,id,father,mother,sex,role,sample\n"
        "F1,dad,,,male,reference,REF-A\n"
        "F1,mum,,,female,untyped,\n"
        "F1,kid,dad,mum,male,missing,\n");
  Write(dir, "remains.csv", "sample,bag,site\nX-1,B1,\n");
  Write(dir, "remains.tsv",
        "Sample Name\tMarker\tAllele 1\tAllele 2\n"
        "X-1\tD3S1358\t15\t17\nX-1\tVWA\t17\t18\nX-1\tTH01\t6\t8\nX-1\tD18S51\t14\t20\n");
  RunResult r =
      Wb(dir, "identify --families families.csv --references '" + kExport +
                  "' --remains remains.csv --remains-alleles remains.tsv --out out --quiet");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.err, "warning: " + kExport + ":5: Allele 1: sample REF-A, marker FGA"))
      << r.err;
  EXPECT_TRUE(Has(r.err, "skipped: " + kExport + ":17: Marker: sample REM-B: its runs disagree"))
      << r.err;
  const auto summary = nlohmann::json::parse(Slurp(dir.File("out/summary.json")));
  bool mixture = false, flags = false, consensus = false, disagree = false;
  for (const auto& w : summary["warnings"]) {
    const std::string reason = w["reason"];
    mixture |= Has(reason, "FGA (run1.fsa): 3 alleles (21, 22, 24): a possible mixture");
    flags |= Has(reason, "PHR=Check");
    consensus |= Has(reason, "consensus profile is used");
  }
  for (const auto& s : summary["skipped"]) {
    disagree |= Has(s["reason"].get<std::string>(), "REM-B: its runs disagree at marker D3S1358");
  }
  EXPECT_TRUE(mixture && flags && consensus) << summary["warnings"].dump(2);
  EXPECT_TRUE(disagree) << summary["skipped"].dump(2);
}

}  // namespace
}  // namespace whereabouts::testing
