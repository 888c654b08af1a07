// Geometry of sites and mine-hazard areas: points and polygons in WGS84 longitude/latitude, and a
// port (Geometry) that answers "is this point inside that area, and how far is it in metres".
// The production implementation uses GEOS (src/store/geos_geometry.h); PlanarGeometry here is a
// small pure implementation used by tests as a reference and as a fallback.
#pragma once

#include <vector>

#include "common/result.h"

namespace whereabouts::registry {

struct LonLat {
  double lon = 0;
  double lat = 0;
};

// An area: an outer ring and optional holes; rings are closed implicitly (first point need not be
// repeated). Multi-polygons are several Areas.
struct Polygon {
  std::vector<LonLat> outer;
  std::vector<std::vector<LonLat>> holes;
};

struct PointRelation {
  bool inside = false;    // inside or on the boundary of any polygon of the area
  double distance_m = 0;  // 0 when inside, else the shortest distance to the area in metres
};

class Geometry {
 public:
  virtual ~Geometry() = default;
  // Relates `point` to the union of `area`. Distances are computed in a local equirectangular
  // projection centred on the point (accurate to well under 1% within tens of kilometres).
  // Errors: kInvalidArgument for an invalid polygon (fewer than 3 points, NaN).
  // Thread-safety: implementations are safe to call from one thread at a time.
  [[nodiscard]] virtual Result<PointRelation> Relate(const LonLat& point,
                                                     const std::vector<Polygon>& area) = 0;
};

// Pure reference implementation (ray casting, point-segment distance).
class PlanarGeometry final : public Geometry {
 public:
  [[nodiscard]] Result<PointRelation> Relate(const LonLat& point,
                                             const std::vector<Polygon>& area) override;
};

// Metres per degree at `lat` in the local projection used by every Geometry.
struct LocalProjection {
  double metres_per_deg_lon;
  double metres_per_deg_lat;
  explicit LocalProjection(double lat);
};

// Checks that a polygon is usable (>= 3 points per ring, finite coordinates in range).
[[nodiscard]] Status ValidatePolygon(const Polygon& p);

}  // namespace whereabouts::registry
