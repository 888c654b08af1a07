// The demo register gives the figures of the issue exactly, today and as of 2020-01-15.
#include "demo/demo.h"

#include <gtest/gtest.h>

#include "registry/registry.h"
#include "store/memory_store.h"

namespace whereabouts::registry {
namespace {

using demo::DemoEvents;
using demo::kDemoEarlierDate;

class DemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    store_ = new store::MemoryStore;
    geometry_ = new PlanarGeometry;
    registry_ = new Registry(*store_, *geometry_, LegacyHistory{});
    auto stored = registry_->RecordBatch(DemoEvents());
    ASSERT_TRUE(stored) << stored.error().ToString();
  }
  static void TearDownTestSuite() {
    delete registry_;
    delete geometry_;
    delete store_;
  }
  static store::MemoryStore* store_;
  static PlanarGeometry* geometry_;
  static Registry* registry_;
};
store::MemoryStore* DemoTest::store_ = nullptr;
PlanarGeometry* DemoTest::geometry_ = nullptr;
Registry* DemoTest::registry_ = nullptr;

TEST_F(DemoTest, TodaysFigures) {
  auto f = registry_->ComputeFigures(std::nullopt, AgeLimits{});
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->AllAddUp());
  EXPECT_EQ(f->Value("missing"), 3890);
  EXPECT_EQ(f->Value("missing.civilian"), 719);
  EXPECT_EQ(f->Value("missing.civilian.child"), 71);
  EXPECT_EQ(f->Value("missing.civilian.woman"), 267);
  EXPECT_EQ(f->Value("missing.civilian.elderly"), 326);
  EXPECT_EQ(f->Value("captured"), 872);
  EXPECT_EQ(f->Value("captured.serviceman"), 605);
  EXPECT_EQ(f->Value("captured.civilian"), 267);
  EXPECT_EQ(f->Value("captured.civilian.child"), 29);
  EXPECT_EQ(f->Value("captured.civilian.woman"), 98);
  EXPECT_EQ(f->Value("captured.civilian.elderly"), 112);
  EXPECT_EQ(f->Value("icrc_visited"), 54);
  EXPECT_EQ(f->Value("icrc_visited.body_returned"), 17);
  EXPECT_EQ(f->Value("icrc_visited.body_returned.other_party"), 12);
  EXPECT_EQ(f->Value("icrc_visited.body_returned.other_party.ostravel"), 10);
  EXPECT_EQ(f->Value("icrc_visited.body_returned.other_party.kernavik_district"), 2);
  EXPECT_EQ(f->Value("icrc_visited.dead_not_returned"), 33);
  EXPECT_EQ(f->Value("icrc_visited.fate_unknown"), 4);
  EXPECT_EQ(f->Value("remains.commingled"), 67);
  EXPECT_EQ(f->Value("identified.by_source.commingled"), 106);
  EXPECT_EQ(f->Value("identified.by_source.graves"), 118);
  EXPECT_EQ(f->Find("identified.by_source.graves")->label, "from 6 graves");
  EXPECT_EQ(f->Value("identified.by_source.graves.2"), 12);  // the grave of twelve
}

TEST_F(DemoTest, EarlierFigures) {
  auto f = registry_->ComputeFigures(*Date::Parse(kDemoEarlierDate), AgeLimits{});
  ASSERT_TRUE(f);
  EXPECT_TRUE(f->AllAddUp());
  EXPECT_EQ(f->Value("missing"), 3889);
  EXPECT_EQ(f->Value("captured"), 871);
  EXPECT_EQ(f->Value("captured.serviceman"), 604);
}

TEST_F(DemoTest, OneSiteInsideAnUnclearedHazardAndOneNearby) {
  auto flags = registry_->SiteHazards(std::nullopt, 500);
  ASSERT_TRUE(flags);
  int inside = 0, near = 0;
  for (const auto& fl : *flags) (fl.inside ? inside : near)++;
  EXPECT_EQ(inside, 1);
  EXPECT_EQ(near, 1);
}

}  // namespace
}  // namespace whereabouts::registry
