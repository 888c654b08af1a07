// The exchange file adapters of docs/FORMATS.md: delimited files, allele tables, families, remains.
// All data is synthetic.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "cli/cli_runner.h"
#include "io/allele_table.h"
#include "io/delimited.h"
#include "io/families_csv.h"
#include "io/remains_csv.h"

namespace whereabouts::io {
namespace {

using kinship::FamilyRole;
using kinship::Sex;

// --- delimited ---------------------------------------------------------------------------------

TEST(Delimited, DetectsCommaAndTab) {
  auto csv = DelimitedTable::Parse("a,b\n1,2\n", "x.csv");
  ASSERT_TRUE(csv) << csv.error().ToString();
  EXPECT_EQ(csv->delimiter(), ',');
  auto tsv = DelimitedTable::Parse("a\tb,c\n1\t2,3\n", "x.tsv");
  ASSERT_TRUE(tsv);
  EXPECT_EQ(tsv->delimiter(), '\t');
  ASSERT_EQ(tsv->rows().size(), 1u);
  EXPECT_EQ(tsv->Cell(tsv->rows()[0], 1), "2,3");
}

TEST(Delimited, HeadersCaseInsensitiveAndTrimmed) {
  auto t = DelimitedTable::Parse("  Sample Name ,MARKER\nS1,TH01\n", "x.csv");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->Column("sample name"), 0);
  EXPECT_EQ(t->Column("Marker"), 1);
  EXPECT_EQ(t->Column("other"), -1);
  auto missing = t->RequireColumn("bag");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "x.csv:1: bag");
}

TEST(Delimited, QuotedFieldsCrlfBomAndLineNumbers) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",z\r\nlast,  w  \r\n";
  auto t = DelimitedTable::Parse(text, "q.csv");
  ASSERT_TRUE(t) << t.error().ToString();
  ASSERT_EQ(t->rows().size(), 3u);
  EXPECT_EQ(t->header()[0], "a");
  EXPECT_EQ(t->rows()[0].cells[0], "x, y");
  EXPECT_EQ(t->rows()[0].cells[1], "say \"hi\"");
  EXPECT_EQ(t->rows()[0].line, 2);
  EXPECT_EQ(t->rows()[1].cells[0], "two\nlines");
  EXPECT_EQ(t->rows()[1].line, 4);
  EXPECT_EQ(t->rows()[2].line, 6);
  EXPECT_EQ(t->rows()[2].cells[1], "w");
  EXPECT_EQ(t->Where(t->rows()[2], 1), "q.csv:6: b");
}

TEST(Delimited, Errors) {
  auto open = DelimitedTable::Parse("a,b\n1,\"2\n", "e.csv");
  ASSERT_FALSE(open);
  EXPECT_EQ(open.error().field, "e.csv:2: column 2");
  auto after = DelimitedTable::Parse("a,b\n\"1\"x,2\n", "e.csv");
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().field, "e.csv:2: column 1");
  auto dup = DelimitedTable::Parse("a,A\n", "e.csv");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().field, "e.csv:1: column 2");
  EXPECT_FALSE(DelimitedTable::Parse("\n\n", "e.csv"));
}

TEST(Delimited, WriterQuotesAndRoundTrips) {
  DelimitedWriter w(',');
  w.Row({"plain", "a,b", "q\"q", " pad", "two\nlines", ""});
  EXPECT_EQ(w.text(), "plain,\"a,b\",\"q\"\"q\",\" pad\",\"two\nlines\",\n");
  DelimitedWriter h(',');
  h.Row({"c1", "c2", "c3", "c4", "c5", "c6"});
  auto t = DelimitedTable::Parse(h.text() + w.text(), "w.csv");
  ASSERT_TRUE(t);
  const std::vector<std::string> expected{"plain", "a,b", "q\"q", " pad", "two\nlines", ""};
  EXPECT_EQ(t->rows()[0].cells, expected);
  EXPECT_EQ(QuoteCell("a\tb", '\t'), "\"a\tb\"");
  EXPECT_EQ(QuoteCell("a,b", '\t'), "a,b");
}

