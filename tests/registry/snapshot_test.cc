#include "registry/snapshot.h"

#include <gtest/gtest.h>

#include "registry/registry.h"
#include "registry/test_util.h"
#include "store/memory_store.h"

namespace whereabouts::registry {
namespace {

using testing::Ev;

Polygon Square(double lon, double lat, double half) {
  Polygon p;
  p.outer = {{lon - half, lat - half},
             {lon + half, lat - half},
             {lon + half, lat + half},
             {lon - half, lat + half}};
  return p;
}

class RegistryRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(registry_.Record(Ev(EntityKind::kHazard, 0, "hazard.registered", "2020-01-01",
                                    {{"name", "North field"},
                                     {"hazard_status", "suspected"},
                                     {"polygons", EncodePolygons({Square(20.0, 45.0, 0.01)})}})));
    // Site 1 inside the hazard, site 2 about 790 m east of its edge (0.01 deg of longitude at
    // 45 degrees north is about 786 m).
    ASSERT_TRUE(registry_.Record(Ev(EntityKind::kSite, 0, "site.registered", "2020-02-01",
                                    {{"name", "Well"}, {"lon", "20.0"}, {"lat", "45.0"}})));
    ASSERT_TRUE(registry_.Record(Ev(EntityKind::kSite, 0, "site.registered", "2020-02-01",
                                    {{"name", "Trench"}, {"lon", "20.02"}, {"lat", "45.0"}})));
  }
  store::MemoryStore store_;
  PlanarGeometry geometry_;
  Registry registry_{store_, geometry_, LegacyHistory{}};
};

