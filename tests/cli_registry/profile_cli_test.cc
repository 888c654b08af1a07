// End-to-end tests of `remains profile import`: allele tables of register samples become events on
// the remains (with history); unknown samples, unknown markers and bad alleles are refused with one
// error naming the sample, the marker and the line, and nothing is written.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {
namespace {

class ProfileCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Wb(dir_, "remains add --label HB-1 --kind bag --holder Lab").rc, 0);
    ASSERT_EQ(Wb(dir_, "remains sample 1 --sample S-1").rc, 0);
    ASSERT_EQ(Wb(dir_, "remains sample 1 --sample S-2").rc, 0);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name)) << text;
  }
  std::string Show() { return Wb(dir_, "remains show 1").out; }
  const std::string yesterday_ = Yesterday();  // before every event of the test
  const std::string today_ = Today();
  TempDir dir_;
};

TEST_F(ProfileCliTest, ImportsProfilesAsEventsAndShowsThem) {
  EXPECT_TRUE(Has(Show(), "S-1: no profile")) << Show();
  Write("a.tsv",
        "Sample Name\tMarker\tAllele 1\tAllele 2\n"
        "S-1\tD3S1358\t15\t16\n"
        "S-1\tvWA\t17\t\n"
        "S-1\tAMEL\tX\tY\n");
  RunResult r = Wb(dir_, "remains profile import a.tsv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "recorded 1 profiles")) << r.out;
  std::string show = Show();
  EXPECT_TRUE(Has(show,
                  "S-1: profile recorded " + today_ + " from a.tsv (1 version): "
                  "D3S1358=15/16;VWA=17/17;AMEL=X,Y"))
      << show;
  EXPECT_TRUE(Has(show, "S-2: no profile"));
  // A second profile for the sample is a new event: the earlier one stays in the history.
  Write("b.tsv", "Sample Name,Marker,Allele 1,Allele 2\nS-1,D3S1358,15,17\n");
  r = Wb(dir_, "remains profile import b.tsv");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(Show(), "(2 versions): D3S1358=15/17")) << Show();
  // As of the day before (every event here is recorded today), no profile and no remains yet.
  show = Wb(dir_, "remains show 1 --as-of " + yesterday_).out;
  EXPECT_FALSE(Has(show, "D3S1358")) << show;
}

// Importing the same file again records nothing new: a profile equal to the sample's latest one
// is not a new version.
TEST_F(ProfileCliTest, ARerunImportRecordsNothingTwice) {
  Write("a.tsv",
        "Sample Name\tMarker\tAllele 1\tAllele 2\n"
        "S-1\tD3S1358\t15\t16\n"
        "S-2\tD3S1358\t14\t14\n");
  ASSERT_EQ(Wb(dir_, "remains profile import a.tsv").rc, 0);
  const RunResult again = Wb(dir_, "remains profile import a.tsv");
  ASSERT_EQ(again.rc, 0) << again.err;
  EXPECT_TRUE(Has(again.out, "recorded 0 profiles")) << again.out;
  EXPECT_TRUE(Has(again.out, "2 already recorded with the same profile")) << again.out;
  EXPECT_TRUE(Has(Show(), "(1 version): D3S1358=15/16")) << Show();
  // A changed profile for one sample is one new version; the other stays.
  Write("b.tsv", "Sample Name\tMarker\tAllele 1\tAllele 2\nS-1\tD3S1358\t15\t17\nS-2\tD3S1358\t14\t14\n");
  const RunResult changed = Wb(dir_, "remains profile import b.tsv");
  EXPECT_TRUE(Has(changed.out, "recorded 1 profiles")) << changed.out;
  EXPECT_TRUE(Has(Show(), "(2 versions): D3S1358=15/17")) << Show();
}

TEST_F(ProfileCliTest, UnknownSampleRefusedNothingWritten) {
  Write("a.tsv",
        "Sample Name\tMarker\tAllele 1\tAllele 2\n"
        "S-1\tD3S1358\t15\t16\n"
        "S-9\tTH01\t6\t9.3\n");
  const RunResult r = Wb(dir_, "remains profile import a.tsv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "a.tsv:3")) << r.err;
  EXPECT_TRUE(Has(r.err, "sample S-9, marker TH01: no remains of the register have this sample"))
      << r.err;
  EXPECT_TRUE(Has(Show(), "S-1: no profile"));  // the good row was not imported either
}

TEST_F(ProfileCliTest, UnknownMarkerRefused) {
  Write("a.tsv",
        "Sample Name\tMarker\tAllele 1\tAllele 2\n"
        "S-1\tD3S1358\t15\t16\n"
        "S-2\tD99S999\t11\t12\n");
  const RunResult r = Wb(dir_, "remains profile import a.tsv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "a.tsv:3: Marker")) << r.err;
  EXPECT_TRUE(Has(r.err, "sample S-2, marker D99S999: marker not in the frequency database"))
      << r.err;
  EXPECT_TRUE(Has(Show(), "S-1: no profile"));
}

TEST_F(ProfileCliTest, BadAlleleRefused) {
  Write("a.tsv",
        "Sample Name\tMarker\tAllele 1\tAllele 2\n"
        "S-1\tD3S1358\t15\t16\n"
        "S-2\tTH01\t6\t9#3\n");
  const RunResult r = Wb(dir_, "remains profile import a.tsv");
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(OneErrorLine(r)) << r.err;
  EXPECT_TRUE(Has(r.err, "a.tsv:3")) << r.err;
  EXPECT_TRUE(Has(r.err, "sample S-2, marker TH01")) << r.err;
  EXPECT_TRUE(Has(Show(), "S-1: no profile"));
}

}  // namespace
}  // namespace whereabouts::testing
