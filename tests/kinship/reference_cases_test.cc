// Differential test against established software: every case of shared/reference/kinship-cases.json
// (R pedsuite, cross-checked with Familias) must be reproduced to a relative error of 1e-9, total
// and per marker; an expected LR of 0 must come out as exactly 0.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "io/frequency_tsv.h"
#include "io/kinship_case_json.h"
#include "kinship/lr.h"

namespace whereabouts {
namespace {

const std::string kCases = std::string(WHEREABOUTS_SHARED_DIR) + "/reference/kinship-cases.json";

void ExpectClose(double got, double expected, const std::string& what) {
  if (expected == 0.0) {
    EXPECT_EQ(got, 0.0) << what;
    return;
  }
  EXPECT_LE(std::fabs(got - expected) / std::fabs(expected), 1e-9)
      << what << ": got " << got << ", expected " << expected;
}

TEST(ReferenceCases, AllReproducedToOneInABillion) {
  auto file = io::ReadCaseFile(kCases);
  ASSERT_TRUE(file) << file.error().ToString();
  ASSERT_EQ(file->cases.size(), 106u);
  std::map<std::string, kinship::FrequencyDatabase> dbs;
  int checked_markers = 0;
  for (const auto& entry : file->cases) {
    SCOPED_TRACE(entry.kinship_case.id);
    if (!dbs.count(entry.frequencies_path)) {
      auto db = io::ReadFrequencyFile(entry.frequencies_path);
      ASSERT_TRUE(db) << db.error().ToString();
      dbs.emplace(entry.frequencies_path, std::move(*db));
    }
    auto r = kinship::ComputeLr(entry.kinship_case, dbs.at(entry.frequencies_path));
    ASSERT_TRUE(r) << r.error().ToString();
    ASSERT_TRUE(entry.expected.has_value());
    ExpectClose(r->lr, entry.expected->lr, "total LR");
    ASSERT_EQ(r->per_marker.size(), entry.expected->per_marker.size());
    for (const auto& m : r->per_marker) {
      ASSERT_TRUE(entry.expected->per_marker.count(m.marker)) << m.marker;
      ExpectClose(m.lr, entry.expected->per_marker.at(m.marker), "marker " + m.marker);
      ++checked_markers;
    }
    if (entry.expected->lr > 0) {
      EXPECT_NEAR(r->log10_lr, std::log10(entry.expected->lr), 1e-8);
    } else {
      EXPECT_TRUE(std::isinf(r->log10_lr) && r->log10_lr < 0);
    }
  }
  EXPECT_EQ(checked_markers, 106 * 20);
}

// The model families of the reference: each must be present, so that a regression in one of them
// cannot hide behind the others.
TEST(ReferenceCases, CoverEveryModelAndCaseType) {
  auto file = io::ReadCaseFile(kCases);
  ASSERT_TRUE(file);
  std::map<std::string, int> kinds;
  for (const auto& e : file->cases) {
    const auto& k = e.kinship_case;
    kinds[k.id.substr(0, k.id.find('/'))]++;
    kinds[k.mutation.male.ToString().substr(0, 4)]++;
    if (k.theta > 0) kinds["theta"]++;
    if (!k.dropout.empty()) kinds["dropout"]++;
  }
  for (const char* kind : {"pair_PC", "pair_PCX", "pair_FS", "pair_HS", "pair_FC", "pair_DM",
                           "mp_MP1_POI_true", "mp_MP2_POI_false", "mp_MP1_partial_POI_true",
                           "pair_PCD_dropout", "none", "equa", "prop", "step", "theta", "dropout"}) {
    EXPECT_GT(kinds[kind], 0) << kind;
  }
}

}  // namespace
}  // namespace whereabouts