// Text over the characters that matter to the format.
std::string GenCell() {
  static const std::string kChars = "ab1.,\"\t\n ;xX";
  const int n = *rc::gen::inRange(0, 8);
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(kChars[*rc::gen::inRange<size_t>(0, kChars.size())]);
  return s;
}

RC_GTEST_PROP(DelimitedProperty, WriterOutputParsesBackToTheSameCells, ()) {
  const char delimiter = *rc::gen::element(',', '\t');
  const int columns = *rc::gen::inRange(2, 5);
  const int rows = *rc::gen::inRange(0, 6);
  DelimitedWriter w(delimiter);
  std::vector<std::string> header;
  for (int c = 0; c < columns; ++c) header.push_back("col" + std::to_string(c));
  w.Row(header);
  std::vector<std::vector<std::string>> cells(rows);
  for (auto& row : cells) {
    for (int c = 0; c < columns; ++c) row.push_back(GenCell());
    w.Row(row);
  }
  auto t = DelimitedTable::Parse(w.text(), "p.csv");
  RC_ASSERT(t.has_value());
  RC_ASSERT(t->delimiter() == delimiter);
  RC_ASSERT(t->rows().size() == cells.size());
  for (int r = 0; r < rows; ++r) RC_ASSERT(t->rows()[r].cells == cells[r]);
}

RC_GTEST_PROP(DelimitedProperty, ParsersNeverCrashOnArbitraryText, ()) {
  std::string text = *rc::gen::element<std::string>(
      "Sample Name,Marker,Allele 1,Allele 2\n", "family\tid\tfather\tmother\tsex\trole\tsample\n",
      "sample,bag,site\n", "");
  const int n = *rc::gen::inRange(0, 12);
  for (int i = 0; i < n; ++i) text += GenCell();
  (void)ParseAlleleTable(text, "f");
  (void)ParseFamilies(text, "f");
  (void)ParseRemains(text, "f");
  RC_SUCCEED("no crash");
}

// --- allele tables -----------------------------------------------------------------------------

TEST(AlleleTable, ReadsGeneMapperLayout) {
  const std::string text =
      "Sample File\tSample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\tSize 1\n"
      "f.fsa\tR-1\tD3S1358\t15\t17\t\t120.1\n"
      "f.fsa\tR-1\tvWA\t16\t\t\t\n"
      "f.fsa\tR-1\tPenta E\t\t\t\t\n"
      "f.fsa\tR-1\tAMEL\tX\tY\t\t\n"
      "f.fsa\tR-1\tTH01\t9.3\tOL\t\t\n"
      "f.fsa\tR-2\tD3S1358\t015\t15\t\t\n"
      "f.fsa\tR-2\tAmelogenin\tX\t\t\t\n";
  auto p = ParseAlleleTable(text, "refs.tsv");
  ASSERT_TRUE(p) << p.error().ToString();
  ASSERT_EQ(p->size(), 2u);
  const auto& r1 = (*p)[0];
  EXPECT_EQ(r1.sample, "R-1");
  EXPECT_EQ(r1.markers.size(), 3u);  // Penta E untyped, AMEL is not a kinship marker
  EXPECT_EQ(r1.markers.at("D3S1358").ToString(), "15/17");
  EXPECT_EQ(r1.markers.at("VWA").ToString(), "16/16");
  EXPECT_EQ(r1.markers.at("TH01").ToString(), "9.3/OL");
  EXPECT_EQ(r1.markers.count("PENTA_E"), 0u);
  EXPECT_EQ(r1.amelogenin_sex, Sex::kMale);
  const auto& r2 = (*p)[1];
  EXPECT_EQ(r2.markers.at("D3S1358").ToString(), "15/15");
  EXPECT_EQ(r2.amelogenin_sex, Sex::kFemale);
}

