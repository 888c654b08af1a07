// Use cases of sites and hazard areas (app/sites.h) on an in-memory register.
#include "app/sites.h"

#include <gtest/gtest.h>

#include "app/memory_register.h"

namespace whereabouts::app {
namespace {

using testing::D;
using testing::Meta;
using testing::MemoryRegister;

// A square of about 1.1 km around (44.5, 40.2).
std::vector<registry::Polygon> Square() {
  return {registry::Polygon{{{44.495, 40.195}, {44.505, 40.195}, {44.505, 40.205}, {44.495, 40.205}},
                            {}}};
}

class SitesTest : public ::testing::Test {
 protected:
  int64_t Hazard(registry::HazardStatus status) {
    auto h = AddHazard(reg_.registry, {Meta(), "North field", status, Square()});
    EXPECT_TRUE(h) << h.error().ToString();
    return h ? h->entity_id : 0;
  }
  AddSiteRequest Site(const std::string& name, double lon, double lat) {
    AddSiteRequest req;
    req.meta = Meta();
    req.name = name;
    req.location = {lon, lat};
    return req;
  }
  MemoryRegister reg_;
};

TEST_F(SitesTest, AddSiteStoresItsFieldsAndFlagsOnlyItself) {
  const int64_t hazard = Hazard(registry::HazardStatus::kConfirmed);
  auto inside = AddSite(reg_.registry, Site("Well", 44.5, 40.2));
  ASSERT_TRUE(inside) << inside.error().ToString();
  ASSERT_EQ(inside->flags.size(), 1u);
  EXPECT_TRUE(inside->flags[0].inside);
  EXPECT_EQ(inside->flags[0].hazard_id, hazard);
  EXPECT_EQ(inside->flags[0].site_id, inside->id);

  AddSiteRequest far = Site("Cave", 44.9, 40.9);
  far.village = "Olvazi";
  far.discovered_on = D("2023-07-01");
  auto away = AddSite(reg_.registry, far);
  ASSERT_TRUE(away) << away.error().ToString();
  EXPECT_TRUE(away->flags.empty());  // the first site's flag is not this site's
  EXPECT_NE(away->id, inside->id);

  auto list = ListSites(reg_.registry, std::nullopt, 500);
  ASSERT_TRUE(list) << list.error().ToString();
  ASSERT_EQ(list->sites.size(), 2u);
  const registry::Site& cave = list->sites.at(away->id);
  EXPECT_EQ(cave.name, "Cave");
  EXPECT_EQ(cave.site_kind, "mass_grave");
  EXPECT_EQ(cave.village, "Olvazi");
  EXPECT_DOUBLE_EQ(cave.location.lon, 44.9);
  ASSERT_TRUE(cave.discovered_on);
  EXPECT_EQ(*cave.discovered_on, D("2023-07-01"));
  EXPECT_EQ(FlagsOf(list->flags, inside->id).size(), 1u);
  EXPECT_TRUE(FlagsOf(list->flags, away->id).empty());
}

TEST_F(SitesTest, NearbySiteIsFlaggedWithItsDistance) {
  Hazard(registry::HazardStatus::kSuspected);
  // About 170 m east of the square's edge.
  auto near = AddSite(reg_.registry, Site("Grave", 44.507, 40.2));
  ASSERT_TRUE(near);
  ASSERT_EQ(near->flags.size(), 1u);
  EXPECT_FALSE(near->flags[0].inside);
  EXPECT_GT(near->flags[0].distance_m, 100);
  EXPECT_LT(near->flags[0].distance_m, 250);
}

TEST_F(SitesTest, ExcavationInsideAnUnclearedHazardIsRefusedUntilCleared) {
  const int64_t hazard = Hazard(registry::HazardStatus::kConfirmed);
  auto site = AddSite(reg_.registry, Site("Well", 44.5, 40.2));
  ASSERT_TRUE(site);
  const int64_t before = reg_.Seq();
  auto refused = ExcavateSite(reg_.registry, {Meta(), site->id, D("2024-02-01"), "team 2", ""});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message.find("inside hazard area"), std::string::npos)
      << refused.error().ToString();
  EXPECT_EQ(reg_.Seq(), before);

  auto cleared =
      ChangeHazardStatus(reg_.registry, {Meta(), hazard, registry::HazardStatus::kCleared});
  ASSERT_TRUE(cleared) << cleared.error().ToString();
  auto hazards = ListHazards(reg_.registry, std::nullopt);
  ASSERT_TRUE(hazards);
  EXPECT_EQ(hazards->at(hazard).status, registry::HazardStatus::kCleared);
  auto done = ExcavateSite(reg_.registry, {Meta(), site->id, D("2024-02-01"), "team 2", "bones"});
  ASSERT_TRUE(done) << done.error().ToString();
  auto list = ListSites(reg_.registry, std::nullopt, 500);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->sites.at(site->id).excavations, 1);
  EXPECT_EQ(list->sites.at(site->id).findings, "bones");
  EXPECT_TRUE(list->flags.empty());  // a cleared area flags nothing
}

TEST_F(SitesTest, StatusOfUnknownHazardIsRefused) {
  auto r = ChangeHazardStatus(reg_.registry, {Meta(), 7, registry::HazardStatus::kCleared});
  ASSERT_FALSE(r);
  EXPECT_EQ(reg_.Seq(), 0);
}

TEST_F(SitesTest, HazardWithoutPolygonIsRefused) {
  auto r = AddHazard(reg_.registry, {Meta(), "Empty", registry::HazardStatus::kSuspected, {}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(reg_.Seq(), 0);
}

TEST_F(SitesTest, RetriedRequestWithTheSameKeyRecordsOnce) {
  AddSiteRequest req = Site("Well", 44.5, 40.2);
  req.meta.idempotency_key = "req-1";
  auto first = AddSite(reg_.registry, req);
  auto second = AddSite(reg_.registry, req);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->id, second->id);
  EXPECT_EQ(reg_.Seq(), 1);
}

}  // namespace
}  // namespace whereabouts::app
