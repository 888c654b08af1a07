// The DNA evidence recorded with a proposal (registry/identification_evidence.h): what is encoded
// reads back the same, numbers included to the last bit; text with tabs and line breaks survives;
// malformed text is refused naming its line. All data synthetic.
#include "registry/identification_evidence.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace whereabouts::registry {
namespace {

ProposalEvidence Sample() {
  ProposalEvidence ev;
  ev.individual = "I-3";
  ev.family = "F\t7";  // a tab inside a field
  ev.missing = "MP";
  ev.lr = 123456789.12345678;
  ev.posterior = 0.99991234567890123;
  ev.software = "whereabouts 0.1.0";
  ev.assumptions = {{"theta (co-ancestry)", "0.01"}, {"note", "two\nlines \\ here"}};
  ev.pedigree = {{"F", "male", "", "", "reference", "F7-F", "12"},
                 {"M", "female", "", "", "untyped", "", ""},
                 {"MP", "male", "F", "M", "missing", "", "31"}};
  ev.samples = {{"s:remains:0:S1", "remains", "S1", "", "BAG-1"},
                {"s:ref:F7-F", "reference", "F7-F", "F", ""}};
  ev.markers = {{"D3S1358", 2.5, 1000, 12, {"15/16", "15/17"}},
                {"VWA", 1.0 / 3.0, 0, 9, {"", "14/14"}}};
  return ev;
}

TEST(IdentificationEvidenceTest, RoundTripsExactly) {
  const ProposalEvidence ev = Sample();
  const std::string text = EncodeEvidence(ev);
  auto back = DecodeEvidence(text);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->individual, ev.individual);
  EXPECT_EQ(back->family, ev.family);
  EXPECT_EQ(back->lr, ev.lr);
  EXPECT_EQ(back->posterior, ev.posterior);
  EXPECT_EQ(back->software, ev.software);
  EXPECT_EQ(back->assumptions, ev.assumptions);
  EXPECT_EQ(back->Assumption("note"), "two\nlines \\ here");
  EXPECT_EQ(back->Assumption("absent"), "");
  ASSERT_EQ(back->pedigree.size(), 3u);
  EXPECT_EQ(back->pedigree[2].father, "F");
  EXPECT_EQ(back->pedigree[0].person, "12");
  EXPECT_EQ(back->samples[0].bag, "BAG-1");
  ASSERT_EQ(back->markers.size(), 2u);
  EXPECT_EQ(back->markers[1].lr, 1.0 / 3.0);
  EXPECT_EQ(back->markers[1].calls, (std::vector<std::string>{"", "14/14"}));
  EXPECT_EQ(back->markers[0].database_size, 1000);
  EXPECT_EQ(EncodeEvidence(*back), text);  // and encodes to the same text
}

TEST(IdentificationEvidenceTest, ListsOfSeveralRoundTrip) {
  ProposalEvidence a = Sample(), b = Sample();
  b.individual = "I-4";
  b.lr = std::numeric_limits<double>::infinity();
  auto back = DecodeEvidenceList(EncodeEvidenceList({a, b}));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].individual, "I-4");
  EXPECT_TRUE(std::isinf((*back)[1].lr));
  auto empty = DecodeEvidenceList("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST(IdentificationEvidenceTest, MalformedTextIsRefusedNamingTheLine) {
  const std::string good = EncodeEvidence(Sample());
  struct Case {
    std::string text, expected;
  };
  std::string no_end = good.substr(0, good.rfind("end\n"));
  std::string bad_marker = good;
  bad_marker.replace(bad_marker.find("\t2.5\t"), 5, "\tx\t");
  std::string short_marker = good;
  short_marker.replace(short_marker.find("\t15/16\t15/17"), 12, "\t15/16");
  // A sample after a marker line (found by fuzz_identification_evidence): the marker's calls were
  // counted against the samples before it, so written back the list would not read again.
  const std::string late_sample =
      "whereabouts-evidence/1\n"
      "sample\ts:remains:0:S1\tremains\tS1\t\tBAG-1\n"
      "marker\tD3S1358\t2.5\t1000\t12\t15/16\n"
      "sample\ts:ref:F7-F\treference\tF7-F\tF\t\n"
      "end\n";
  const Case cases[] = {
      {"whereabouts-evidence/9\nend\n", "evidence line 1"},
      {late_sample, "sample after a marker"},
      {no_end, "no \"end\""},
      {good + "junk\n", "text after"},
      {bad_marker, "not a number"},
      {short_marker, "expected 7"},
      {"whereabouts-evidence/1\nwhat\t1\nend\n", "evidence line 2: unknown record"},
  };
  for (const Case& c : cases) {
    auto r = DecodeEvidence(c.text);
    ASSERT_FALSE(r.has_value()) << c.text;
    EXPECT_NE(r.error().ToString().find(c.expected), std::string::npos) << r.error().ToString();
  }
}

}  // namespace
}  // namespace whereabouts::registry