TEST(AlleleTable, DashIsAnAlleleNotDesignated) {
  const std::string text =
      "Sample Name\tMarker\tAllele 1\tAllele 2\n"
      "R\tTH01\t6\t-\n"
      "R\tFGA\t-\t22\n"
      "R\tD8S1179\t-\t\n"
      "R\tAMEL\tX\t-\n"
      "S\tAMEL\tX\t\n";
  auto p = ParseAlleleTable(text, "refs.tsv");
  ASSERT_TRUE(p) << p.error().ToString();
  const auto& r = (*p)[0];
  EXPECT_EQ(r.markers.at("TH01").ToString(), "6/-");
  EXPECT_FALSE(r.markers.at("TH01").second.has_value());
  EXPECT_EQ(r.markers.at("FGA").ToString(), "22/-");
  EXPECT_EQ(r.markers.count("D8S1179"), 0u);   // "-" alone: untyped
  EXPECT_FALSE(r.amelogenin_sex.has_value());  // X and an unknown one: sex unknown
  EXPECT_EQ((*p)[1].amelogenin_sex, Sex::kFemale);
  auto three = ParseAlleleTable(
      "Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\nS\tTH01\t6\t7\t-\n", "t.tsv");
  ASSERT_FALSE(three);
  EXPECT_NE(three.error().message.find("third allele"), std::string::npos);
}

TEST(AlleleTable, CommaSeparatedCaseInsensitiveHeaders) {
  auto p =
      ParseAlleleTable("sample name , MARKER,allele 1,ALLELE 2\nS,\"D8S1179\",10,12\n", "a.csv");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ((*p)[0].markers.at("D8S1179").ToString(), "10/12");
}

TEST(AlleleTable, ErrorsNameFileLineAndColumn) {
  const std::string head = "Sample Name\tMarker\tAllele 1\tAllele 2\tAllele 3\n";
  auto three = ParseAlleleTable(head + "S\tTH01\t6\t7\t\nS\tFGA\t20\t21\t22\n", "t.tsv");
  ASSERT_FALSE(three);
  EXPECT_EQ(three.error().field, "t.tsv:3: Allele 3");
  auto dup = ParseAlleleTable(head + "S\tTH01\t6\t7\t\nS\tth01\t6\t\t\n", "t.tsv");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().field, "t.tsv:3: Marker");
  EXPECT_NE(dup.error().message.find("line 2"), std::string::npos);
  auto bad = ParseAlleleTable(head + "S\tTH01\t6\t7$\t\n", "t.tsv");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "t.tsv:2: Allele 2");
  auto amel = ParseAlleleTable(head + "S\tAMEL\tX\tZ\t\n", "t.tsv");
  ASSERT_FALSE(amel);
  EXPECT_EQ(amel.error().field, "t.tsv:2: Allele 2");
  auto no_sample = ParseAlleleTable(head + "\tTH01\t6\t7\t\n", "t.tsv");
  ASSERT_FALSE(no_sample);
  EXPECT_EQ(no_sample.error().field, "t.tsv:2: Sample Name");
  auto header = ParseAlleleTable("Sample\tMarker\tAllele 1\n", "t.tsv");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().field, "t.tsv:1: Sample Name");
}

TEST(AlleleTable, SkippingBadSamplesKeepsTheOthers) {
  const std::string text =
      "Sample Name,Marker,Allele1,Allele2,Allele3\n"
      "GOOD,TH01,6,7,\n"
      "MIX,TH01,6,7,8\n"
      "MIX,FGA,20,21,\n"
      "BAD,FGA,2$,21,\n"
      "BAD,TH01,6,,\n"
      ",TH01,6,,\n"
      "GOOD,FGA,22,,\n";
  auto strict = ParseAlleleTable(text, "m.csv");
  ASSERT_FALSE(strict);
  EXPECT_EQ(strict.error().field, "m.csv:3: Allele3");
  auto lenient = ParseAlleleTableSkippingBadSamples(text, "m.csv");
  ASSERT_TRUE(lenient) << lenient.error().ToString();
  ASSERT_EQ(lenient->profiles.size(), 1u);
  EXPECT_EQ(lenient->profiles[0].sample, "GOOD");
  EXPECT_EQ(lenient->profiles[0].markers.size(), 2u);
  ASSERT_EQ(lenient->skipped.size(), 3u);
  EXPECT_EQ(lenient->skipped[0].field, "m.csv:3: Allele3");
  EXPECT_NE(lenient->skipped[0].message.find("MIX"), std::string::npos);
  EXPECT_EQ(lenient->skipped[1].field, "m.csv:5: Allele1");
  EXPECT_NE(lenient->skipped[1].message.find("BAD"), std::string::npos);
  EXPECT_EQ(lenient->skipped[2].field, "m.csv:7: Sample Name");
  EXPECT_FALSE(ParseAlleleTableSkippingBadSamples("Sample Name,Marker\nA,TH01\n", "m.csv"));
}

