// Use cases of sites and hazard areas (app/sites.h) on an in-memory register.
#include "app/sites.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "app/identification_review.h"
#include "app/imports.h"
#include "app/memory_register.h"
#include "app/persons.h"
#include "io/geojson.h"
#include "io/registry_json.h"

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
  // Cleared today: the excavation is dated on or after the clearance, never back-dated before it.
  auto backdated =
      ExcavateSite(reg_.registry, {Meta(), site->id, D("2024-02-01"), "team 2", "bones"});
  ASSERT_FALSE(backdated);
  EXPECT_NE(backdated.error().message.find("cannot be back-dated"), std::string::npos)
      << backdated.error().ToString();
  auto done =
      ExcavateSite(reg_.registry, {Meta(), site->id, reg_.clock.Today(), "team 2", "bones"});
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

// A ring as text, starting at its smallest point and going the way of its smaller neighbour.
std::string Canonical(std::vector<registry::LonLat> ring) {
  auto less = [](const registry::LonLat& a, const registry::LonLat& b) {
    return a.lon < b.lon || (a.lon == b.lon && a.lat < b.lat);
  };
  std::rotate(ring.begin(), std::min_element(ring.begin(), ring.end(), less), ring.end());
  if (ring.size() > 2 && less(ring.back(), ring[1])) std::reverse(ring.begin() + 1, ring.end());
  return registry::EncodePolygons({registry::Polygon{ring, {}}});
}

