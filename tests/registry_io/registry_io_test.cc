// The register's readers (GeoJSON, persons/relatives CSV, list CSV): hand-checked cases, and
// properties in the spirit of a fuzz target: any input gives a value or an error, never a crash.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "io/delimited.h"
#include "io/geojson.h"
#include "io/list_csv.h"
#include "io/registry_csv.h"
#include "registry/list.h"
#include "registry/snapshot.h"

namespace whereabouts::io {
namespace {

TEST(GeoJsonTest, PointsAreSitesAndPolygonsAreHazards) {
  auto f = ParseGeoJson(R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"name":"A","status":"cleared"},"geometry":{"type":"MultiPolygon",
     "coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}},
    {"type":"Feature","properties":{"name":"W","kind":"well","discovered_on":"2024-08-01"},
     "geometry":{"type":"Point","coordinates":[0.5,0.25]}}]})",
                        "t.geojson");
  ASSERT_TRUE(f) << f.error().ToString();
  ASSERT_EQ(f->hazards.size(), 1u);
  EXPECT_EQ(f->hazards[0].at("hazard_status"), "cleared");
  auto polys = registry::DecodePolygons(f->hazards[0].at("polygons"));
  ASSERT_TRUE(polys);
  EXPECT_EQ(polys->size(), 2u);
  EXPECT_EQ((*polys)[0].outer.size(), 3u);  // the repeated closing point is dropped
  ASSERT_EQ(f->sites.size(), 1u);
  EXPECT_EQ(f->sites[0].at("site_kind"), "well");
}

TEST(GeoJsonTest, ErrorsNameTheFeature) {
  for (const char* bad : {
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
              "geometry":{"type":"Point","coordinates":[0,0]}}]})",
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},
              "geometry":{"type":"Point","coordinates":[200,0]}}]})",
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X",
              "status":"safe"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}]})",
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},
              "geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]})",
           R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"X"},
              "geometry":{"type":"MultiPolygon","coordinates":[]}}]})",
           "[1,2,3]", "not json"}) {
    auto f = ParseGeoJson(bad, "t.geojson");
    ASSERT_FALSE(f) << bad;
    EXPECT_NE(f.error().ToString().find("t.geojson"), std::string::npos);
  }
}

TEST(RegistryCsvTest, PersonsRowsBecomeRegistrations) {
  auto t = DelimitedTable::Parse(
      "id\tfamily_name\tsex\tbirth_date\taffiliation\tunit\n7\tVelani\tmale\t1970-01-02\t"
      "serviceman\tUnit 5\n",
      "p.tsv");
  ASSERT_TRUE(t);
  auto e = PersonsFromCsv(*t, *registry::Date::Parse("2020-01-01"), "me", "import");
  ASSERT_TRUE(e) << e.error().ToString();
  ASSERT_EQ(e->size(), 1u);
  EXPECT_EQ((*e)[0].entity_id, 7);
  EXPECT_EQ((*e)[0].Get("unit"), "Unit 5");
  auto bad = DelimitedTable::Parse("family_name,unit\nVelani,Unit 5\n", "p.csv");
  ASSERT_TRUE(bad);
  auto r = PersonsFromCsv(*bad, *registry::Date::Parse("2020-01-01"), "me", "import");
  ASSERT_FALSE(r);  // a civilian (the default) has no unit
  EXPECT_NE(r.error().field.find("p.csv:2"), std::string::npos) << r.error().ToString();
}

RC_GTEST_PROP(ReaderProperty, AnyTextGivesAValueOrAnError, (const std::string& text)) {
  (void)ParseGeoJson(text, "fuzz");
  (void)ListFromCsv(text);
  (void)registry::DecodePolygons(text);
  (void)registry::ParseCounts(text);
  if (auto t = DelimitedTable::Parse(text, "fuzz")) {
    (void)PersonsFromCsv(*t, registry::Date{}, "", "");
    (void)RelativesFromCsv(*t, registry::Date{}, "", "");
  }
}

RC_GTEST_PROP(ReaderProperty, GeoJsonLikeInputNeverCrashes, ()) {
  const std::string num = std::to_string(*rc::gen::inRange(-300, 300));
  const std::string type = *rc::gen::element<std::string>("Point", "Polygon", "MultiPolygon", "X");
  const std::string coords = *rc::gen::element<std::string>(
      "[" + num + ",1]", "[[[0,0],[1," + num + "],[1,1]]]", "[[[[0,0]]]]", "[]", "null", "\"x\"");
  (void)ParseGeoJson(R"({"type":"FeatureCollection","features":[{"type":"Feature",
    "properties":{"name":"n"},"geometry":{"type":")" +
                         type + R"(","coordinates":)" + coords + "}}]}",
                     "fuzz");
}

}  // namespace
}  // namespace whereabouts::io
