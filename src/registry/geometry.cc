#include "registry/geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace whereabouts::registry {
namespace {

constexpr double kEarthRadiusM = 6371008.8;
constexpr double kPi = 3.14159265358979323846;

struct Xy {
  double x, y;
};

bool InRing(const Xy& p, const std::vector<Xy>& ring) {
  bool in = false;
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const Xy& a = ring[i];
    const Xy& b = ring[j];
    if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) in = !in;
  }
  return in;
}

double SegmentDistance(const Xy& p, const Xy& a, const Xy& b) {
  const double dx = b.x - a.x;
  const double dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 == 0 ? 0 : ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

double RingDistance(const Xy& p, const std::vector<Xy>& ring) {
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    best = std::min(best, SegmentDistance(p, ring[j], ring[i]));
  }
  return best;
}

}  // namespace

LocalProjection::LocalProjection(double lat)
    : metres_per_deg_lon(kEarthRadiusM * kPi / 180.0 * std::cos(lat * kPi / 180.0)),
      metres_per_deg_lat(kEarthRadiusM * kPi / 180.0) {}

Status ValidatePolygon(const Polygon& p) {
  auto check_ring = [](const std::vector<LonLat>& ring) -> Status {
    if (ring.size() < 3) {
      return MakeError(ErrorCode::kInvalidArgument, "a polygon ring needs at least 3 points");
    }
    for (const LonLat& c : ring) {
      if (!std::isfinite(c.lon) || !std::isfinite(c.lat) || std::abs(c.lon) > 180 ||
          std::abs(c.lat) > 90) {
        return MakeError(ErrorCode::kInvalidArgument, "a coordinate is out of range");
      }
    }
    return {};
  };
  WB_RETURN_IF_ERROR(check_ring(p.outer));
  for (const auto& h : p.holes) WB_RETURN_IF_ERROR(check_ring(h));
  return {};
}

Result<PointRelation> PlanarGeometry::Relate(const LonLat& point,
                                             const std::vector<Polygon>& area) {
  const LocalProjection proj(point.lat);
  auto to_xy = [&](const std::vector<LonLat>& ring) {
    std::vector<Xy> out;
    out.reserve(ring.size());
    for (const LonLat& c : ring) {
      out.push_back({(c.lon - point.lon) * proj.metres_per_deg_lon,
                     (c.lat - point.lat) * proj.metres_per_deg_lat});
    }
    return out;
  };
  const Xy origin{0, 0};
  PointRelation rel;
  rel.distance_m = std::numeric_limits<double>::infinity();
  for (const Polygon& poly : area) {
    WB_RETURN_IF_ERROR(ValidatePolygon(poly));
    const auto outer = to_xy(poly.outer);
    double d = RingDistance(origin, outer);
    bool inside = InRing(origin, outer);
    for (const auto& hole : poly.holes) {
      const auto h = to_xy(hole);
      d = std::min(d, RingDistance(origin, h));
      if (InRing(origin, h)) inside = false;
    }
    if (inside || d == 0) {
      return PointRelation{true, 0};
    }
    rel.distance_m = std::min(rel.distance_m, d);
  }
  return rel;
}

}  // namespace whereabouts::registry
