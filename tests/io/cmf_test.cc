// CODIS CMF 3.2 (io/cmf.h): the hand-made golden file (tests/io/data/cmf/every_category.xml, one
// specimen of every category we read) reads as written; every category round-trips (read, write,
// read gives the same data); malformed files give errors naming the line and the field; the
// category table; profiles in and out; arbitrary damage to a file gives a value or an error, never
// a crash. All data synthetic.
#include "io/cmf.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

namespace whereabouts::io {
namespace {

const std::string kGolden =
    std::string(WHEREABOUTS_SOURCE_DIR) + "/tests/io/data/cmf/every_category.xml";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Cmf, GoldenFileReadsAsWritten) {
  auto f = ReadCmf(kGolden);
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_EQ(f->header_version, "3.2");
  EXPECT_EQ(f->destination_ori, "XX0000000");
  EXPECT_EQ(f->source_lab, "XX0000001");
  EXPECT_EQ(f->submit_by_user_id, "analyst1");
  EXPECT_EQ(f->submit_datetime, "2026-03-01T09:30:00");
  EXPECT_EQ(f->batch_id, "B-2026-01");
  EXPECT_EQ(f->kit, "Identifiler");
  ASSERT_EQ(f->specimens.size(), CmfCategories().size());
  std::set<std::string> categories;
  for (const auto& s : f->specimens) categories.insert(s.category);
  for (const auto& c : CmfCategories())
    EXPECT_EQ(categories.count(std::string(c.name)), 1u) << c.name;

  const CmfSpecimen& u = f->specimens[0];
  EXPECT_EQ(u.id, "UHR-001");
  EXPECT_EQ(u.category, "Unidentified Person");
  EXPECT_EQ(u.comment, "femur, grave 3");
  EXPECT_EQ(u.case_id, "CASE-7");
  EXPECT_EQ(u.source_id, "No");
  EXPECT_EQ(u.partial, std::optional<bool>(false));
  EXPECT_EQ(u.line, 13);
  ASSERT_EQ(u.loci.size(), 4u);
  EXPECT_EQ(u.loci[0].name, "D8S1179");
  EXPECT_EQ(u.loci[0].line, 17);
  EXPECT_EQ(u.loci[0].batch_id, "B-2026-01");
  EXPECT_EQ(u.loci[0].kit, "Identifiler");
  EXPECT_EQ(u.loci[0].reading_by, "analyst1");
  EXPECT_EQ(u.loci[0].reading_datetime, "2026-02-27T14:00:00");
  EXPECT_EQ(u.loci[0].alleles, (std::vector<std::string>{"13", "14"}));
  EXPECT_EQ(u.loci[1].name, "VWA");  // vWA
  EXPECT_EQ(u.loci[1].alleles, (std::vector<std::string>{"17"}));
  EXPECT_EQ(u.loci[2].name, "TH01");  // written THO1
  EXPECT_EQ(u.loci[3].name, "AMEL");
  EXPECT_EQ(f->specimens[1].partial, std::optional<bool>(true));
  EXPECT_EQ(f->specimens[1].loci[0].name, "TPOX");  // written TP0X
  EXPECT_FALSE(f->specimens[2].partial.has_value());
  EXPECT_EQ(f->specimens[3].loci[1].name, "PENTA_E");

  auto p = CmfProfile(u, nullptr);
  EXPECT_EQ(p.sample, "UHR-001");
  EXPECT_EQ(p.markers.at("VWA").ToString(), "17/17");  // one ALLELE: a homozygote
  EXPECT_EQ(p.markers.at("TH01").ToString(), "6/9.3");
  EXPECT_EQ(p.markers.count("AMEL"), 0u);
  EXPECT_EQ(p.amelogenin_sex, kinship::Sex::kMale);
}

TEST(Cmf, EveryCategoryRoundTrips) {
  auto f = ReadCmf(kGolden);
  ASSERT_TRUE(f) << f.error().ToString();
  auto text = FormatCmf(*f);
  ASSERT_TRUE(text) << text.error().ToString();
  auto back = ParseCmf(*text, "back.xml");
  ASSERT_TRUE(back) << back.error().ToString() << "\n" << *text;
  EXPECT_TRUE(*back == *f);
  // Written with the preferred CODIS names, the namespace on the root.
  EXPECT_NE(text->find("<LOCUSNAME>TH01</LOCUSNAME>"), std::string::npos);
  EXPECT_NE(text->find("<LOCUSNAME>vWA</LOCUSNAME>"), std::string::npos);
  EXPECT_NE(text->find("<LOCUSNAME>Penta E</LOCUSNAME>"), std::string::npos);
  EXPECT_NE(text->find("xmlns=\"urn:CODISImportFile-schema\""), std::string::npos);

  // Built in code: one specimen per category, written and read back.
  CmfFile built;
  built.destination_ori = "XX1";
  built.source_lab = "XX2";
  built.submit_by_user_id = "u";
  built.submit_datetime = "2026-01-02T03:04:05";
  for (const auto& c : CmfCategories()) {
    CmfSpecimen s;
    s.id = "S-" + std::to_string(built.specimens.size());
    s.category = std::string(c.name);
    s.partial = built.specimens.size() % 2 == 0;
    kinship::Profile p{
        s.id, {{"D3S1358", {"15", "16"}}, {"FGA", {"22", "22"}}}, kinship::Sex::kFemale};
    std::vector<std::string> left_out;
    s.loci = CmfLociOf(p, "u", "2026-01-02T03:04:05", &left_out);
    EXPECT_TRUE(left_out.empty());
    built.specimens.push_back(std::move(s));
  }
  auto built_text = FormatCmf(built);
  ASSERT_TRUE(built_text) << built_text.error().ToString();
  auto built_back = ParseCmf(*built_text, "b.xml");
  ASSERT_TRUE(built_back) << built_back.error().ToString();
  EXPECT_TRUE(*built_back == built);
  auto p = CmfProfile(built_back->specimens[0], nullptr);
  EXPECT_EQ(p.markers.at("FGA").ToString(), "22/22");
  EXPECT_EQ(p.markers.at("D3S1358").ToString(), "15/16");
  EXPECT_EQ(p.amelogenin_sex, kinship::Sex::kFemale);
}

TEST(Cmf, CategoryTable) {
  for (const char* remains : {"Unidentified Person", "Deceased"}) {
    auto c = FindCmfCategory(remains);
    ASSERT_TRUE(c);
    EXPECT_EQ((*c)->use, CmfUse::kRemains);
  }
  const std::pair<const char*, const char*> references[] = {
      {"Missing Person", "self"},
      {"Biological Mother", "mother"},
      {"Biological Father", "father"},
      {"Biological Child", "child"},
      {"Biological Sibling", "sibling"},
      {"sibling", "sibling"},
      {"Maternal Relative", "maternal relative"},
      {"Paternal Relative", "paternal relative"},
      {"spouse", "spouse"}};
  for (const auto& [name, relationship] : references) {
    auto c = FindCmfCategory(name);
    ASSERT_TRUE(c) << name;
    EXPECT_EQ((*c)->use, CmfUse::kReference) << name;
    EXPECT_EQ((*c)->relationship, relationship) << name;
  }
  auto offender = FindCmfCategory("Convicted Offender");
  ASSERT_FALSE(offender);
  EXPECT_NE(offender.error().message.find("criminal-index"), std::string::npos);
  auto deduced = FindCmfCategory("Deduced Missing Person");
  ASSERT_FALSE(deduced);
  EXPECT_NE(deduced.error().message.find("deduced"), std::string::npos);
  auto unknown = FindCmfCategory("Cousin");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("accepted: Unidentified Person"), std::string::npos);
}

