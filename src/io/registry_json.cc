#include "io/registry_json.h"

#include <algorithm>

namespace whereabouts::io {
namespace {

using nlohmann::json;

std::string DateText(const std::optional<registry::Date>& d) { return d ? d->ToString() : ""; }
json OptionalInt(const std::optional<int>& v) { return v ? json(*v) : json(); }

// Twice the signed area of a ring in the lon/lat plane (positive: counterclockwise).
double SignedArea2(const std::vector<registry::LonLat>& points) {
  double a = 0;
  for (size_t i = 0, n = points.size(); i < n; ++i) {
    const registry::LonLat& p = points[i];
    const registry::LonLat& q = points[(i + 1) % n];
    a += p.lon * q.lat - q.lon * p.lat;
  }
  return a;
}

// A ring as GeoJSON positions. RFC 7946 (3.1.6): exterior rings counterclockwise, holes
// clockwise (the right-hand rule); a ring stored the other way round is written reversed.
json Ring(const std::vector<registry::LonLat>& stored, bool exterior) {
  std::vector<registry::LonLat> points = stored;
  const double area = SignedArea2(points);
  if ((exterior && area < 0) || (!exterior && area > 0)) {
    std::reverse(points.begin(), points.end());
  }
  json ring = json::array();
  for (const auto& p : points) ring.push_back({p.lon, p.lat});
  // GeoJSON rings are closed: the first position repeated last.
  if (!points.empty() &&
      (points.front().lon != points.back().lon || points.front().lat != points.back().lat)) {
    ring.push_back({points.front().lon, points.front().lat});
  }
  return ring;
}

json PolygonCoordinates(const registry::Polygon& p) {
  json rings = json::array();
  rings.push_back(Ring(p.outer, /*exterior=*/true));
  for (const auto& h : p.holes) rings.push_back(Ring(h, /*exterior=*/false));
  return rings;
}

}  // namespace

json PersonJson(const registry::Person& p, const registry::AgeLimits& limits) {
  json j;
  j["id"] = p.id.value;
  j["family_name"] = p.family_name;
  j["given_name"] = p.given_name;
  j["father_name"] = p.father_name;
  j["other_names"] = p.other_names;
  j["sex"] = Name(p.sex);
  j["birth_date"] = DateText(p.birth_date);
  j["birth_year_min"] = OptionalInt(p.birth_year_min);
  j["birth_year_max"] = OptionalInt(p.birth_year_max);
  j["affiliation"] = Name(p.affiliation);
  j["unit"] = p.unit;
  j["category"] = Name(registry::CategoryOf(p, limits));
  j["disappearance_date"] = DateText(p.disappearance_date);
  j["disappearance_place"] = p.disappearance_place;
  j["circumstances"] = p.circumstances;
  j["capture"] = Name(p.capture);
  j["capture_date"] = DateText(p.capture_date);
  j["captured_by"] = p.captured_by;
  j["seen_alive_by"] = p.seen_alive_by;
  j["detention_place"] = p.detention_place;
  j["icrc_visits"] = p.icrc_visits;
  j["reported_dead"] = p.reported_dead;
  j["death_date"] = DateText(p.death_date);
  j["death_place"] = p.death_place;
  j["death_territory"] = Name(p.death_territory);
  j["death_locality"] = p.death_locality;
  j["body"] = Name(p.body);
  j["body_returned_on"] = DateText(p.body_returned_on);
  j["status"] = Name(p.status);
  j["identified_on"] = DateText(p.identified_on);
  j["identified_site"] = p.identified_site;
  j["identified_remains"] = p.identified_remains;
  j["family_notified_on"] = DateText(p.family_notified_on);
  j["merged_into"] = p.merged_into;
  j["registered_on"] = p.registered_on.ToString();
  j["last_event_on"] = p.last_event_on.ToString();
  // The version an edit is based on (the seq of the record's last event): an edit that names an
  // older version is refused.
  j["version"] = p.last_seq;
  return j;
}

json IcrcJson(const registry::IcrcData& d) {
  json j;
  j["birth_place"] = d.birth_place;
  j["identity_documents"] = d.identity_documents;
  j["informant_name"] = d.informant_name;
  j["informant_relation"] = d.informant_relation;
  j["informant_contact"] = d.informant_contact;
  j["family_contact"] = d.family_contact;
  j["last_seen_date"] = DateText(d.last_seen_date);
  j["last_seen_place"] = d.last_seen_place;
  j["last_seen_by"] = d.last_seen_by;
  j["physical_description"] = d.physical_description;
  return j;
}

json PersonSummaryJson(const registry::Person& p) {
  return {{"id", p.id.value},
          {"family_name", p.family_name},
          {"given_name", p.given_name},
          {"father_name", p.father_name},
          {"other_names", p.other_names},
          {"sex", Name(p.sex)},
          {"birth_date", DateText(p.birth_date)},
          {"birth_year_min", OptionalInt(p.birth_year_min)},
          {"birth_year_max", OptionalInt(p.birth_year_max)},
          {"affiliation", Name(p.affiliation)},
          {"status", Name(p.status)},
          {"capture", Name(p.capture)},
          {"disappearance_date", DateText(p.disappearance_date)},
          {"disappearance_place", p.disappearance_place},
          {"version", p.last_seq}};
}

json EventJson(const registry::Event& e) {
  return {{"seq", e.seq},  {"type", e.type},     {"recorded_on", e.recorded_on.ToString()},
          {"by", e.actor}, {"reason", e.reason}, {"payload", e.payload}};
}

json FiguresJson(const registry::Figures& f, const registry::ChainHead& head) {
  json j;
  j["as_of"] = f.as_of ? json(f.as_of->ToString()) : json();
  j["age_limits"] = {{"child_below", f.limits.child_below},
                     {"elderly_from", f.limits.elderly_from}};
  j["computed_from"] = {{"seq", head.seq},
                        {"recorded_on", head.seq ? head.recorded_on.ToString() : ""},
                        {"hash", head.hash}};
  j["rows"] = json::array();
  for (const auto& r : f.rows) {
    j["rows"].push_back({{"key", r.key},
                         {"label", r.label},
                         {"value", r.value},
                         {"depth", r.depth},
                         {"entity", r.entity}});
  }
  j["checks"] = json::array();
  for (const auto& c : f.checks) {
    j["checks"].push_back({{"whole", c.parent},
                           {"parts", c.parts},
                           {"whole_value", c.whole},
                           {"sum_of_parts", c.sum},
                           {"ok", c.Ok()}});
  }
  j["all_add_up"] = f.AllAddUp();
  return j;
}

json SiteJson(const registry::Site& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"site_kind", s.site_kind},
          {"lon", s.location.lon},
          {"lat", s.location.lat},
          {"village", s.village},
          {"district", s.district},
          {"discovered_on", DateText(s.discovered_on)},
          {"findings", s.findings},
          {"excavations", s.excavations},
          {"last_excavated_on", DateText(s.last_excavated_on)}};
}

