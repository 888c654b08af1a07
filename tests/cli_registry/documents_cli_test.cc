// End-to-end tests of the documents (`report certificate absence|death`, `report letter`,
// `report figures --pdf`): the names in every script and the chain head in the PDF's text, every
// font embedded, the same register giving the same bytes, and a refused document naming its
// reason and writing nothing. Every name is synthetic.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_registry/cli_util.h"
#include "io/pdf_tools.h"

namespace whereabouts::testing {
namespace {

const char* const kOtherNames[] = {"Тестова Марина", "Փորձյան Մարինա", "ტესტაძე მარინა",
                                   "تجربة مارينا"};

bool HavePoppler() { return HaveTool("pdftotext") && HaveTool("pdffonts"); }
constexpr const char* kNoPoppler =
    "pdftotext/pdffonts not found: install poppler-utils to check the documents' text and fonts";

// Renders the first page of `pdf` to build/artefacts/documents/NAME-1.png (pdftoppm), kept for
// review; true when the PNG was written.
bool KeepPageImage(const std::string& pdf, const std::string& name) {
  if (!HaveTool("pdftoppm")) return false;
  const std::filesystem::path dir = std::filesystem::path(WHEREABOUTS_ARTEFACTS_DIR) / "documents";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::string prefix = (dir / name).string();
  CommandOutput("pdftoppm -png -r 60 -f 1 -l 2 '" + pdf + "' '" + prefix + "' 2>/dev/null");
  return std::filesystem::exists(prefix + "-1.png") || std::filesystem::exists(prefix + "-01.png");
}

class DocumentsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string add =
        "person add --family-name Testova --given-name Marina --sex female --born 1971-04-02 "
        "--disappeared 1993-05-01 --place 'Test valley'";
    for (const char* n : kOtherNames) add += std::string(" --other-name '") + n + "'";
    ASSERT_EQ(Wb(dir_, add).rc, 0);                                           // 1: missing
    ASSERT_EQ(Wb(dir_, "person add --family-name Probe --sex male").rc, 0);   // 2: identified
    ASSERT_EQ(Wb(dir_, "person add --family-name Sample --sex male").rc, 0);  // 3: withdrawn
    ASSERT_EQ(Wb(dir_, "person update 3 --event withdrawn --reason 'registered twice'").rc, 0);
    RunResult r = Wb(dir_,
                     "identification propose 2 --date 2024-05-05 --remains B-1 --by lab "
                     "--reason 'DNA match'");
    ASSERT_EQ(r.rc, 0) << r.err;
    r = Wb(dir_, "identification confirm 1 --by reviewer --reason 'DNA and dental'");
    ASSERT_EQ(r.rc, 0) << r.err;
  }
  std::string Head() {
    const RunResult r = Wb(dir_, "report chain");
    const size_t at = r.out.find("hash ");
    return at == std::string::npos ? "" : r.out.substr(at + 5, 64);
  }
  bool Exists(const std::string& name) { return std::filesystem::exists(dir_.File(name)); }
  TempDir dir_;
};