// A minimal valid file around `specimens` (the header on lines 1-8).
std::string File(const std::string& specimens) {
  return "<?xml version=\"1.0\"?>\n<CODISImportFile xmlns=\"urn:CODISImportFile-schema\">\n"
         "<HEADERVERSION>3.2</HEADERVERSION>\n<MESSAGETYPE>Import</MESSAGETYPE>\n"
         "<DESTINATIONORI>XX1</DESTINATIONORI>\n<SOURCELAB>XX2</SOURCELAB>\n"
         "<SUBMITBYUSERID>u</SUBMITBYUSERID>\n<SUBMITDATETIME>2026-01-02T03:04:05</"
         "SUBMITDATETIME>\n" +
         specimens + "</CODISImportFile>\n";
}

std::string Locus(const std::string& name, const std::vector<std::string>& alleles) {
  std::string out = "<LOCUS><LOCUSNAME>" + name +
                    "</LOCUSNAME><READINGBY>u</READINGBY><READINGDATETIME>2026-01-02T03:04:05"
                    "</READINGDATETIME>";
  for (const auto& a : alleles) out += "<ALLELE><ALLELEVALUE>" + a + "</ALLELEVALUE></ALLELE>";
  return out + "</LOCUS>";
}

std::string Specimen(const std::string& id, const std::string& category, const std::string& loci,
                     const std::string& attributes = "") {
  return "<SPECIMEN" + attributes + ">\n<SPECIMENID>" + id + "</SPECIMENID>\n<SPECIMENCATEGORY>" +
         category + "</SPECIMENCATEGORY>\n" + loci + "\n</SPECIMEN>\n";
}

