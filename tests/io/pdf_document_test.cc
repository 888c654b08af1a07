// The PDF renderer and the templates: every script in one document, fonts embedded, the same
// document giving the same bytes, and templates that name their mistakes.
#include "io/pdf/pdf_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "io/pdf/document_template.h"
#include "io/pdf/register_documents.h"
#include "io/pdf_tools.h"
#include "store/temp_dir.h"

namespace whereabouts::io::pdf {
namespace {

using ::testing::HasSubstr;
using whereabouts::testing::AllFontsEmbedded;
using whereabouts::testing::HaveTool;
using whereabouts::testing::PdfFonts;
using whereabouts::testing::PdfText;
using whereabouts::testing::Squeeze;
using whereabouts::testing::TempDir;

// Synthetic names, one per script (no real person).
const char* const kNames[] = {"Testperson Alpha", "Тестова Марина", "Փորձյան Արամ", "ტესტაძე ნინო",
                              "تجربة سمير"};

Document Sample() {
  Document d;
  d.title = "Sample document — Образец";
  d.date = "2024-03-05";
  d.footer = "register state: event #42";
  d.blocks.push_back(Heading{"Names"});
  KeyValueTable names;
  for (const char* n : kNames) names.rows.emplace_back(ScriptOf(n), n);
  d.blocks.push_back(names);
  for (int i = 0; i < 40; ++i) {
    d.blocks.push_back(Paragraph{"Paragraph " + std::to_string(i) +
                                 " of a text long enough to wrap over more than one line, so that "
                                 "the pages break between lines of it."});
  }
  d.blocks.push_back(
      Table{{"Row", "Count"}, {{"registered", "12"}, {"identified", "3"}}, {1}, {0, 1}});
  d.blocks.push_back(BarChart{"registered (12)", {{"civilians", 9}, {"servicemen", 3}}});
  return d;
}

TEST(PdfDocument, SameDocumentSameBytes) {
  const Document d = Sample();
  auto a = RenderPdf(d);
  auto b = RenderPdf(d);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->rfind("%PDF-", 0), 0u);
  // The dates are the document's, not the clock's (cairo 1.16 writes them without "D:").
  EXPECT_THAT(*a, HasSubstr("/CreationDate (20240305000000"));
  Document later = d;
  later.date = "2024-03-06";
  auto c = RenderPdf(later);
  ASSERT_TRUE(c.has_value());
  EXPECT_NE(*a, *c);
}

TEST(PdfDocument, RefusesAMalformedDate) {
  Document d = Sample();
  d.date = "5 March 2024";
  auto r = RenderPdf(d);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(PdfDocument, EveryScriptExtractsAndEveryFontIsEmbedded) {
  if (!HaveTool("pdftotext") || !HaveTool("pdffonts")) {
    GTEST_SKIP() << "pdftotext/pdffonts not found: install poppler-utils to check the PDF's text "
                    "and fonts";
  }
  TempDir dir;
  auto bytes = RenderPdf(Sample());
  ASSERT_TRUE(bytes.has_value());
  const std::string path = dir.File("sample.pdf");
  std::ofstream(path, std::ios::binary) << *bytes;
  const std::string text = PdfText(path);
  const std::string squeezed = Squeeze(text);
  for (const char* n : kNames) EXPECT_THAT(squeezed, HasSubstr(Squeeze(n))) << n;
  EXPECT_THAT(text, HasSubstr("page 1 of"));
  EXPECT_THAT(text, HasSubstr("Paragraph 39"));  // after a page break
  int fonts = 0;
  const std::string listing = PdfFonts(path);
  EXPECT_TRUE(AllFontsEmbedded(listing, &fonts)) << listing;
  EXPECT_GE(fonts, 4) << listing;  // Latin/Cyrillic, Armenian, Georgian, Arabic
  EXPECT_THAT(listing, HasSubstr("NotoNaskhArabic"));
  EXPECT_THAT(listing, HasSubstr("NotoSansArmenian"));
  EXPECT_THAT(listing, HasSubstr("NotoSansGeorgian"));
}

TEST(DocumentTemplate, FillsPlaceholdersAndInserts) {
  TemplateValues v;
  v.text["name"] = "Testperson";
  v.blocks["names"] = {KeyValueTable{{{"Latin", "Testperson"}}}};
  const std::string t =
      "# a comment\n"
      "title: Certificate for {name}\n"
      "footer: person {name}\n"
      "First line of {name}'s\n"
      "paragraph, with {{braces}}.\n"
      "\n"
      "heading: Names\n"
      "insert: names\n";
  auto d = DocumentFromTemplate(t, v, "t.en.txt");
  ASSERT_TRUE(d.has_value()) << d.error().ToString();
  EXPECT_EQ(d->title, "Certificate for Testperson");
  EXPECT_EQ(d->footer, "person Testperson");
  ASSERT_EQ(d->blocks.size(), 3u);
  EXPECT_EQ(std::get<Paragraph>(d->blocks[0]).text,
            "First line of Testperson's paragraph, with {braces}.");
  EXPECT_EQ(std::get<Heading>(d->blocks[1]).text, "Names");
  EXPECT_EQ(std::get<KeyValueTable>(d->blocks[2]).rows.size(), 1u);
}

TEST(DocumentTemplate, NamesTheLineOfAMistake) {
  TemplateValues v;
  auto unknown = DocumentFromTemplate("title: T\n\nDear {nobody},\n", v, "letter.en.txt");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().field, "letter.en.txt:3");
  EXPECT_THAT(unknown.error().message, HasSubstr("{nobody}"));
  auto insert = DocumentFromTemplate("title: T\ninsert: charts\n", v, "f.en.txt");
  ASSERT_FALSE(insert.has_value());
  EXPECT_EQ(insert.error().field, "f.en.txt:2");
  auto untitled = DocumentFromTemplate("Only text.\n", v, "u.en.txt");
  ASSERT_FALSE(untitled.has_value());
  auto open = DocumentFromTemplate("title: {name\n", v, "o.en.txt");
  ASSERT_FALSE(open.has_value());
}

TEST(RegisterDocuments, ScriptOfNames) {
  EXPECT_EQ(ScriptOf("Testperson"), "Latin");
  EXPECT_EQ(ScriptOf("Тестова"), "Cyrillic");
  EXPECT_EQ(ScriptOf("Փորձյան"), "Armenian");
  EXPECT_EQ(ScriptOf("ტესტაძე"), "Georgian");
  EXPECT_EQ(ScriptOf("تجربة"), "Arabic");
  EXPECT_EQ(ScriptOf("(Ölmez)"), "Latin");
  EXPECT_EQ(ScriptOf("123"), "other script");
}

TEST(RegisterDocuments, ShippedTemplatesFillWithoutErrors) {
  registry::Person p;
  p.id = registry::PersonId{7};
  p.family_name = "Testperson";
  p.given_name = "Alpha";
  p.other_names = {"Тестова Марина"};
  registry::ChainHead head{12, registry::Date::FromCivil(2024, 3, 5), "ab12"};
  registry::IdentificationProposal id;
  id.id = 3;
  id.person = p.id;
  id.signed_off_on = registry::Date::FromCivil(2024, 3, 4);
  const std::string dir = std::string(WHEREABOUTS_SOURCE_DIR) + "/data/templates/";
  auto read = [&](const std::string& name) {
    std::ifstream in(dir + name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  auto absence = AbsenceCertificateDocument(p, head, read("certificate-absence.en.txt"), "a");
  ASSERT_TRUE(absence.has_value()) << absence.error().ToString();
  EXPECT_EQ(absence->date, "2024-03-05");
  auto death = DeathCertificateDocument(p, &id, head, read("certificate-death.en.txt"), "d");
  ASSERT_TRUE(death.has_value()) << death.error().ToString();
  auto reported = DeathCertificateDocument(p, nullptr, head, read("certificate-death.en.txt"), "d");
  ASSERT_TRUE(reported.has_value()) << reported.error().ToString();
  auto letter = NotificationLetterDocument(p, id, head, read("notification-letter.en.txt"), "l");
  ASSERT_TRUE(letter.has_value()) << letter.error().ToString();
  registry::Figures f;
  f.rows = {{"registered", "registered missing", 2, 0, "person", {1, 2}},
            {"registered.civilian", "civilians", 2, 1, "person", {1, 2}}};
  auto figures = FiguresDocument(f, head, read("figures.en.txt"), "f");
  ASSERT_TRUE(figures.has_value()) << figures.error().ToString();
  bool chart = false;
  for (const Block& b : figures->blocks) chart = chart || std::holds_alternative<BarChart>(b);
  EXPECT_TRUE(chart);
}

// Optional parts "[...]" disappear when a placeholder in them is unknown; "[[" and "]]" are
// brackets; mistakes name the line.
TEST(DocumentTemplate, OptionalPartsDisappearWhenAPlaceholderIsUnknown) {
  const std::map<std::string, std::string> values{
      {"date", "not recorded"}, {"place", "Lower mill"}, {"name", "Alpha"}};
  const std::set<std::string> unknown{"date"};
  auto filled =
      FillPlaceholders("Gone[ on {date}][ at {place}]. [[{name}]]", values, "t:1", unknown);
  ASSERT_TRUE(filled.has_value()) << filled.error().ToString();
  EXPECT_EQ(*filled, "Gone at Lower mill. [Alpha]");
  // Both unknown: the sentence still reads.
  auto both = FillPlaceholders("Gone[ on {date}][ at {place}].", values, "t:1", {"date", "place"});
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(*both, "Gone.");
  // Outside an optional part an unknown value prints its text.
  auto plain = FillPlaceholders("On {date}.", values, "t:1", unknown);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(*plain, "On not recorded.");
  for (const char* bad : {"a [b", "a ]b", "a [b [c] d]"}) {
    auto r = FillPlaceholders(bad, values, "t.en.txt:4", unknown);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_NE(r.error().ToString().find("t.en.txt:4"), std::string::npos) << r.error().ToString();
  }
  // An unknown placeholder inside an optional part is still an error, even when it is dropped.
  EXPECT_FALSE(FillPlaceholders("[ {nobody} {date}]", values, "t:1", unknown).has_value());
}

// The shipped certificate of absence of a person whose date and place of disappearance are not
// recorded: no "on not recorded at not recorded".
TEST(RegisterDocuments, AbsenceCertificateLeavesOutWhatIsNotRecorded) {
  registry::Person p;
  p.id = registry::PersonId{7};
  p.family_name = "Testperson";
  registry::ChainHead head{12, registry::Date::FromCivil(2024, 3, 5), "ab12"};
  const std::string dir = std::string(WHEREABOUTS_SOURCE_DIR) + "/data/templates/";
  std::ifstream in(dir + "certificate-absence.en.txt");
  const std::string text(std::istreambuf_iterator<char>(in), {});
  auto paragraphs = [](const Document& d) {
    std::string all;
    for (const Block& b : d.blocks) {
      if (const auto* para = std::get_if<Paragraph>(&b)) all += para->text + "\n";
    }
    return all;
  };
  auto none = AbsenceCertificateDocument(p, head, text, "a");
  ASSERT_TRUE(none.has_value()) << none.error().ToString();
  EXPECT_NE(paragraphs(*none).find("The person disappeared. "), std::string::npos)
      << paragraphs(*none);
  EXPECT_EQ(paragraphs(*none).find("not recorded"), std::string::npos) << paragraphs(*none);
  p.disappearance_place = "Lower mill";
  p.disappearance_date = registry::Date::FromCivil(1993, 5, 1);
  auto both = AbsenceCertificateDocument(p, head, text, "a");
  ASSERT_TRUE(both.has_value());
  EXPECT_NE(paragraphs(*both).find("The person disappeared on 1993-05-01 at Lower mill."),
            std::string::npos)
      << paragraphs(*both);
}

// The identification report's layout from evidence: the pedigree drawn, a marker table with a
// column per sample, and the result; it renders, byte-identically.
TEST(RegisterDocuments, IdentificationReportLaysOutTheEvidence) {
  registry::Person p;
  p.id = registry::PersonId{31};
  p.family_name = "Testperson";
  p.other_names = {"Тестов", "تجربة"};
  registry::ChainHead head{40, registry::Date::FromCivil(2025, 1, 9), std::string(64, 'c')};
  registry::IdentificationProposal prop;
  prop.id = 5;
  prop.person = p.id;
  prop.lr = "1234567.5";
  prop.posterior = "0.9999";
  prop.run = "abcdef0123456789";
  prop.individual = "I-2";
  prop.family = "F1";
  prop.missing = "MP";
  prop.remains = "BAG-1";
  prop.proposed_by = "lab";
  registry::ProposalEvidence ev;
  ev.individual = "I-2";
  ev.family = "F1";
  ev.missing = "MP";
  ev.lr = 1234567.5;
  ev.posterior = 0.9999;
  ev.software = "whereabouts 0.1.0";
  ev.assumptions = {{"theta (co-ancestry)", "0"}};
  ev.pedigree = {{"F", "male", "", "", "reference", "F1-F", ""},
                 {"M", "female", "", "", "untyped", "", ""},
                 {"MP", "male", "F", "M", "missing", "", "31"},
                 {"W", "female", "", "", "untyped", "", ""},
                 {"C", "unknown", "MP", "W", "reference", "F1-C", ""}};
  ev.samples = {{"s:remains:0:S1", "remains", "S1", "", "BAG-1"},
                {"s:ref:F1-F", "reference", "F1-F", "F", ""},
                {"s:ref:F1-C", "reference", "F1-C", "C", ""}};
  ev.markers = {{"D3S1358", 1234567.5, 1000, 12, {"15/16", "15/17", "16/18"}}};
  const std::vector<registry::Remains> remains;
  const std::map<int64_t, registry::Site> sites;
  const std::map<int64_t, std::vector<registry::Event>> custody;
  const std::vector<std::string> not_found{"BAG-1"};
  const std::vector<registry::IdentificationProposal> others;
  IdentificationReportFacts f;
  f.person = &p;
  f.proposal = &prop;
  f.evidence = &ev;
  f.remains = &remains;
  f.remains_sites = &sites;
  f.custody = &custody;
  f.remains_not_in_register = &not_found;
  f.same_individual = &others;
  std::ifstream in(std::string(WHEREABOUTS_SOURCE_DIR) +
                   "/data/templates/identification-report.en.txt");
  const std::string text(std::istreambuf_iterator<char>(in), {});
  auto doc = IdentificationReportDocument(f, head, text, "identification-report.en.txt");
  ASSERT_TRUE(doc.has_value()) << doc.error().ToString();
  const PedigreeDrawing* drawing = nullptr;
  const Table* markers = nullptr;
  for (const Block& b : doc->blocks) {
    if (const auto* d = std::get_if<PedigreeDrawing>(&b)) drawing = d;
    if (const auto* t = std::get_if<Table>(&b); t && !t->header.empty() && t->header[0] == "Marker")
      markers = t;
  }
  ASSERT_NE(drawing, nullptr);
  ASSERT_EQ(drawing->members.size(), 5u);
  EXPECT_TRUE(drawing->members[2].marked);   // MP
  EXPECT_TRUE(drawing->members[0].shaded);   // F typed
  EXPECT_FALSE(drawing->members[1].shaded);  // M untyped
  ASSERT_NE(markers, nullptr);
  EXPECT_EQ(markers->header.size(), 6u);  // marker, 3 samples, N, LR
  EXPECT_EQ(markers->rows.at(0).at(1), "15/16");
  EXPECT_EQ(markers->rows.at(0).at(4), "1000");
  EXPECT_EQ(markers->rows.at(0).at(5), "1.235e+06");
  EXPECT_EQ(doc->date, "2025-01-09");
  auto a = RenderPdf(*doc);
  ASSERT_TRUE(a.has_value()) << a.error().ToString();
  auto b = RenderPdf(*doc);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace whereabouts::io::pdf