namespace {

json HazardFeature(int64_t id, const registry::Hazard& h) {
  json geometry;
  if (h.polygons.size() == 1) {
    geometry = {{"type", "Polygon"}, {"coordinates", PolygonCoordinates(h.polygons.front())}};
  } else {
    json polys = json::array();
    for (const auto& p : h.polygons) polys.push_back(PolygonCoordinates(p));
    geometry = {{"type", "MultiPolygon"}, {"coordinates", polys}};
  }
  return {{"type", "Feature"},
          {"id", id},
          {"geometry", geometry},
          {"properties",
           {{"id", id},
            {"name", h.name},
            {"hazard_status", Name(h.status)},
            {"registered_on", h.registered_on.ToString()}}}};
}

}  // namespace

json HazardsGeoJson(const std::map<int64_t, registry::Hazard>& hazards) {
  json features = json::array();
  for (const auto& [id, h] : hazards) features.push_back(HazardFeature(id, h));
  return {{"type", "FeatureCollection"}, {"features", features}};
}

json SitesGeoJson(const std::map<int64_t, registry::Site>& sites,
                  const std::vector<registry::SiteHazardFlag>& flags,
                  const std::map<int64_t, int>& identified,
                  const std::map<int64_t, registry::Hazard>& hazards) {
  std::map<int64_t, std::vector<const registry::SiteHazardFlag*>> flags_of;
  for (const auto& f : flags) flags_of[f.site_id].push_back(&f);
  json features = json::array();
  for (const auto& [id, s] : sites) {
    json props = SiteJson(s);
    auto n = identified.find(id);
    props["identified"] = n == identified.end() ? 0 : n->second;
    std::string flag = "none";
    json list = json::array();
    if (auto it = flags_of.find(id); it != flags_of.end()) {
      for (const registry::SiteHazardFlag* f : it->second) {
        if (f->inside) {
          flag = "inside";
        } else if (flag == "none") {
          flag = "near";
        }
        list.push_back({{"hazard_id", f->hazard_id},
                        {"hazard_status", Name(f->status)},
                        {"inside", f->inside},
                        {"distance_m", f->distance_m}});
      }
    }
    props["hazard_flag"] = flag;
    props["hazards"] = list;
    features.push_back(
        {{"type", "Feature"},
         {"id", id},
         {"geometry", {{"type", "Point"}, {"coordinates", {s.location.lon, s.location.lat}}}},
         {"properties", props}});
  }
  for (const auto& [id, h] : hazards) features.push_back(HazardFeature(id, h));
  return {{"type", "FeatureCollection"}, {"features", features}};
}

json ProposalJson(const registry::IdentificationProposal& p, bool genetic) {
  json j = {{"id", p.id},
            {"person", p.person.value},
            {"status", Name(p.status)},
            {"proposed_on", p.proposed_on.ToString()},
            {"proposed_by", p.proposed_by},
            {"date", DateText(p.date)},
            {"remains", p.remains},
            {"site", p.site},
            {"site_note", p.site_note},
            {"ambiguous", p.ambiguous},
            {"decided_on", DateText(p.decided_on)},
            {"decided_by", p.decided_by},
            {"decision_reason", p.decision_reason},
            {"signed_off_on", DateText(p.signed_off_on)},
            {"signed_off_by", p.signed_off_by},
            {"sign_off_reason", p.sign_off_reason},
            {"revoked_on", DateText(p.revoked_on)},
            {"revoked_by", p.revoked_by},
            {"revocation_reason", p.revocation_reason}};
  if (genetic) {
    j["lr"] = p.lr;
    j["posterior"] = p.posterior;
    j["run"] = p.run;
    j["individual"] = p.individual;
    j["family"] = p.family;
    j["missing"] = p.missing;
    j["candidates"] = p.candidates;
  }
  return j;
}

}  // namespace whereabouts::io
