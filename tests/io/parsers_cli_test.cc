// The bad inputs of parsers_test.cc through the real binary: each ends as one clear line on
// stderr naming the file and line, exit 2, never "internal error" (exit 1), and nothing written.
// All data is synthetic.
#include <gtest/gtest.h>

#include "cli/cli_runner.h"

namespace whereabouts::testing {
namespace {

bool Has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

void ExpectClearRefusal(const RunResult& r, const std::string& where) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(Has(r.err, "internal error")) << r.err;
  EXPECT_TRUE(Has(r.err, where)) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(ParsersCli, NumberBeyondDoubleInAKinshipCase) {
  TempDir dir;
  const std::string path = dir.Write(
      "k.json", "{\"id\":\"c1\",\"frequencies\":\"f.tsv\",\"markers\":[\"TH01\"],\n"
                "\"theta\":1e400,\"h1\":[],\"h2\":[],\"genotypes\":{}}\n");
  ExpectClearRefusal(RunCli("kinship lr " + path), path + ":2");
}

TEST(ParsersCli, GeoJsonTypeThatIsNotAString) {
  TempDir dir;
  const std::string path = dir.Write("s.geojson", "{\"type\":1}");
  const std::string db = (dir.path() / "r.db").string();
  ExpectClearRefusal(RunCli("import geojson " + path + " --db " + db), path);
}

TEST(ParsersCli, Latin1PersonsCsvMisspelledColumnsAndHugeIds) {
  TempDir dir;
  const std::string db = (dir.path() / "r.db").string();
  const std::string latin1 =
      dir.Write("latin1.csv", "family_name,given_name\nVelani,Arsen\nCaf\xE9,Ana\n");
  ExpectClearRefusal(RunCli("import persons " + latin1 + " --db " + db), latin1 + ":3");
  const std::string misspelled =
      dir.Write("misspelled.csv", "family_name,disapearance_date\nVelani,1992-05-01\n");
  auto r = RunCli("import persons " + misspelled + " --db " + db);
  ExpectClearRefusal(r, misspelled + ":1: disapearance_date");
  EXPECT_TRUE(Has(r.err, "did you mean 'disappearance_date'")) << r.err;
  const std::string huge = dir.Write("huge.csv", "id,family_name\n9223372036854775807,Velani\n");
  ExpectClearRefusal(RunCli("import persons " + huge + " --db " + db), huge + ":2: id");
  const std::string short_row = dir.Write("short.csv", "family_name,given_name,sex\nVelani,A\n");
  ExpectClearRefusal(RunCli("import persons " + short_row + " --db " + db), short_row + ":2");
  // Nothing was imported by any of them.
  auto list = RunCli("person list --db " + db);
  EXPECT_FALSE(Has(list.out, "Velani")) << list.out;
}

}  // namespace
}  // namespace whereabouts::testing