// The GeoJSON export (io::SitesGeoJson of LoadSiteMap) re-imports through io::ParseGeoJson and
// ImportGeoFeatures to the same sites and hazard areas, in a fresh register.
TEST_F(SitesTest, GeoJsonExportRoundTripsThroughTheImport) {
  const int64_t north = Hazard(registry::HazardStatus::kConfirmed);
  // A cleared area of two squares with a hole: a MultiPolygon; its sites are not flagged.
  registry::Polygon a{{{45.0, 41.0}, {45.01, 41.0}, {45.01, 41.01}, {45.0, 41.01}},
                      {{{45.002, 41.002}, {45.004, 41.002}, {45.004, 41.004}}}};
  registry::Polygon b{{{45.02, 41.0}, {45.03, 41.01}, {45.03, 41.0}}, {}};  // clockwise
  auto south = AddHazard(reg_.registry,
                         {Meta(), "South, cleared", registry::HazardStatus::kCleared, {a, b}});
  ASSERT_TRUE(south) << south.error().ToString();
  AddSiteRequest well = Site("Well", 44.5, 40.2);  // inside North field
  well.site_kind = "well";
  well.village = "Olvazi";
  well.district = "Upper";
  well.discovered_on = D("2023-07-01");
  well.findings = "bones, \"two\" skulls";
  const int64_t w = AddSite(reg_.registry, well)->id;
  const int64_t g = AddSite(reg_.registry, Site("Grave", 44.507, 40.2))->id;  // ~170 m away
  const int64_t c = AddSite(reg_.registry, Site("Cave", 45.0051234, 41.0051234))->id;
  // Two persons identified from remains of the grave, one proposed only.
  for (int i = 0; i < 3; ++i) {
    PersonDetails d;
    d.family_name = "Person" + std::to_string(i);
    auto p = RegisterPerson(reg_.registry, {Meta(), d});
    ASSERT_TRUE(p) << p.error().ToString();
    auto prop = ProposeIdentification(
        reg_.registry,
        {Meta("clerk", "lab report"), registry::PersonId{p->id}, D("2024-02-01"), g, "B-1"});
    ASSERT_TRUE(prop) << prop.error().ToString();
    if (i < 2) {
      auto ok = ConfirmIdentification(reg_.registry,
                                      {Meta("reviewer", "DNA agrees"), prop->proposal, false});
      ASSERT_TRUE(ok) << ok.error().ToString();
    }
  }

  auto map = LoadSiteMap(reg_.registry, std::nullopt, 500);
  ASSERT_TRUE(map) << map.error().ToString();
  const nlohmann::json doc =
      io::SitesGeoJson(map->sites, map->flags, map->identified, map->hazards);
  ASSERT_EQ(doc["type"], "FeatureCollection");
  ASSERT_EQ(doc["features"].size(), 5u);  // 3 sites, then 2 areas
  auto site = [&](int64_t id) -> const nlohmann::json& {
    for (const auto& f : doc["features"]) {
      if (f["geometry"]["type"] == "Point" && f["id"] == id) return f;
    }
    ADD_FAILURE() << "no site " << id;
    return doc;
  };
  // RFC 7946: [longitude, latitude].
  EXPECT_EQ(site(c)["geometry"]["coordinates"], nlohmann::json::array({45.0051234, 41.0051234}));
  EXPECT_EQ(site(w)["properties"]["hazard_flag"], "inside");
  EXPECT_EQ(site(w)["properties"]["hazards"][0]["hazard_id"], north);
  EXPECT_EQ(site(w)["properties"]["hazards"][0]["hazard_status"], "confirmed");
  EXPECT_EQ(site(g)["properties"]["hazard_flag"], "near");
  EXPECT_GT(site(g)["properties"]["hazards"][0]["distance_m"].get<double>(), 100);
  EXPECT_EQ(site(c)["properties"]["hazard_flag"], "none");  // inside the hole of a cleared area
  EXPECT_EQ(site(g)["properties"]["identified"], 2);
  EXPECT_EQ(site(w)["properties"]["identified"], 0);
  EXPECT_EQ(site(w)["properties"]["site_kind"], "well");
  EXPECT_EQ(site(w)["properties"]["discovered_on"], "2023-07-01");
  const nlohmann::json& area = doc["features"][4];
  ASSERT_EQ(area["geometry"]["type"], "MultiPolygon");
  EXPECT_EQ(area["properties"]["hazard_status"], "cleared");
  for (const auto& poly : area["geometry"]["coordinates"]) {
    for (size_t r = 0; r < poly.size(); ++r) {
      const auto& ring = poly[r];
      EXPECT_EQ(ring.front(), ring.back()) << "rings are closed";
      double a = 0;  // twice the signed area: exterior counterclockwise, holes clockwise
      for (size_t i = 0; i + 1 < ring.size(); ++i) {
        a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
      }
      EXPECT_EQ(a > 0, r == 0) << "right-hand rule, ring " << r;
    }
  }
  EXPECT_EQ(doc["features"][3]["geometry"]["type"], "Polygon");

  auto parsed = io::ParseGeoJson(doc.dump(), "export.geojson");
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  ASSERT_EQ(parsed->sites.size(), 3u);
  ASSERT_EQ(parsed->hazards.size(), 2u);
  MemoryRegister other;
  auto imported =
      ImportGeoFeatures(other.registry, {Meta(), "export.geojson", parsed->hazards, parsed->sites});
  ASSERT_TRUE(imported) << imported.error().ToString();
  auto back = LoadSiteMap(other.registry, std::nullopt, 500);
  ASSERT_TRUE(back) << back.error().ToString();
  ASSERT_EQ(back->sites.size(), map->sites.size());
  for (const auto& [id, s] : map->sites) {
    ASSERT_TRUE(back->sites.count(id)) << id;
    const registry::Site& t = back->sites.at(id);
    EXPECT_EQ(t.name, s.name);
    EXPECT_EQ(t.site_kind, s.site_kind);
    EXPECT_EQ(t.location.lon, s.location.lon);
    EXPECT_EQ(t.location.lat, s.location.lat);
    EXPECT_EQ(t.village, s.village);
    EXPECT_EQ(t.district, s.district);
    EXPECT_EQ(t.discovered_on, s.discovered_on);
    EXPECT_EQ(t.findings, s.findings);
  }
  ASSERT_EQ(back->hazards.size(), map->hazards.size());
  for (const auto& [id, h] : map->hazards) {
    ASSERT_TRUE(back->hazards.count(id)) << id;
    const registry::Hazard& t = back->hazards.at(id);
    EXPECT_EQ(t.name, h.name);
    EXPECT_EQ(t.status, h.status);
    // The same rings, up to where they start and their direction (the export writes them by
    // the right-hand rule).
    ASSERT_EQ(t.polygons.size(), h.polygons.size());
    for (size_t k = 0; k < h.polygons.size(); ++k) {
      EXPECT_EQ(Canonical(t.polygons[k].outer), Canonical(h.polygons[k].outer));
      ASSERT_EQ(t.polygons[k].holes.size(), h.polygons[k].holes.size());
      for (size_t j = 0; j < h.polygons[k].holes.size(); ++j) {
        EXPECT_EQ(Canonical(t.polygons[k].holes[j]), Canonical(h.polygons[k].holes[j]));
      }
    }
  }
  // The flags follow from the same geometry.
  ASSERT_EQ(back->flags.size(), map->flags.size());
  for (size_t i = 0; i < map->flags.size(); ++i) {
    EXPECT_EQ(back->flags[i].site_id, map->flags[i].site_id);
    EXPECT_EQ(back->flags[i].inside, map->flags[i].inside);
    EXPECT_NEAR(back->flags[i].distance_m, map->flags[i].distance_m, 1e-6);
  }
  EXPECT_TRUE(back->identified.empty());  // persons are not part of a map
}

}  // namespace
}  // namespace whereabouts::app
