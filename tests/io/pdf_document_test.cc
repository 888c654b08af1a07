// The PDF renderer and the templates: every script in one document, fonts embedded, the same
// document giving the same bytes, and templates that name their mistakes.
#include "io/pdf/pdf_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

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

}  // namespace
}  // namespace whereabouts::io::pdf
