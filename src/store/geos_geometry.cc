#include "store/geos_geometry.h"

#ifdef WHEREABOUTS_HAVE_GEOS
#include <geos_c.h>

#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>
#endif

namespace whereabouts::store {

#ifdef WHEREABOUTS_HAVE_GEOS
namespace {

void CollectMessage(const char* fmt, ...) {
  // GEOS reports errors through this handler; the failing call's return value is what we act on.
  (void)fmt;
}

class GeosGeometry final : public registry::Geometry {
 public:
  GeosGeometry() : ctx_(GEOS_init_r()) {
    GEOSContext_setErrorHandler_r(ctx_, CollectMessage);
    GEOSContext_setNoticeHandler_r(ctx_, CollectMessage);
  }
  ~GeosGeometry() override { GEOS_finish_r(ctx_); }
  GeosGeometry(const GeosGeometry&) = delete;
  GeosGeometry& operator=(const GeosGeometry&) = delete;

  Result<registry::PointRelation> Relate(const registry::LonLat& point,
                                         const std::vector<registry::Polygon>& area) override {
    const registry::LocalProjection proj(point.lat);
    auto ring = [&](const std::vector<registry::LonLat>& r) -> GEOSGeometry* {
      const bool closed = r.front().lon == r.back().lon && r.front().lat == r.back().lat;
      const unsigned n = static_cast<unsigned>(r.size() + (closed ? 0 : 1));
      GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx_, n, 2);
      if (seq == nullptr) return nullptr;
      for (unsigned i = 0; i < n; ++i) {
        const registry::LonLat& c = r[i % r.size()];
        GEOSCoordSeq_setX_r(ctx_, seq, i, (c.lon - point.lon) * proj.metres_per_deg_lon);
        GEOSCoordSeq_setY_r(ctx_, seq, i, (c.lat - point.lat) * proj.metres_per_deg_lat);
      }
      return GEOSGeom_createLinearRing_r(ctx_, seq);  // takes ownership of seq
    };
    GEOSCoordSequence* pseq = GEOSCoordSeq_create_r(ctx_, 1, 2);
    GEOSCoordSeq_setX_r(ctx_, pseq, 0, 0.0);
    GEOSCoordSeq_setY_r(ctx_, pseq, 0, 0.0);
    GEOSGeometry* pt = GEOSGeom_createPoint_r(ctx_, pseq);
    registry::PointRelation out;
    out.distance_m = -1;
    for (const registry::Polygon& poly : area) {
      if (auto s = registry::ValidatePolygon(poly); !s) {
        GEOSGeom_destroy_r(ctx_, pt);
        return tl::unexpected(s.error());
      }
      GEOSGeometry* shell = ring(poly.outer);
      std::vector<GEOSGeometry*> holes;
      for (const auto& h : poly.holes) holes.push_back(ring(h));
      GEOSGeometry* g = nullptr;
      if (shell != nullptr) {
        g = GEOSGeom_createPolygon_r(ctx_, shell, holes.empty() ? nullptr : holes.data(),
                                     static_cast<unsigned>(holes.size()));
      }
      if (g == nullptr) {
        GEOSGeom_destroy_r(ctx_, pt);
        return MakeError(ErrorCode::kInvalidArgument, "GEOS could not build the polygon");
      }
      const char inter = GEOSIntersects_r(ctx_, g, pt);
      double d = 0;
      const int ok = GEOSDistance_r(ctx_, g, pt, &d);
      GEOSGeom_destroy_r(ctx_, g);
      if (inter == 2 || ok == 0) {
        GEOSGeom_destroy_r(ctx_, pt);
        return MakeError(ErrorCode::kInvalidArgument, "GEOS could not relate the site to the area");
      }
      if (inter == 1) {
        GEOSGeom_destroy_r(ctx_, pt);
        return registry::PointRelation{true, 0};
      }
      if (out.distance_m < 0 || d < out.distance_m) out.distance_m = d;
    }
    GEOSGeom_destroy_r(ctx_, pt);
    if (out.distance_m < 0) out.distance_m = 1e300;
    return out;
  }

 private:
  GEOSContextHandle_t ctx_;
};

}  // namespace

std::unique_ptr<registry::Geometry> MakeGeometry() { return std::make_unique<GeosGeometry>(); }
bool HaveGeos() { return true; }
#else
std::unique_ptr<registry::Geometry> MakeGeometry() {
  return std::make_unique<registry::PlanarGeometry>();
}
bool HaveGeos() { return false; }
#endif

}  // namespace whereabouts::store
