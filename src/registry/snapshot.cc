#include "registry/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "registry/payload.h"

namespace whereabouts::registry {
namespace {

Error Rule(std::string message, std::string field = {}) {
  return Error{ErrorCode::kFailedPrecondition, std::move(message), std::move(field)};
}

Result<double> ParseDouble(std::string_view s, std::string_view field) {
  std::string tmp(s);
  char* end = nullptr;
  const double v = std::strtod(tmp.c_str(), &end);
  if (tmp.empty() || end != tmp.c_str() + tmp.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "expected a number", std::string(field));
  }
  return v;
}

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

template <typename T>
Status CheckOrder(const T& entity, const Event& e) {
  if (e.recorded_on < entity.last_event_on) {
    return tl::unexpected(Rule("recorded on " + e.recorded_on.ToString() +
                               ", before the last event of this record (" +
                               entity.last_event_on.ToString() + "); history is only appended"));
  }
  return {};
}

Status Apply(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
  switch (e.kind) {
    case EntityKind::kPerson:
      return {};
    case EntityKind::kSite: {
      if (t == "site.registered") {
        if (snap.sites.count(e.entity_id))
          return MakeError(ErrorCode::kAlreadyExists, "site exists");
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
    case EntityKind::kHazard: {
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
          return MakeError(ErrorCode::kInvalidArgument, "a hazard area needs a polygon",
                           "polygons");
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
      it->second.status = st;
      it->second.last_event_on = e.recorded_on;
      return {};
    }
    case EntityKind::kRemains: {
      if (t == "remains.recovered") {
        if (snap.remains.count(e.entity_id))
          return MakeError(ErrorCode::kAlreadyExists, "remains exist");
        Remains r;
        r.id = e.entity_id;
        r.last_event_on = e.recorded_on;
        r.label = std::string(e.Get("label"));
        if (r.label.empty())
          return MakeError(ErrorCode::kInvalidArgument, "remains need a label", "label");
        r.remains_kind = e.Get("remains_kind").empty() ? "bag" : std::string(e.Get("remains_kind"));
        if (auto s = e.Get("site"); !s.empty()) {
          WB_ASSIGN_OR_RETURN(r.site_id, ParseId(s, "site"));
          if (!snap.sites.count(r.site_id))
            return MakeError(ErrorCode::kNotFound, "no such site", "site");
        }
        WB_ASSIGN_OR_RETURN(r.recovered_on, ParseDateField(e.Get("recovered_on"), "recovered_on"));
        r.commingled = e.Get("commingled") == "1" || e.Get("commingled") == "true";
        r.holder = std::string(e.Get("holder"));
        if (r.holder.empty()) {
          return MakeError(ErrorCode::kInvalidArgument, "recovered remains need a holder",
                           "holder");
        }
        snap.remains.emplace(r.id, std::move(r));
        return {};
      }
      auto it = snap.remains.find(e.entity_id);
      if (it == snap.remains.end()) return MakeError(ErrorCode::kNotFound, "no such remains");
      Remains& r = it->second;
      WB_RETURN_IF_ERROR(CheckOrder(r, e));
      if (t == "remains.transferred") {
        const auto from = e.Get("from");
        const auto to = e.Get("to");
        if (to.empty())
          return MakeError(ErrorCode::kInvalidArgument, "a transfer needs a recipient", "to");
        if (from != r.holder) {
          // No names of holders here (personal data): an adapter that may show them adds them.
          return tl::unexpected(
              Rule("custody transfer from someone who does not hold remains " + r.label, "from"));
        }
        if (to == from) return tl::unexpected(Rule("a transfer to the current holder", "to"));
        r.holder = std::string(to);
        ++r.transfers;
      } else if (t == "remains.sampled") {
        if (e.Get("sample").empty())
          return MakeError(ErrorCode::kInvalidArgument, "no sample", "sample");
        r.samples.emplace_back(e.Get("sample"));
      } else if (t == "remains.profile_recorded") {
        const std::string sample(e.Get("sample"));
        if (std::find(r.samples.begin(), r.samples.end(), sample) == r.samples.end()) {
          return MakeError(ErrorCode::kNotFound,
                           "remains " + r.label + " have no sample '" + sample + "'", "sample");
        }
        if (e.Get("profile").empty()) {
          return MakeError(ErrorCode::kInvalidArgument, "an empty profile", "profile");
        }
        SampleProfile& sp = r.profiles[sample];
        sp.profile = std::string(e.Get("profile"));
        sp.recorded_on = e.recorded_on;
        sp.source = std::string(e.Get("source"));
        ++sp.versions;
      } else {
        return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
      }
      r.last_event_on = e.recorded_on;
      return {};
    }
    case EntityKind::kRelative: {
      if (t == "relative.registered") {
        Relative r;
        r.id = e.entity_id;
        r.last_event_on = e.recorded_on;
        WB_ASSIGN_OR_RETURN(r.person_id, ParseId(e.Get("person"), "person"));
        r.name = std::string(e.Get("name"));
        r.relationship = std::string(e.Get("relationship"));
        r.sample = std::string(e.Get("sample"));
        r.consent = e.Get("consent").empty() ? "none" : std::string(e.Get("consent"));
        snap.relatives.emplace(r.id, std::move(r));
        return {};
      }
      auto it = snap.relatives.find(e.entity_id);
      if (it == snap.relatives.end()) return MakeError(ErrorCode::kNotFound, "no such relative");
      if (t == "relative.sample_given") it->second.sample = std::string(e.Get("sample"));
      if (t == "relative.sample_given" || t == "relative.consent_changed") {
        if (!e.Get("consent").empty()) it->second.consent = std::string(e.Get("consent"));
      }
      it->second.last_event_on = e.recorded_on;
      return {};
    }
    case EntityKind::kSource: {
      if (t != "source.registered") {
        return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
      }
      if (snap.sources.count(e.entity_id))
        return MakeError(ErrorCode::kAlreadyExists, "source exists");
      Source src;
      src.id = e.entity_id;
      src.recorded_on = e.recorded_on;
      src.symbol = std::string(e.Get("symbol"));
      src.title = std::string(e.Get("title"));
      if (src.symbol.empty() && src.title.empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "a source needs a symbol or a title",
                         "symbol");
      }
      WB_ASSIGN_OR_RETURN(src.date, ParseDateField(e.Get("date"), "date"));
      src.url = std::string(e.Get("url"));
      src.sha256 = std::string(e.Get("sha256"));
      if (!src.sha256.empty() &&
          (src.sha256.size() != 64 ||
           src.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
        return MakeError(ErrorCode::kInvalidArgument, "expected 64 lower-case hex digits",
                         "sha256");
      }
      snap.sources.emplace(src.id, std::move(src));
      return {};
    }
    case EntityKind::kIncident: {
      if (t == "incident.registered") {
        if (snap.incidents.count(e.entity_id)) {
          return MakeError(ErrorCode::kAlreadyExists, "incident exists");
        }
        Incident inc;
        inc.id = e.entity_id;
        inc.last_event_on = e.recorded_on;
        WB_ASSIGN_OR_RETURN(inc.date, ParseDateField(e.Get("date"), "date"));
        inc.place = std::string(e.Get("place"));
        inc.description = std::string(e.Get("description"));
        WB_ASSIGN_OR_RETURN(inc.counts, ParseCounts(e.Get("counts")));
        snap.incidents.emplace(inc.id, std::move(inc));
        return {};
      }
      auto it = snap.incidents.find(e.entity_id);
      if (it == snap.incidents.end()) return MakeError(ErrorCode::kNotFound, "no such incident");
      Incident& inc = it->second;
      WB_RETURN_IF_ERROR(CheckOrder(inc, e));
      if (t == "incident.person_linked") {
        WB_ASSIGN_OR_RETURN(int64_t p, ParseId(e.Get("person"), "person"));
        if (std::find(inc.persons.begin(), inc.persons.end(), p) != inc.persons.end()) {
          return tl::unexpected(
              Rule("person " + std::to_string(p) + " is already linked", "person"));
        }
        inc.persons.push_back(p);
      } else if (t == "incident.source_cited") {
        WB_ASSIGN_OR_RETURN(int64_t src, ParseId(e.Get("source"), "source"));
        if (!snap.sources.count(src)) {
          return MakeError(ErrorCode::kNotFound, "no source " + std::to_string(src), "source");
        }
        inc.sources.push_back(src);
      } else if (t == "incident.counts_corrected") {
        WB_ASSIGN_OR_RETURN(inc.counts, ParseCounts(e.Get("counts")));
      } else {
        return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
      }
      inc.last_event_on = e.recorded_on;
      return {};
    }
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
        WB_ASSIGN_OR_RETURN(c.lon, ParseDouble(pt.substr(0, sp), "polygons"));
        WB_ASSIGN_OR_RETURN(c.lat, ParseDouble(pt.substr(sp + 1), "polygons"));
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
