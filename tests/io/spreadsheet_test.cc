// Spreadsheet-injection neutralisation of the CSV files written for people (io/delimited.h), and
// that the files our own readers read back keep their exact cells.
#include <gtest/gtest.h>

#include "io/delimited.h"
#include "io/list_csv.h"

namespace whereabouts::io {
namespace {

TEST(SpreadsheetTest, FormulaCellsGetAQuote) {
  for (const std::string cell : {"=HYPERLINK(\"http://x\",\"y\")", "+1", "@SUM(A1:A2)", "-2+3",
                                 "\tx", "\rx", "-cmd|' /C calc'!A0"}) {
    EXPECT_TRUE(LooksLikeFormula(cell)) << cell;
    EXPECT_EQ(NeutraliseFormulaCell(cell), "'" + cell);
    EXPECT_EQ(RestoreFormulaCell(NeutraliseFormulaCell(cell)), cell);
  }
}

TEST(SpreadsheetTest, NumbersAndPlainTextAreLeftAlone) {
  for (const std::string cell : {"-5", "-0.25", "-1e-3", "-inf", "-", "", "Velani", "'quoted",
                                 "'-5", "1970..1975", "2024-01-10"}) {
    EXPECT_FALSE(LooksLikeFormula(cell)) << cell;
    EXPECT_EQ(NeutraliseFormulaCell(cell), cell);
    EXPECT_EQ(RestoreFormulaCell(cell), cell);
  }
}

TEST(SpreadsheetTest, NeutralisationIsUndoneExactly) {
  // A cell that already begins with quotes before a formula gets one more, so that the reader
  // gives back the cell as it was.
  for (const std::string cell : {"'=x", "''+1", "'@a"}) {
    EXPECT_EQ(NeutraliseFormulaCell(cell), "'" + cell);
    EXPECT_EQ(RestoreFormulaCell(NeutraliseFormulaCell(cell)), cell);
  }
}

TEST(SpreadsheetTest, TheListExportIsNeutralisedAndReadsBack) {
  registry::ListEntry e;
  e.id = 7;
  e.family_name = "=HYPERLINK(\"http://evil\",\"click\")";
  e.given_name = "+1";
  e.father_name = "@SUM(1,2)";
  e.other_names = "'=quoted";
  e.unit = "-";
  e.disappearance_place = "-5";
  const std::string csv = ListToCsv({e});
  EXPECT_NE(
      csv.find(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",'+1,\"'@SUM(1,2)\",''=quoted,"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",-,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",-5,"), std::string::npos) << csv;
  auto back = ListFromCsv(csv);
  ASSERT_TRUE(back) << back.error().ToString();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0], e);
  // Format 1 writes the cells as given.
  EXPECT_NE(ListToCsvV1({e}).find(",+1,"), std::string::npos);
}

TEST(SpreadsheetTest, WritersOfFilesWeReadBackKeepCells) {
  // Allele tables use "-" and the like as designations: the default writer never alters a cell.
  DelimitedWriter w(',');
  w.Row({"=a", "+1", "-", "@x"});
  EXPECT_EQ(w.text(), "=a,+1,-,@x\n");
  DelimitedWriter safe(',', Quoting::kWhenNeeded, Formulas::kNeutralise);
  safe.Row({"=a", "+1", "-", "@x", "-3.5"});
  EXPECT_EQ(safe.text(), "'=a,'+1,-,'@x,-3.5\n");
  EXPECT_EQ(SafeCsvCell("=1,2"), "\"'=1,2\"");
}

}  // namespace
}  // namespace whereabouts::io
