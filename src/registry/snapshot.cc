#include "registry/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "registry/payload.h"
#include "registry/snapshot_rules.h"

namespace whereabouts::registry {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? s.npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

Status Apply(Snapshot& snap, const Event& e) {
  switch (e.kind) {
    case EntityKind::kPerson:
      return {};  // persons: person.cc, applied by the store to its projection
    case EntityKind::kSite:
      return internal::ApplySiteEvent(snap, e);
    case EntityKind::kHazard:
      return internal::ApplyHazardEvent(snap, e);
    case EntityKind::kRemains:
      return internal::ApplyRemainsEvent(snap, e);
    case EntityKind::kRelative:
      return internal::ApplyRelativeEvent(snap, e);
    case EntityKind::kSource:
      return internal::ApplySourceEvent(snap, e);
    case EntityKind::kIncident:
      return internal::ApplyIncidentEvent(snap, e);
    case EntityKind::kList: {
      ListVersion v;
      v.version = e.entity_id;
      v.sha256 = std::string(e.Get("sha256"));
      WB_ASSIGN_OR_RETURN(v.count, ParseId(e.Get("count"), "count"));
      v.recorded_on = e.recorded_on;
      snap.lists[v.version] = v;
      return {};
    }
  }
  return {};
}

}  // namespace

Result<std::map<std::string, int64_t>> ParseCounts(std::string_view text) {
  std::map<std::string, int64_t> out;
  if (text.empty()) return out;
  for (std::string_view pair : Split(text, ';')) {
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    int64_t n = -1;
    if (eq != std::string_view::npos && eq > 0) {
      auto id = ParseId(pair.substr(eq + 1), "counts");
      if (id) n = *id;
    }
    if (n < 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "expected category=number (number >= 0), got '" + std::string(pair) + "'",
                       "counts");
    }
    out[std::string(pair.substr(0, eq))] = n;
  }
  return out;
}

std::string_view Name(HazardStatus s) {
  switch (s) {
    case HazardStatus::kSuspected:
      return "suspected";
    case HazardStatus::kConfirmed:
      return "confirmed";
    case HazardStatus::kCleared:
      return "cleared";
  }
  return "suspected";
}

Result<HazardStatus> ParseHazardStatus(std::string_view s) {
  for (HazardStatus v :
       {HazardStatus::kSuspected, HazardStatus::kConfirmed, HazardStatus::kCleared}) {
    if (Name(v) == s) return v;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown hazard status '" + std::string(s) + "' (suspected, confirmed, cleared)",
                   "hazard_status");
}

std::string EncodePolygons(const std::vector<Polygon>& polygons) {
  std::string out;
  char buf[64];
  auto ring = [&](const std::vector<LonLat>& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%s%.7f %.7f", i ? "," : "", r[i].lon, r[i].lat);
      out += buf;
    }
  };
  for (size_t p = 0; p < polygons.size(); ++p) {
    if (p) out += ';';
    ring(polygons[p].outer);
    for (const auto& h : polygons[p].holes) {
      out += '/';
      ring(h);
    }
  }
  return out;
}

Result<std::vector<Polygon>> DecodePolygons(std::string_view text) {
  std::vector<Polygon> out;
  if (text.empty()) return out;
  for (std::string_view poly : Split(text, ';')) {
    Polygon p;
    bool first = true;
    for (std::string_view ring_text : Split(poly, '/')) {
      std::vector<LonLat> ring;
      for (std::string_view pt : Split(ring_text, ',')) {
        const size_t sp = pt.find(' ');
        if (sp == std::string_view::npos) {
          return MakeError(ErrorCode::kInvalidArgument, "expected 'lon lat'", "polygons");
        }
        LonLat c;
        WB_ASSIGN_OR_RETURN(c.lon, internal::ParseDouble(pt.substr(0, sp), "polygons"));
        WB_ASSIGN_OR_RETURN(c.lat, internal::ParseDouble(pt.substr(sp + 1), "polygons"));
        ring.push_back(c);
      }
      if (first)
        p.outer = std::move(ring);
      else
        p.holes.push_back(std::move(ring));
      first = false;
    }
    out.push_back(std::move(p));
  }
  return out;
}

Status ApplyToSnapshot(Snapshot& snap, const Event& e) {
  auto s = Apply(snap, e);
  if (!s) {
    return tl::unexpected(WithContext(s.error(), std::string(EntityKindName(e.kind)) + " " +
                                                     std::to_string(e.entity_id) + ", " + e.type));
  }
  return {};
}

Result<Snapshot> Replay(const std::vector<Event>& events, const AsOf& as_of) {
  Snapshot snap;
  for (const Event& e : events) {
    if (!Visible(e, as_of) || e.kind == EntityKind::kPerson) continue;
    WB_RETURN_IF_ERROR(ApplyToSnapshot(snap, e));
  }
  return snap;
}

}  // namespace whereabouts::registry
