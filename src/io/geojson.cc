#include "io/geojson.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "io/json_text.h"
#include "registry/geometry.h"
#include "registry/snapshot.h"

namespace whereabouts::io {
namespace {

using nlohmann::json;

// The "type" member of a GeoJSON object when it is a string, else "" (json::value would throw a
// type_error for {"type": 1}).
std::string TypeOf(const json& j) {
  if (!j.is_object()) return {};
  auto it = j.find("type");
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Result<registry::LonLat> Position(const json& p) {
  if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) {
    return MakeError(ErrorCode::kInvalidArgument, "a position must be [longitude, latitude]");
  }
  return registry::LonLat{p[0].get<double>(), p[1].get<double>()};
}

Result<registry::Polygon> PolygonOf(const json& rings) {
  if (!rings.is_array() || rings.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a polygon needs at least one ring");
  }
  registry::Polygon poly;
  for (size_t r = 0; r < rings.size(); ++r) {
    std::vector<registry::LonLat> ring;
    if (!rings[r].is_array())
      return MakeError(ErrorCode::kInvalidArgument, "a ring must be an array");
    for (const auto& p : rings[r]) {
      WB_ASSIGN_OR_RETURN(auto c, Position(p));
      ring.push_back(c);
    }
    if (ring.size() >= 2 && ring.front().lon == ring.back().lon &&
        ring.front().lat == ring.back().lat) {
      ring.pop_back();  // GeoJSON repeats the first position; our rings close implicitly
    }
    if (r == 0)
      poly.outer = std::move(ring);
    else
      poly.holes.push_back(std::move(ring));
  }
  WB_RETURN_IF_ERROR(registry::ValidatePolygon(poly));
  return poly;
}

std::string Prop(const json& props, const char* a, const char* b = nullptr) {
  for (const char* k : {a, b}) {
    if (k == nullptr) continue;
    auto it = props.find(k);
    if (it != props.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

Status Feature(const json& f, GeoFeatures& out) {
  if (!f.is_object() || TypeOf(f) != "Feature") {
    return MakeError(ErrorCode::kInvalidArgument, "not a Feature");
  }
  const json props =
      f.contains("properties") && f["properties"].is_object() ? f["properties"] : json::object();
  const std::string name = Prop(props, "name");
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "missing property 'name'");
  if (!f.contains("geometry") || !f["geometry"].is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "missing geometry");
  }
  const json& g = f["geometry"];
  const std::string type = TypeOf(g);
  if (!g.contains("coordinates"))
    return MakeError(ErrorCode::kInvalidArgument, "missing coordinates");
  if (type == "Point") {
    WB_ASSIGN_OR_RETURN(auto c, Position(g["coordinates"]));
    if (std::abs(c.lon) > 180 || std::abs(c.lat) > 90) {
      return MakeError(ErrorCode::kInvalidArgument, "coordinates out of range");
    }
    registry::Fields s;
    s["name"] = name;
    s["site_kind"] =
        Prop(props, "site_kind", "kind").empty() ? "other" : Prop(props, "site_kind", "kind");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7f", c.lon);
    s["lon"] = buf;
    std::snprintf(buf, sizeof buf, "%.7f", c.lat);
    s["lat"] = buf;
    for (const char* k : {"village", "district", "discovered_on", "findings"}) {
      if (auto v = Prop(props, k); !v.empty()) s[k] = v;
    }
    if (s.count("discovered_on")) {
      auto d = registry::Date::Parse(s["discovered_on"]);
      if (!d) return tl::unexpected(WithContext(d.error(), "discovered_on"));
    }
    out.sites.push_back(std::move(s));
    return {};
  }
  std::vector<registry::Polygon> polys;
  if (type == "Polygon") {
    WB_ASSIGN_OR_RETURN(auto p, PolygonOf(g["coordinates"]));
    polys.push_back(std::move(p));
  } else if (type == "MultiPolygon") {
    if (!g["coordinates"].is_array()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "a MultiPolygon's coordinates must be an array");
    }
    for (const auto& rings : g["coordinates"]) {
      WB_ASSIGN_OR_RETURN(auto p, PolygonOf(rings));
      polys.push_back(std::move(p));
    }
  } else {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "geometry type '" + type + "' is neither a site (Point) nor an area (Polygon)");
  }
  if (polys.empty()) return MakeError(ErrorCode::kInvalidArgument, "an area needs a polygon");
  std::string status = Prop(props, "hazard_status", "status");
  if (status.empty()) status = "suspected";
  WB_RETURN_IF_ERROR(registry::ParseHazardStatus(status));
  registry::Fields h;
  h["name"] = name;
  h["hazard_status"] = status;
  h["polygons"] = registry::EncodePolygons(polys);
  out.hazards.push_back(std::move(h));
  return {};
}

}  // namespace

Result<GeoFeatures> ParseGeoJson(std::string_view text, const std::string& source) {
  WB_ASSIGN_OR_RETURN(const json doc, ParseJsonText(text, source));
  GeoFeatures out;
  std::vector<json> features;
  if (doc.is_object() && TypeOf(doc) == "FeatureCollection" && doc.contains("features") &&
      doc["features"].is_array()) {
    for (const auto& f : doc["features"]) features.push_back(f);
  } else if (doc.is_object() && TypeOf(doc) == "Feature") {
    features.push_back(doc);
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "expected a GeoJSON FeatureCollection", source);
  }
  for (size_t i = 0; i < features.size(); ++i) {
    Status s;
    try {
      s = Feature(features[i], out);
    } catch (const std::exception& e) {
      // A last guard: Feature checks every type before it reads a value.
      s = MakeError(ErrorCode::kInvalidArgument, std::string("unexpected JSON: ") + e.what());
    }
    if (!s) {
      std::string where = source + ": feature " + std::to_string(i);
      if (features[i].is_object() && features[i].contains("properties") &&
          features[i]["properties"].is_object()) {
        const std::string n = Prop(features[i]["properties"], "name");
        if (!n.empty()) where += " '" + n + "'";
      }
      return tl::unexpected(WithContext(s.error(), where));
    }
  }
  return out;
}

}  // namespace whereabouts::io