TEST(Cmf, MalformedFilesNameLineAndField) {
  const std::string ok = Locus("TH01", {"6", "7"});
  ASSERT_TRUE(ParseCmf(File(Specimen("A", "Unidentified Person", ok)), "m.xml"));
  struct Case {
    std::string text, field, message;
  };
  const Case cases[] = {
      {"<CODISImportFile><HEADERVERSION>3.2</HEADER", "m.xml:1", "not well-formed XML"},
      {"<?xml version=\"1.0\"?>\n<Other/>\n", "m.xml:2: Other", "not CODISImportFile"},
      {File(Specimen("A", "Convicted Offender", ok)), "m.xml:9: SPECIMEN/SPECIMENCATEGORY",
       "criminal-index"},
      {File(Specimen("A", "Cousin", ok)), "m.xml:9: SPECIMEN/SPECIMENCATEGORY", "not a CMF"},
      {File("<SPECIMEN>\n<SPECIMENCATEGORY>Deceased</SPECIMENCATEGORY>\n" + ok + "</SPECIMEN>\n"),
       "m.xml:9: SPECIMEN/SPECIMENID", "missing SPECIMENID"},
      {File(Specimen("A", "Deceased", ok) + Specimen("A", "Deceased", ok)),
       "m.xml:14: SPECIMEN/SPECIMENID", "given twice (first on line 9)"},
      {File(Specimen("A", "Deceased", Locus("TH01", {"6$"}))), "m.xml:12: LOCUS/ALLELE/ALLELEVALUE",
       "not a valid designation"},
      {File(Specimen("A", "Deceased", Locus("AMEL", {"X", "Z"}))),
       "m.xml:12: LOCUS/ALLELE/ALLELEVALUE", "not X or Y"},
      {File(
           Specimen("A", "Deceased", Locus("TH01", {"1", "2", "3", "4", "5", "6", "7", "8", "9"}))),
       "m.xml:12: LOCUS/ALLELE", "more than 8"},
      {File(Specimen("A", "Deceased", ok + "\n" + Locus("THO1", {"6"}))),
       "m.xml:13: LOCUS/LOCUSNAME", "given twice"},
      {File(Specimen("A", "Deceased", ok, " PARTIAL=\"maybe\"")), "m.xml:9: SPECIMEN/PARTIAL",
       "not true or false"},
      {File(Specimen("A", "Deceased", ok, " COLOR=\"red\"")), "m.xml:9: SPECIMEN/COLOR",
       "not part of SPECIMEN"},
      {File(Specimen("A", "Deceased", "<NAME>x</NAME>\n" + ok)), "m.xml:12: SPECIMEN/NAME",
       "not part of SPECIMEN"},
      {File(Specimen("A-2345678901234567890123456", "Deceased", ok)),
       "m.xml:9: SPECIMEN/SPECIMENID", "at most 24"},
      {File(Specimen("A", "Deceased", "")), "m.xml:9: SPECIMEN", "no LOCUS"},
      {File(Specimen("A", "Deceased", "<LOCUS><LOCUSNAME>TH01</LOCUSNAME></LOCUS>")),
       "m.xml:12: LOCUS/READINGBY", "missing READINGBY"},
  };
  for (const Case& c : cases) {
    auto r = ParseCmf(c.text, "m.xml");
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().field, c.field) << r.error().ToString();
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().ToString();
  }
  std::string v2 = File(Specimen("A", "Deceased", ok));
  v2.replace(v2.find("3.2"), 3, "2.0");
  auto old = ParseCmf(v2, "m.xml");
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().field, "m.xml: HEADERVERSION");
  EXPECT_FALSE(ReadCmf("/nonexistent/dir/f.xml"));
}

