// Sites and mine-hazard areas: registration, corrections, excavations, hazard status.
#include <cmath>
#include <cstdlib>

#include "registry/payload.h"
#include "registry/snapshot_rules.h"

namespace whereabouts::registry::internal {
namespace {

Status SetSiteFields(Site& s, const Event& e) {
  for (const auto& [key, value] : e.payload) {
    if (key == "name")
      s.name = value;
    else if (key == "site_kind")
      s.site_kind = value;
    else if (key == "lon") {
      WB_ASSIGN_OR_RETURN(s.location.lon, ParseDouble(value, key));
    } else if (key == "lat") {
      WB_ASSIGN_OR_RETURN(s.location.lat, ParseDouble(value, key));
    } else if (key == "village")
      s.village = value;
    else if (key == "district")
      s.district = value;
    else if (key == "discovered_on") {
      WB_ASSIGN_OR_RETURN(s.discovered_on, ParseDateField(value, key));
    } else if (key == "findings")
      s.findings = value;
    else
      return MakeError(ErrorCode::kInvalidArgument, "unknown site field", key);
  }
  if (s.name.empty()) return MakeError(ErrorCode::kInvalidArgument, "a site needs a name", "name");
  if (std::abs(s.location.lon) > 180 || std::abs(s.location.lat) > 90) {
    return MakeError(ErrorCode::kInvalidArgument, "coordinates out of range", "lon/lat");
  }
  return {};
}

}  // namespace

Status ApplySiteEvent(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
  if (t == "site.registered") {
    if (snap.sites.count(e.entity_id)) return MakeError(ErrorCode::kAlreadyExists, "site exists");
    Site s;
    s.id = e.entity_id;
    s.registered_on = s.last_event_on = e.recorded_on;
    WB_RETURN_IF_ERROR(SetSiteFields(s, e));
    snap.sites.emplace(s.id, std::move(s));
    return {};
  }
  auto it = snap.sites.find(e.entity_id);
  if (it == snap.sites.end()) return MakeError(ErrorCode::kNotFound, "no such site");
  Site s = it->second;
  WB_RETURN_IF_ERROR(CheckOrder(s, e));
  s.last_event_on = e.recorded_on;
  if (t == "site.corrected") {
    WB_RETURN_IF_ERROR(SetSiteFields(s, e));
  } else if (t == "site.excavated") {
    WB_ASSIGN_OR_RETURN(auto d, ParseDateField(e.Get("date"), "date"));
    if (!d) return MakeError(ErrorCode::kInvalidArgument, "a date is required", "date");
    ++s.excavations;
    s.last_excavated_on = d;
    if (auto f = e.Get("findings"); !f.empty()) s.findings = std::string(f);
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
  }
  it->second = std::move(s);
  return {};
}

Status ApplyHazardEvent(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
  if (t == "hazard.registered") {
    if (snap.hazards.count(e.entity_id))
      return MakeError(ErrorCode::kAlreadyExists, "hazard exists");
    Hazard h;
    h.id = e.entity_id;
    h.registered_on = h.last_event_on = e.recorded_on;
    h.name = std::string(e.Get("name"));
    WB_ASSIGN_OR_RETURN(h.status, ParseHazardStatus(e.Get("hazard_status")));
    WB_ASSIGN_OR_RETURN(h.polygons, DecodePolygons(e.Get("polygons")));
    if (h.polygons.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "a hazard area needs a polygon", "polygons");
    }
    for (const auto& p : h.polygons) WB_RETURN_IF_ERROR(ValidatePolygon(p));
    snap.hazards.emplace(h.id, std::move(h));
    return {};
  }
  auto it = snap.hazards.find(e.entity_id);
  if (it == snap.hazards.end()) return MakeError(ErrorCode::kNotFound, "no such hazard area");
  WB_RETURN_IF_ERROR(CheckOrder(it->second, e));
  if (t != "hazard.status_changed") {
    return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
  }
  WB_ASSIGN_OR_RETURN(HazardStatus st, ParseHazardStatus(e.Get("hazard_status")));
  if (st == HazardStatus::kCleared) {
    WB_ASSIGN_OR_RETURN(auto on, ParseDateField(e.Get("date"), "date"));
    it->second.cleared_on = on ? *on : e.recorded_on;
  }
  it->second.status = st;
  it->second.last_event_on = e.recorded_on;
  return {};
}

}  // namespace whereabouts::registry::internal
