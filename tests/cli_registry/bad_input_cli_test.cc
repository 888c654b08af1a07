// The bad inputs of issue 7 through the real binary: each refused with one line naming the
// problem, exit 2, nothing written; the register stays usable.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

TEST(BadInputCliTest, ABulkRelativeOfAnUnknownPersonIsRefusedAsASingleOneIs) {
  TempDir dir;
  ASSERT_EQ(Wb(dir, "person add --family-name Velani").rc, 0);
  std::ofstream(dir.File("rel.csv")) << "person,name,relationship,sample,consent\n"
                                        "1,Ana,mother,REF-1,identification\n"
                                        "999999,Ben,father,REF-2,identification\n";
  RunResult r = Wb(dir, "import relatives rel.csv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "no person 999999")) << r.err;
  EXPECT_TRUE(Has(Wb(dir, "report chain").out, "1 events"));  // the batch wrote nothing
  r = Wb(dir, "person relative-add 999999 --name Ben --relationship father");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "no person 999999")) << r.err;
}

TEST(BadInputCliTest, AnIdOutOfRangeIsRefusedAndTheRegisterStaysUsable) {
  TempDir dir;
  std::ofstream(dir.File("p.csv")) << "id,family_name\n9223372036854775807,Velani\n";
  RunResult r = Wb(dir, "import persons p.csv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  std::ofstream(dir.File("q.csv")) << "id,family_name\n9007199254740991,Velani\n";
  ASSERT_EQ(Wb(dir, "import persons q.csv").rc, 0);
  // The largest id is taken: the next person add is refused clearly, not with a database error.
  r = Wb(dir, "person add --family-name Morsa");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "out of range")) << r.err;
}

}  // namespace
}  // namespace whereabouts::testing
