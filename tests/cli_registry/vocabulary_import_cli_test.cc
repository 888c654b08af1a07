// Closed vocabularies on the bulk-import paths, through the real binary: `import relatives`
// normalises each relationship (case, blanks, hyphens) and checks it against the register's
// vocabulary (registry::PedigreeRelationshipWords and older words, extended by the data folder's
// vocabularies.json); an unknown word names its line and column and nothing is written, whatever
// the batch size. `import geojson` refuses a site kind outside the vocabulary the same way.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <string>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

// Runs the binary with WHEREABOUTS_DATA set to `data` (the folder of vocabularies.json).
RunResult WbData(const TempDir& dir, const std::string& data, const std::string& args) {
  return WbEnv(dir, "WHEREABOUTS_DATA='" + data + "'", args);
}

// How often `what` occurs in `text`.
int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The number of events in the register (its chain head).
long Events(const TempDir& dir) {
  const RunResult r = Wb(dir, "report chain");
  const size_t at = r.out.find('#');
  if (r.rc != 0 || at == std::string::npos) return 0;
  return std::stol(r.out.substr(at + 1));
}

TEST(VocabularyImportCliTest, RelationshipsAreNormalisedAndChecked) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani --sex male").rc, 0);
  std::ofstream(dir.File("rel.csv")) << "person,name,relationship,sample,consent\n"
                                        "1,Velani Ana,\"  MOTHER \",REF-1,identification\n"
                                        "1,Velani Lea,Full Sister,REF-2,identification\n"
                                        "1,Velani Ilir,Paternal-Uncle,,none\n"
                                        "1,Velani Dren,paternal  half brother,REF-3,none\n";
  RunResult r = Wb(dir, "import relatives rel.csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "imported 4 relatives")) << r.out;
  r = Wb(dir, "person relatives 1");
  for (const char* word : {" mother ", " sister ", " paternal_uncle ", " paternal_half_brother "}) {
    EXPECT_TRUE(Has(r.out, word)) << word << "\n" << r.out;
  }
  // The words place the relatives in the pedigree.
  r = Wb(dir, "person family 1");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "F1,R2,M~father,R1,female,")) << r.out;  // a full sister
  EXPECT_TRUE(Has(r.out, "F1,R3,M~father~father,M~father~mother,male,")) << r.out;
  EXPECT_TRUE(Has(r.out, "F1,R4,M~father,R4~mother,male,")) << r.out;
}

TEST(VocabularyImportCliTest, AnUnknownWordNamesRowAndColumnAndWritesNothing) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  const long before = Events(dir);
  std::ofstream(dir.File("rel.csv")) << "person,name,relationship,sample,consent\n"
                                        "1,Velani Ana,mother,REF-1,identification\n"
                                        "1,Velani Lea,sister,REF-2,identification\n"
                                        "1,Velani Ilir,best friend,,none\n"
                                        "1,Velani Dren,brother,REF-3,none\n";
  for (const char* batch : {"", " --batch 1"}) {
    RunResult r = Wb(dir, std::string("import relatives rel.csv") + batch);
    EXPECT_EQ(r.rc, 2) << r.out;
    EXPECT_TRUE(OneErrorLine(r)) << r.err;
    EXPECT_TRUE(Has(r.err, "rel.csv:4: relationship")) << r.err;
    EXPECT_TRUE(Has(r.err, "unknown relationship 'best friend' (one of: ")) << r.err;
    EXPECT_FALSE(Has(r.out, "committed")) << r.out;
    EXPECT_EQ(Events(dir), before) << batch;
  }
  // A row without a relationship: the same.
  std::ofstream(dir.File("empty.csv")) << "person,name,relationship\n"
                                          "1,Velani Ana,mother\n"
                                          "1,Velani Lea,\n";
  RunResult r = Wb(dir, "import relatives empty.csv --batch 1");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(Has(r.err, "empty.csv:3: relationship")) << r.err;
  EXPECT_TRUE(Has(r.err, "a relative needs a relationship")) << r.err;
  EXPECT_EQ(Events(dir), before);
  EXPECT_TRUE(Has(Wb(dir, "person relatives 1").out, "0 relatives"));
}

TEST(VocabularyImportCliTest, ConfiguredWordsAreAcceptedNormalisedOnEveryPath) {
  TempDir dir;
  TempDir data;
  std::ofstream(data.File("vocabularies.json"))
      << R"({"relationships": ["step-mother"], "site_kinds": ["mine_shaft"]})";
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  std::ofstream(dir.File("rel.csv")) << "person,name,relationship\n1,Velani Ana,Step Mother\n";
  // Not without the configuration ...
  RunResult r = Wb(dir, "import relatives rel.csv");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(Has(r.err, "rel.csv:2: relationship")) << r.err;
  // ... and with it, on the import and on relative-add alike, recorded as one spelling.
  r = WbData(dir, data.path().string(), "import relatives rel.csv");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = WbData(dir, data.path().string(),
             "person relative-add 1 --name 'Velani Mira' --relationship STEP-MOTHER");
  ASSERT_EQ(r.rc, 0) << r.err;
  r = Wb(dir, "person relatives 1");
  EXPECT_EQ(Count(r.out, " step_mother "), 2) << r.out;
  EXPECT_TRUE(Has(r.out, "2 relatives")) << r.out;
  EXPECT_FALSE(Has(r.out, "Step Mother")) << r.out;
  EXPECT_FALSE(Has(r.out, "STEP-MOTHER")) << r.out;
  // Not placed by its word: left out of the pedigree with the reason.
  r = WbData(dir, data.path().string(), "person family 1");
  EXPECT_TRUE(Has(r.out, "step_mother")) << r.out;

  // Site kinds of a GeoJSON import: refused outside the vocabulary, nothing written.
  const long before = Events(dir);
  std::ofstream(dir.File("sites.geojson")) << R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"Old well","site_kind":"well"},
     "geometry":{"type":"Point","coordinates":[20.005,45.005]}},
    {"type":"Feature","properties":{"name":"Shaft","site_kind":"mine_shaft"},
     "geometry":{"type":"Point","coordinates":[20.006,45.006]}}]})";
  r = Wb(dir, "import geojson sites.geojson");
  EXPECT_EQ(r.rc, 2) << r.out;
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "unknown site kind 'mine_shaft'")) << r.err;
  EXPECT_TRUE(Has(r.err, "Shaft")) << r.err;
  EXPECT_EQ(Events(dir), before);
  r = WbData(dir, data.path().string(), "import geojson sites.geojson");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "imported 0 hazard areas and 2 sites")) << r.out;
}

}  // namespace
}  // namespace whereabouts::testing