TEST_F(DocumentsCliTest, CertificateOfAbsenceInEveryScript) {
  RunResult r = Wb(dir_, "report certificate absence 1 --pdf a.pdf");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "wrote the certificate of absence of person 1 to a.pdf")) << r.out;
  // Byte-identical from the same register state (a second process, a second file).
  ASSERT_EQ(Wb(dir_, "report certificate absence 1 --pdf b.pdf").rc, 0);
  const std::string a = Slurp(dir_.File("a.pdf"));
  EXPECT_EQ(a.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(a, Slurp(dir_.File("b.pdf")));
  if (!HavePoppler()) GTEST_SKIP() << kNoPoppler;
  const std::string text = PdfText(dir_.File("a.pdf"));
  const std::string squeezed = Squeeze(text);
  EXPECT_TRUE(Has(text, "Certificate of absence")) << text;
  EXPECT_TRUE(Has(text, "Testova Marina")) << text;
  for (const char* n : kOtherNames) EXPECT_TRUE(Has(squeezed, Squeeze(n))) << n << "\n" << text;
  const std::string head = Head();
  ASSERT_EQ(head.size(), 64u);
  EXPECT_TRUE(Has(squeezed, head)) << text;
  // Wherever the hash is printed (and wrapped), it copies out whole: no hyphen is inserted.
  int hashes = 0;
  for (size_t at = squeezed.find(head.substr(0, 12)); at != std::string::npos;
       at = squeezed.find(head.substr(0, 12), at + 1)) {
    EXPECT_EQ(squeezed.substr(at, 64), head) << text;
    ++hashes;
  }
  EXPECT_GE(hashes, 3) << text;  // the register table, the closing sentence, every footer
  EXPECT_TRUE(Has(text, "Test valley")) << text;
  EXPECT_TRUE(Has(text, "1993-05-01")) << text;
  int fonts = 0;
  const std::string listing = PdfFonts(dir_.File("a.pdf"));
  EXPECT_TRUE(AllFontsEmbedded(listing, &fonts)) << listing;
  EXPECT_GE(fonts, 4) << listing;
  EXPECT_TRUE(KeepPageImage(dir_.File("a.pdf"), "certificate-absence"));
}

TEST_F(DocumentsCliTest, RefusedCertificatesNameTheirReasonAndWriteNothing) {
  RunResult r = Wb(dir_, "report certificate absence 2 --pdf x.pdf");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "no certificate of absence: person 2 is not missing: identified"))
      << r.err;
  r = Wb(dir_, "report certificate absence 3 --pdf x.pdf");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "person 3 was withdrawn")) << r.err;
  r = Wb(dir_, "report certificate absence 9 --pdf x.pdf");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "no person 9")) << r.err;
  // Death: the identification of person 2 is confirmed but not signed off; person 1 has none.
  r = Wb(dir_, "report certificate death 2 --pdf x.pdf");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "confirmed identification (proposal 1) that is not signed off")) << r.err;
  r = Wb(dir_, "report certificate death 1 --pdf x.pdf");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "neither a confirmed, signed-off identification nor a reported death"))
      << r.err;
  r = Wb(dir_, "report letter 1 --pdf x.pdf");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "no notification letter: proposal 1 is confirmed but not signed off"))
      << r.err;
  r = Wb(dir_, "report letter 7 --pdf x.pdf");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "no proposal 7")) << r.err;
  EXPECT_FALSE(Exists("x.pdf"));
}

TEST_F(DocumentsCliTest, DeathCertificateAndLetterAfterSignOff) {
  ASSERT_EQ(Wb(dir_, "identification sign-off 1 --by supervisor --reason 'file checked'").rc, 0);
  RunResult r = Wb(dir_, "report certificate death 2 --pdf d.pdf");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "resting on identification 1")) << r.out;
  r = Wb(dir_, "report letter 1 --pdf l.pdf");
  ASSERT_EQ(r.rc, 0) << r.err;
  // A reported death supports a death certificate too.
  ASSERT_EQ(Wb(dir_, "person update 1 --event reported_dead --set death_date=1993-06-01").rc, 0);
  r = Wb(dir_, "report certificate death 1 --pdf r.pdf");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "resting on a reported death")) << r.out;
  if (!HavePoppler()) GTEST_SKIP() << kNoPoppler;
  EXPECT_TRUE(Has(PdfText(dir_.File("d.pdf")), "Certificate of death"));
  const std::string letter = PdfText(dir_.File("l.pdf"));
  EXPECT_TRUE(Has(letter, "Notification of identification")) << letter;
  EXPECT_TRUE(Has(letter, "supervisor")) << letter;
  EXPECT_TRUE(Has(Squeeze(PdfText(dir_.File("r.pdf"))), Squeeze(kOtherNames[3])));
  EXPECT_TRUE(KeepPageImage(dir_.File("d.pdf"), "certificate-death"));
  EXPECT_TRUE(KeepPageImage(dir_.File("l.pdf"), "notification-letter"));
}