TEST(AlleleTable, RoundTripThroughFile) {
  std::vector<kinship::Profile> profiles(2);
  profiles[0].sample = "A 1, left";
  profiles[0].markers["TH01"] = {"6", "9.3"};
  profiles[0].markers["FGA"] = {"22", "22"};
  profiles[0].amelogenin_sex = Sex::kFemale;
  profiles[1].sample = "B";
  profiles[1].markers["PENTA_E"] = {"OL", "12"};
  profiles[1].markers["D21S11"] = {"30.2", std::nullopt};  // "30.2/-"
  profiles[1].amelogenin_sex = Sex::kMale;
  testing::TempDir dir;
  for (const std::string name : {"p.tsv", "p.csv"}) {
    const std::string path = (dir.path() / name).string();
    ASSERT_TRUE(WriteAlleleTable(path, profiles));
    auto back = ReadAlleleTable(path);
    ASSERT_TRUE(back) << back.error().ToString();
    ASSERT_EQ(back->size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_EQ((*back)[i].sample, profiles[i].sample);
      EXPECT_EQ((*back)[i].amelogenin_sex, profiles[i].amelogenin_sex);
      ASSERT_EQ((*back)[i].markers.size(), profiles[i].markers.size());
      for (const auto& [m, call] : profiles[i].markers) {
        EXPECT_EQ((*back)[i].markers.at(m).ToString(), call.ToString()) << m;
      }
    }
  }
  EXPECT_FALSE(ReadAlleleTable((dir.path() / "absent.tsv").string()));
}

// --- families ----------------------------------------------------------------------------------

TEST(Families, ReadsAndRoundTrips) {
  const std::string text =
      "Family,ID,Father,Mother,Sex,Role,Sample,Person,Notes\n"
      "F1,FA,,,male,untyped,,,x\n"
      "F1,MO,,,female,reference,F1-MO,17,\n"
      "F2,X,,,unknown,missing,,,\n"
      "F1,MP,FA,MO,male,missing,,18,\n";
  auto f = ParseFamilies(text, "fam.csv");
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_TRUE(f->skipped.empty());
  ASSERT_EQ(f->families.size(), 2u);
  const auto& f1 = f->families[0];
  EXPECT_EQ(f1.id, "F1");
  ASSERT_EQ(f1.members.size(), 3u);
  EXPECT_EQ(f1.members[1].role, FamilyRole::kReference);
  EXPECT_EQ(f1.members[1].sample, "F1-MO");
  EXPECT_EQ(f1.members[1].person, "17");
  EXPECT_EQ(f1.members[2].father, "FA");
  EXPECT_EQ(f1.members[2].sex, Sex::kMale);
  testing::TempDir dir;
  for (const std::string name : {"f.csv", "f.tsv"}) {
    const std::string path = (dir.path() / name).string();
    ASSERT_TRUE(WriteFamilies(path, f->families));
    auto back = ReadFamilies(path);
    ASSERT_TRUE(back) << back.error().ToString();
    EXPECT_EQ(FormatFamilies(back->families), FormatFamilies(f->families));
  }
}