TEST(Cmf, ProfilesInAndOut) {
  auto f = ParseCmf(File(Specimen("A", "Unidentified Person",
                                  Locus("TH01", {"6", "7", "8"}) + Locus("DYS19", {"14"}) +
                                      Locus("FGA", {"22", "22"}) + Locus("AMEL", {"X"}))),
                    "p.xml");
  ASSERT_TRUE(f) << f.error().ToString();
  EXPECT_EQ(f->specimens[0].loci[2].alleles, (std::vector<std::string>{"22"}));  // once
  std::vector<std::string> warnings;
  auto p = CmfProfile(f->specimens[0], &warnings);
  ASSERT_EQ(p.markers.size(), 1u);
  EXPECT_EQ(p.markers.at("FGA").ToString(), "22/22");
  EXPECT_EQ(p.amelogenin_sex, kinship::Sex::kFemale);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("specimen A, locus TH01: 3 alleles (6, 7, 8): a possible mixture"),
            std::string::npos)
      << warnings[0];
  EXPECT_NE(warnings[1].find("DYS19: a Y-chromosome locus"), std::string::npos) << warnings[1];

  kinship::Profile q{"Q",
                     {{"TH01", {"6", std::nullopt}}, {"XYZ1", {"1", "2"}}, {"VWA", {"16", "17"}}},
                     std::nullopt};
  std::vector<std::string> left_out;
  auto loci = CmfLociOf(q, "u", "2026-01-02T03:04:05", &left_out);
  ASSERT_EQ(loci.size(), 1u);
  EXPECT_EQ(loci[0].name, "VWA");
  ASSERT_EQ(left_out.size(), 2u);
  EXPECT_NE(left_out[0].find("TH01: the call 6/- has an allele not designated"), std::string::npos);
  EXPECT_NE(left_out[1].find("XYZ1: no CODIS locus name"), std::string::npos);
  // The writer refuses what would not read back the same.
  CmfFile bad;
  bad.destination_ori = "X";
  bad.source_lab = "Y";
  bad.submit_by_user_id = "u";
  bad.submit_datetime = "yesterday";
  bad.specimens.push_back({"A", "Deceased", "", "", "", std::nullopt, loci, 0});
  auto text = FormatCmf(bad);
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("SUBMITDATETIME is not a date"), std::string::npos);
  bad.submit_datetime = "2026-01-02T03:04:05";
  bad.specimens[0].category = "Convicted Offender";
  ASSERT_FALSE(FormatCmf(bad));
  bad.specimens[0].category = "Deceased";
  bad.specimens[0].loci[0].name = "XYZ1";
  auto unnamed = FormatCmf(bad);
  ASSERT_FALSE(unnamed);
  EXPECT_NE(unnamed.error().message.find("no CODIS locus name"), std::string::npos);
}

// Damaged files (cut, bytes changed or inserted) give a value or an error naming the file, never a
// crash; what reads and writes reads back the same.
RC_GTEST_PROP(CmfProperty, DamagedFilesGiveAValueOrAnError, ()) {
  static const std::string golden = Slurp(kGolden);
  RC_PRE(!golden.empty());
  std::string text = golden;
  const int edits = *rc::gen::inRange(0, 4);
  for (int i = 0; i < edits && !text.empty(); ++i) {
    const size_t at = *rc::gen::inRange<size_t>(0, text.size());
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        text.resize(at);
        break;
      case 1:
        if (at < text.size())
          text[at] = *rc::gen::element('<', '>', '/', '&', '"', 'A', '\0', '\n', ' ', '9');
        break;
      default:
        text.insert(at, *rc::gen::element<std::string>("<X>", "</LOCUS>", "&amp;", "<![CDATA[7]]>",
                                                       "\xff", "<!-- c -->"));
    }
  }
  auto r = ParseCmf(text, "d.xml");
  if (!r) {
    RC_ASSERT(r.error().field.rfind("d.xml", 0) == 0);
    return;
  }
  auto written = FormatCmf(*r);
  if (!written) {  // a locus the file names but CODIS's table has not: refused on writing only
    RC_ASSERT(written.error().message.find("no CODIS locus name") != std::string::npos);
    return;
  }
  auto back = ParseCmf(*written, "w.xml");
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == *r);
}

}  // namespace
}  // namespace whereabouts::io