TEST_F(DocumentsCliTest, FiguresReportWithChartsAndDefinitions) {
  RunResult r = Wb(dir_, "report figures --pdf f.pdf");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "wrote the figures report now to f.pdf")) << r.out;
  ASSERT_EQ(Wb(dir_, "report figures --pdf g.pdf").rc, 0);
  EXPECT_EQ(Slurp(dir_.File("f.pdf")), Slurp(dir_.File("g.pdf")));
  // As of a date before anything was recorded: an empty register, still a document.
  r = Wb(dir_, "report figures --pdf e.pdf --as-of 2000-01-01");
  ASSERT_EQ(r.rc, 0) << r.err;
  if (!HavePoppler()) GTEST_SKIP() << kNoPoppler;
  const std::string text = PdfText(dir_.File("f.pdf"));
  EXPECT_TRUE(Has(text, "Figures of the register")) << text;
  EXPECT_TRUE(Has(text, "Definitions")) << text;
  EXPECT_TRUE(Has(text, "children (under 18)")) << text;
  EXPECT_TRUE(Has(Squeeze(text), Head())) << text;
  int fonts = 0;
  EXPECT_TRUE(AllFontsEmbedded(PdfFonts(dir_.File("f.pdf")), &fonts));
  EXPECT_TRUE(KeepPageImage(dir_.File("f.pdf"), "figures"));
}

TEST_F(DocumentsCliTest, AMissingTemplateIsNamed) {
  const RunResult r = Wb(dir_, "report certificate absence 1 --pdf a.pdf --lang xx");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "no template certificate-absence.xx.txt")) << r.err;
  EXPECT_FALSE(Exists("a.pdf"));
}

// Cells of a simple CSV line (no quotes in the columns read here).
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