TEST(Families, BadFamiliesAreSkippedWithFileLineColumn) {
  const std::string text =
      "family\tid\tfather\tmother\tsex\trole\tsample\n"
      "OK\tA\t\t\tmale\treference\tS-A\n"
      "OK\tB\t\t\tfemale\tuntyped\t\n"
      "OK\tC\tA\tB\tfemale\tmissing\t\n"
      "SEX\tA\t\t\tfemale\tuntyped\t\n"  // 5: mother-role ok, but used as father below
      "SEX\tB\t\t\tfemale\tuntyped\t\n"
      "SEX\tC\tA\tB\tmale\tmissing\t\n"  // 7: father A is not male
      "DUP\tA\t\t\tmale\tmissing\t\n"
      "DUP\tA\t\t\tmale\treference\tS\n"  // 9: id used twice
      "REF\tA\t\t\tmale\treference\t\n"   // 10: reference without sample
      "ROLE\tA\t\t\tmale\tvictim\t\n"     // 11: bad role
      "ONE\tA\t\t\tmale\tuntyped\t\n"
      "ONE\tC\tA\t\tmale\tmissing\t\n"    // 13: one parent
      "GONE\tC\tA\tB\tmale\tmissing\t\n"  // 14: father not in family
      "\tC\t\t\tmale\tmissing\t\n"        // 15: no family id
      "CYC\tA\tB\tC\tmale\tuntyped\t\n"
      "CYC\tB\tA\tC\tmale\tuntyped\t\n"
      "CYC\tC\t\t\tfemale\tuntyped\t\n";
  auto f = ParseFamilies(text, "fam.tsv");
  ASSERT_TRUE(f) << f.error().ToString();
  ASSERT_EQ(f->families.size(), 1u);
  EXPECT_EQ(f->families[0].id, "OK");
  std::vector<std::string> fields;
  for (const auto& e : f->skipped) fields.push_back(e.field);
  const std::vector<std::string> expected{
      "fam.tsv:15: family", "fam.tsv:7: father",  "fam.tsv:9: id",      "fam.tsv:10: sample",
      "fam.tsv:11: role",   "fam.tsv:13: mother", "fam.tsv:14: father", fields.back()};
  EXPECT_EQ(fields, expected);
  EXPECT_NE(f->skipped.back().message.find("family CYC"), std::string::npos);
  EXPECT_NE(f->skipped.back().message.find("own ancestor"), std::string::npos);
  EXPECT_NE(f->skipped[1].message.find("family SEX"), std::string::npos);
}

TEST(Families, MalformedHeaderIsFatal) {
  auto f = ParseFamilies("family,id,father,mother,sex\nF,A,,,male\n", "fam.csv");
  ASSERT_FALSE(f);
  EXPECT_EQ(f.error().field, "fam.csv:1: role");
}

// --- remains -----------------------------------------------------------------------------------

TEST(Remains, ReadsWritesAndChecks) {
  auto r =
      ParseRemains("Sample\tBag\tSite\tweight\nRS-1\tB-1\tGrave 2\t3\nRS-2\tB-1\t\t\n", "r.tsv");
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].site, "Grave 2");
  EXPECT_EQ((*r)[1].bag, "B-1");
  testing::TempDir dir;
  const std::string path = (dir.path() / "r.csv").string();
  ASSERT_TRUE(WriteRemains(path, *r));
  auto back = ReadRemains(path);
  ASSERT_TRUE(back);
  EXPECT_EQ(FormatRemains(*back), FormatRemains(*r));
  auto dup = ParseRemains("sample,bag\nA,1\nA,2\n", "r.csv");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().field, "r.csv:3: sample");
  auto no_bag = ParseRemains("sample,bag\nA,\n", "r.csv");
  ASSERT_FALSE(no_bag);
  EXPECT_EQ(no_bag.error().field, "r.csv:2: bag");
  auto header = ParseRemains("sample,site\nA,\n", "r.csv");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().field, "r.csv:1: bag");
}

}  // namespace
}  // namespace whereabouts::io
