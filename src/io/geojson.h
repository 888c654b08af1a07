// GeoJSON (RFC 7946) of sites and mine-hazard areas, turned into event payloads:
//   Point features are sites; properties: name (required), site_kind (or kind), village,
//   district, discovered_on, findings.
//   Polygon and MultiPolygon features are hazard areas; properties: name (required),
//   hazard_status (or status): suspected, confirmed or cleared (default suspected).
// Coordinates are WGS84 longitude, latitude. Errors name the feature (index and name).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "registry/event.h"

namespace whereabouts::io {

struct GeoFeatures {
  std::vector<registry::Fields> sites;    // payloads of site.registered
  std::vector<registry::Fields> hazards;  // payloads of hazard.registered
};

// Parses a FeatureCollection (or a single Feature). `source` names the input in errors.
[[nodiscard]] Result<GeoFeatures> ParseGeoJson(std::string_view text, const std::string& source);

}  // namespace whereabouts::io
