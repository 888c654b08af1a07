// The GEOS engine against the pure planar reference (differential), and hand-checked cases.
#include "registry/geometry.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "store/geos_geometry.h"

namespace whereabouts::registry {
namespace {

Polygon Box(double lon0, double lat0, double lon1, double lat1) {
  Polygon p;
  p.outer = {{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}};
  return p;
}

TEST(GeometryTest, InsideOutsideAndDistanceInMetres) {
  std::vector<std::unique_ptr<Geometry>> engines;
  engines.push_back(store::MakeGeometry());
  engines.push_back(std::make_unique<PlanarGeometry>());
  for (auto& engine : engines) {
    const std::vector<Polygon> area = {Box(20.0, 45.0, 20.01, 45.01)};
    auto in = engine->Relate({20.005, 45.005}, area);
    ASSERT_TRUE(in);
    EXPECT_TRUE(in->inside);
    auto out = engine->Relate({20.005, 45.02}, area);  // 0.01 deg of latitude north: ~1112 m
    ASSERT_TRUE(out);
    EXPECT_FALSE(out->inside);
    EXPECT_NEAR(out->distance_m, 1111.95, 1.0);
    Polygon with_hole = Box(20.0, 45.0, 20.01, 45.01);
    with_hole.holes.push_back(Box(20.004, 45.004, 20.006, 45.006).outer);
    auto hole = engine->Relate({20.005, 45.005}, {with_hole});
    ASSERT_TRUE(hole);
    EXPECT_FALSE(hole->inside);
    EXPECT_GT(hole->distance_m, 70);
    auto bad = engine->Relate({20, 45}, {Polygon{{{20, 45}, {21, 45}}, {}}});
    EXPECT_FALSE(bad);
  }
}

RC_GTEST_PROP(GeometryProperty, GeosAgreesWithPlanarReference, ()) {
  if (!store::HaveGeos()) return;
  const double lon0 = *rc::gen::inRange(0, 1000) / 1000.0 + 20;
  const double lat0 = *rc::gen::inRange(0, 1000) / 1000.0 + 44;
  const double w = *rc::gen::inRange(1, 500) / 10000.0;
  const double h = *rc::gen::inRange(1, 500) / 10000.0;
  // A triangle-ish quadrilateral with a dent, so that the polygon is not always convex.
  Polygon p;
  p.outer = {{lon0, lat0},
             {lon0 + w, lat0},
             {lon0 + w / 2, lat0 + h / 3},
             {lon0 + w, lat0 + h},
             {lon0, lat0 + h}};
  const LonLat pt{lon0 + (*rc::gen::inRange(-500, 1500) / 1000.0) * w,
                  lat0 + (*rc::gen::inRange(-500, 1500) / 1000.0) * h};
  auto geos = store::MakeGeometry();
  PlanarGeometry planar;
  auto a = geos->Relate(pt, {p});
  auto b = planar.Relate(pt, {p});
  RC_ASSERT(a.has_value());
  RC_ASSERT(b.has_value());
  if (a->distance_m > 1e-6 || b->distance_m > 1e-6) RC_ASSERT(a->inside == b->inside);
  RC_ASSERT(std::abs(a->distance_m - b->distance_m) < 1e-6 * (1 + b->distance_m));
}

}  // namespace
}  // namespace whereabouts::registry