// The identification report of a proposal recorded by a real run: the demo's register and DNA,
// `identify` (which writes evidence.txt) and `import identifications` (which records it with the
// proposals). The report carries the person's names in every script, the LR and posterior as
// the register has them, every marker's LR from the run's evidence, the pedigree's members, the
// assumptions and the chain head; its fonts are embedded; two renderings are byte-identical. The
// demo's own proposals (recorded without evidence) and unknown proposals are refused.
TEST(IdentificationReportCliTest, ReportOfAnImportedRunAndItsRefusals) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "demo --dna dna").rc, 0);
  RunResult r = Wb(dir,
                   "identify --families dna/families.csv --references dna/references.tsv "
                   "--remains dna/remains.csv --remains-alleles dna/remains-alleles.tsv "
                   "--frequencies dna/frequencies.tsv --out idout --quiet");
  ASSERT_EQ(r.rc, 0) << r.err;
  ASSERT_TRUE(std::filesystem::exists(dir.File("idout/evidence.txt")));
  r = Wb(dir,
         "import identifications idout/identifications.csv --families dna/families.csv "
         "--individuals idout/individuals.csv --remains dna/remains.csv --by lab");
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto list = nlohmann::json::parse(Wb(dir, "identification list --json").out);
  const nlohmann::json* run_proposal = nullptr;
  const nlohmann::json* demo_proposal = nullptr;
  for (const auto& p : list) {
    if (p.value("run", "").empty()) {
      if (demo_proposal == nullptr) demo_proposal = &p;
    } else if (run_proposal == nullptr && !p.value("ambiguous", false)) {
      run_proposal = &p;
    }
  }
  ASSERT_NE(run_proposal, nullptr) << list.dump();
  ASSERT_NE(demo_proposal, nullptr) << list.dump();
  const std::string id = std::to_string((*run_proposal)["proposal"].get<int64_t>());
  const std::string person = std::to_string((*run_proposal)["person"].get<int64_t>());
  std::string names;
  for (const char* n : kOtherNames) names += (names.empty() ? "" : "|") + std::string(n);
  r = Wb(dir, "person update " + person + " --event corrected --set 'other_names=" + names +
                  "' --by clerk --reason 'spellings from the family'");
  ASSERT_EQ(r.rc, 0) << r.err;

  r = Wb(dir, "report identification " + id + " --pdf id.pdf");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "wrote the identification report of proposal " + id)) << r.out;
  ASSERT_EQ(Wb(dir, "report identification " + id + " --pdf id2.pdf").rc, 0);
  const std::string bytes = Slurp(dir.File("id.pdf"));
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(bytes, Slurp(dir.File("id2.pdf")));

  // Refusals: a demo proposal has no evidence; an unknown proposal; nothing written.
  const std::string demo_id = std::to_string((*demo_proposal)["proposal"].get<int64_t>());
  RunResult refused = Wb(dir, "report identification " + demo_id + " --pdf x.pdf");
  EXPECT_EQ(refused.rc, 2);
  EXPECT_TRUE(OneErrorLine(refused)) << refused.err;
  EXPECT_TRUE(Has(refused.err, "no identification report for proposal " + demo_id +
                                   ": it records no DNA evidence"))
      << refused.err;
  refused = Wb(dir, "report identification 999999 --pdf x.pdf");
  EXPECT_EQ(refused.rc, 2);
  EXPECT_TRUE(Has(refused.err, "no proposal 999999")) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("x.pdf")));

  if (!HavePoppler()) GTEST_SKIP() << kNoPoppler;
  const std::string text = PdfText(dir.File("id.pdf"));
  const std::string squeezed = Squeeze(text);
  EXPECT_TRUE(Has(text, "DNA identification report")) << text;
  for (const char* n : kOtherNames) EXPECT_TRUE(Has(squeezed, Squeeze(n))) << n << "\n" << text;
  EXPECT_TRUE(Has(squeezed, Squeeze((*run_proposal)["lr"].get<std::string>()))) << text;
  EXPECT_TRUE(Has(squeezed, Squeeze((*run_proposal)["posterior"].get<std::string>()))) << text;
  EXPECT_TRUE(Has(squeezed, (*run_proposal)["run"].get<std::string>())) << text;
  // The chain head the report was read at.
  const std::string chain = Wb(dir, "report chain").out;
  const size_t at = chain.find("hash ");
  ASSERT_NE(at, std::string::npos) << chain;
  EXPECT_TRUE(Has(squeezed, chain.substr(at + 5, 64))) << chain;
  // Every marker of the run's evidence, and every member of the family's pedigree.
  const std::string evidence = Slurp(dir.File("idout/evidence.txt"));
  const std::string individual = (*run_proposal)["individual"];
  const std::string block_start = "individual\t" + individual + "\nfamily\t" +
                                  (*run_proposal)["family"].get<std::string>() + "\n";
  const size_t block = evidence.find(block_start);
  ASSERT_NE(block, std::string::npos);
  const std::string own = evidence.substr(block, evidence.find("\nend\n", block) - block);
  int markers = 0, members = 0;
  std::istringstream lines(own);
  for (std::string line; std::getline(lines, line);) {
    const auto f = Cells(line);
    if (line.rfind("marker\t", 0) == 0) {
      ++markers;
      const std::string name = line.substr(7, line.find('\t', 7) - 7);
      EXPECT_TRUE(Has(squeezed, name)) << name;  // a long name may wrap in its cell
    } else if (line.rfind("member\t", 0) == 0) {
      ++members;
    }
  }
  EXPECT_GE(markers, 10) << own;
  EXPECT_GE(members, 2) << own;
  EXPECT_TRUE(Has(squeezed, Squeeze("Mutation (transmissions from fathers)"))) << text;
  EXPECT_TRUE(Has(squeezed, Squeeze("Theta"))) << text;
  EXPECT_TRUE(Has(squeezed, Squeeze("frequencies.tsv, SHA-256"))) << text;
  EXPECT_TRUE(Has(squeezed, Squeeze("Proposed by, on"))) << text;
  int fonts = 0;
  const std::string listing = PdfFonts(dir.File("id.pdf"));
  EXPECT_TRUE(AllFontsEmbedded(listing, &fonts)) << listing;
  EXPECT_GE(fonts, 4) << listing;
  EXPECT_TRUE(KeepPageImage(dir.File("id.pdf"), "identification-report"));
}

}  // namespace
}  // namespace whereabouts::testing
