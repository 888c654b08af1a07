#include "app/sites.h"

#include <cstdio>

namespace whereabouts::app {
namespace {

using registry::EntityKind;

// A coordinate with 7 decimals (about 1 cm), as stored.
std::string Coordinate(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7f", v);
  return buf;
}
using registry::Event;

}  // namespace

Result<AddSiteResult> AddSite(registry::Registry& registry, const AddSiteRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kSite, "site.registered", 0);
  e.payload["name"] = req.name;
  e.payload["site_kind"] = req.site_kind;
  e.payload["lon"] = Coordinate(req.location.lon);
  e.payload["lat"] = Coordinate(req.location.lat);
  if (!req.village.empty()) e.payload["village"] = req.village;
  if (!req.district.empty()) e.payload["district"] = req.district;
  if (req.discovered_on) e.payload["discovered_on"] = req.discovered_on->ToString();
  if (!req.findings.empty()) e.payload["findings"] = req.findings;
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  AddSiteResult res;
  res.id = stored.entity_id;
  res.seq = stored.seq;
  // A warning only: the site is recorded whether or not its flags can be computed.
  if (auto flags = registry.SiteHazards(std::nullopt, kSiteFlagDistanceM)) {
    res.flags = FlagsOf(*flags, res.id);
  }
  return res;
}

Result<Event> ExcavateSite(registry::Registry& registry, const ExcavateSiteRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kSite, "site.excavated", req.site);
  e.payload["date"] = req.date.ToString();
  if (!req.team.empty()) e.payload["team"] = req.team;
  if (!req.findings.empty()) e.payload["findings"] = req.findings;
  return registry.Record(std::move(e), WriteOptionsFor(req.meta));
}

Result<SiteList> ListSites(registry::Registry& registry, const registry::AsOf& as_of,
                           double near_m) {
  SiteList out;
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  out.sites = std::move(snap.sites);
  WB_ASSIGN_OR_RETURN(out.flags, registry.SiteHazards(as_of, near_m));
  return out;
}

Result<SiteMap> LoadSiteMap(registry::Registry& registry, const registry::AsOf& as_of,
                            double near_m) {
  SiteMap out;
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  out.sites = std::move(snap.sites);
  out.hazards = std::move(snap.hazards);
  WB_ASSIGN_OR_RETURN(out.flags, registry.SiteHazards(as_of, near_m));
  registry::PersonQuery q;
  q.as_of = as_of;
  q.status = registry::CaseStatus::kIdentified;
  q.limit = 1000;
  do {
    WB_ASSIGN_OR_RETURN(const registry::PersonPage page, registry.FindPersons(q));
    for (const auto& p : page.persons) {
      if (p.status == registry::CaseStatus::kIdentified && p.identified_site != 0) {
        ++out.identified[p.identified_site];
      }
    }
    q.after = page.next_after;
  } while (q.after != 0);
  return out;
}

std::vector<registry::SiteHazardFlag> FlagsOf(const std::vector<registry::SiteHazardFlag>& flags,
                                              int64_t site) {
  std::vector<registry::SiteHazardFlag> out;
  for (const auto& f : flags) {
    if (f.site_id == site) out.push_back(f);
  }
  return out;
}

Result<Event> AddHazard(registry::Registry& registry, const AddHazardRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kHazard, "hazard.registered", 0);
  e.payload["name"] = req.name;
  e.payload["hazard_status"] = std::string(Name(req.status));
  e.payload["polygons"] = registry::EncodePolygons(req.polygons);
  return registry.Record(std::move(e), WriteOptionsFor(req.meta));
}

Result<Event> ChangeHazardStatus(registry::Registry& registry,
                                 const ChangeHazardStatusRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kHazard, "hazard.status_changed", req.hazard);
  e.payload["hazard_status"] = std::string(Name(req.status));
  return registry.Record(std::move(e), WriteOptionsFor(req.meta));
}

Result<std::map<int64_t, registry::Hazard>> ListHazards(registry::Registry& registry,
                                                        const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  return std::move(snap.hazards);
}

}  // namespace whereabouts::app