TEST_F(RegistryRulesTest, ExcavationInsideUnclearedHazardIsRefusedWithReason) {
  auto r = registry_.Record(
      Ev(EntityKind::kSite, 1, "site.excavated", "2020-03-01", {{"date", "2020-03-01"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("inside hazard area 1 'North field'"), std::string::npos);
  EXPECT_NE(r.error().message.find("not cleared"), std::string::npos);
  // Nothing was written.
  auto snap = registry_.LoadSnapshot(std::nullopt);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->sites.at(1).excavations, 0);
  // The trench outside may be excavated.
  EXPECT_TRUE(registry_.Record(
      Ev(EntityKind::kSite, 2, "site.excavated", "2020-03-01", {{"date", "2020-03-01"}})));
}

TEST_F(RegistryRulesTest, ExcavationAllowedOnceCleared) {
  ASSERT_TRUE(registry_.Record(Ev(EntityKind::kHazard, 1, "hazard.status_changed", "2020-04-01",
                                  {{"hazard_status", "cleared"}})));
  EXPECT_TRUE(registry_.Record(
      Ev(EntityKind::kSite, 1, "site.excavated", "2020-05-01", {{"date", "2020-05-01"}})));
}

TEST_F(RegistryRulesTest, FlagsSitesInAndNearUnclearedHazardsAsOfDate) {
  auto flags = registry_.SiteHazards(std::nullopt, 1000);
  ASSERT_TRUE(flags);
  ASSERT_EQ(flags->size(), 2u);
  EXPECT_TRUE((*flags)[0].inside);
  EXPECT_FALSE((*flags)[1].inside);
  EXPECT_NEAR((*flags)[1].distance_m, 786, 5);
  auto near500 = registry_.SiteHazards(std::nullopt, 500);
  ASSERT_TRUE(near500);
  EXPECT_EQ(near500->size(), 1u);
  // Before the sites were registered there is nothing to flag.
  auto early = registry_.SiteHazards(*Date::Parse("2020-01-15"), 1000);
  ASSERT_TRUE(early);
  EXPECT_TRUE(early->empty());
}

TEST_F(RegistryRulesTest, CustodyTransferFromNonHolderIsRefused) {
  ASSERT_TRUE(registry_.Record(Ev(EntityKind::kRemains, 0, "remains.recovered", "2020-06-01",
                                  {{"label", "B-1"}, {"site", "2"}, {"holder", "Team A"}})));
  auto bad = registry_.Record(Ev(EntityKind::kRemains, 1, "remains.transferred", "2020-06-02",
                                 {{"from", "Team B"}, {"to", "Lab"}}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(bad.error().message.find("does not hold remains B-1"), std::string::npos);
  ASSERT_TRUE(registry_.Record(Ev(EntityKind::kRemains, 1, "remains.transferred", "2020-06-02",
                                  {{"from", "Team A"}, {"to", "Lab"}})));
  // Now Team A no longer holds it.
  EXPECT_FALSE(registry_.Record(Ev(EntityKind::kRemains, 1, "remains.transferred", "2020-06-03",
                                   {{"from", "Team A"}, {"to", "Morgue"}})));
  auto snap = registry_.LoadSnapshot(std::nullopt);
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->remains.at(1).holder, "Lab");
  auto before = registry_.LoadSnapshot(*Date::Parse("2020-06-01"));
  ASSERT_TRUE(before);
  EXPECT_EQ(before->remains.at(1).holder, "Team A");
}

TEST_F(RegistryRulesTest, RemainsNeedAnExistingSite) {
  auto r = registry_.Record(Ev(EntityKind::kRemains, 0, "remains.recovered", "2020-06-01",
                               {{"label", "B-9"}, {"site", "99"}, {"holder", "Team A"}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_F(RegistryRulesTest, MergeNeedsAnExistingTargetAndKeepsBothHistories) {
  auto a = registry_.Record(
      testing::PersonEv(0, "person.registered", "2020-02-01", {{"family_name", "Kharatyan"}}));
  auto b = registry_.Record(
      testing::PersonEv(0, "person.registered", "2020-02-02", {{"family_name", "Xaratian"}}));
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(registry_.Record(
      testing::PersonEv(b->entity_id, "person.merged_into", "2020-02-03", {{"into", "42"}})));
  ASSERT_TRUE(registry_.Record(testing::PersonEv(b->entity_id, "person.merged_into", "2020-02-03",
                                                 {{"into", std::to_string(a->entity_id)}})));
  EventQuery q;
  q.kind = EntityKind::kPerson;
  q.entity_id = b->entity_id;
  auto history = store_.Events(q);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->size(), 2u);
  auto persons = store_.Persons(std::nullopt);
  ASSERT_TRUE(persons);
  EXPECT_EQ(
      std::count_if(persons->begin(), persons->end(), [](const Person& p) { return p.Counted(); }),
      1);
}

TEST(PolygonTextTest, RoundTrips) {
  Polygon p = Square(20.5, 44.25, 0.5);
  p.holes.push_back(Square(20.5, 44.25, 0.1).outer);
  auto back = DecodePolygons(EncodePolygons({p, Square(1, 2, 0.25)}));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].holes.size(), 1u);
  EXPECT_DOUBLE_EQ((*back)[1].outer[2].lat, 2.25);
  EXPECT_FALSE(DecodePolygons("1 2,3"));
}

}  // namespace
}  // namespace whereabouts::registry

namespace whereabouts::registry {
namespace {

TEST_F(RegistryRulesTest, IncidentsLinkExistingPersonsAndCiteExistingSources) {
  ASSERT_TRUE(registry_.Record(
      testing::PersonEv(0, "person.registered", "2020-02-01", {{"family_name", "Velani"}})));
  ASSERT_TRUE(registry_.Record(Ev(EntityKind::kSource, 0, "source.registered", "2020-02-01",
                                  {{"symbol", "CMP/2020/1"}, {"title", "Report"}})));
  auto bad_hash = registry_.Record(Ev(EntityKind::kSource, 0, "source.registered", "2020-02-01",
                                      {{"symbol", "X"}, {"sha256", "abc"}}));
  EXPECT_FALSE(bad_hash);
  ASSERT_TRUE(registry_.Record(
      Ev(EntityKind::kIncident, 0, "incident.registered", "2020-02-01",
         {{"date", "1993-04-02"}, {"place", "Lerin"}, {"counts", "missing=12;civilians=4"}})));
  EXPECT_FALSE(registry_.Record(Ev(EntityKind::kIncident, 0, "incident.registered", "2020-02-01",
                                   {{"counts", "missing=-1"}})));
  auto no_person = registry_.Record(
      Ev(EntityKind::kIncident, 1, "incident.person_linked", "2020-02-02", {{"person", "42"}}));
  ASSERT_FALSE(no_person);
  EXPECT_EQ(no_person.error().code, ErrorCode::kNotFound);
  auto no_source = registry_.Record(
      Ev(EntityKind::kIncident, 1, "incident.source_cited", "2020-02-02", {{"source", "9"}}));
  ASSERT_FALSE(no_source);
  ASSERT_TRUE(registry_.Record(
      Ev(EntityKind::kIncident, 1, "incident.person_linked", "2020-02-02", {{"person", "1"}})));
  EXPECT_FALSE(registry_.Record(Ev(EntityKind::kIncident, 1, "incident.person_linked", "2020-02-03",
                                   {{"person", "1"}})));  // already linked
  ASSERT_TRUE(registry_.Record(
      Ev(EntityKind::kIncident, 1, "incident.source_cited", "2020-02-02", {{"source", "1"}})));
  auto snap = registry_.LoadSnapshot(std::nullopt);
  ASSERT_TRUE(snap);
  const Incident& inc = snap->incidents.at(1);
  EXPECT_EQ(inc.counts.at("missing"), 12);
  EXPECT_EQ(inc.persons, std::vector<int64_t>{1});
  EXPECT_EQ(inc.sources, std::vector<int64_t>{1});
  auto before = registry_.LoadSnapshot(*Date::Parse("2020-02-01"));
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->incidents.at(1).persons.empty());
}

}  // namespace
}  // namespace whereabouts::registry
