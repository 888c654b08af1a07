// Use cases of sites (graves, caves, wells, ...) and mine-hazard areas: register a site (flagged
// when it lies in or near a hazard area that is not cleared), record an excavation (refused by the
// register inside an uncleared hazard area), register a hazard area and change its status; read
// the sites with their flags and the hazard areas as of a date.
//
// This layer reads no file and names no command or option.
// Thread-safety: as the Registry passed in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/request.h"
#include "common/result.h"
#include "registry/date.h"
#include "registry/geometry.h"
#include "registry/registry.h"
#include "registry/snapshot.h"

namespace whereabouts::app {

// The distance within which a newly registered site is flagged (metres).
inline constexpr double kSiteFlagDistanceM = 500;

struct AddSiteRequest {
  WriteMeta meta;
  std::string name;
  std::string site_kind = "mass_grave";  // mass_grave, grave, burial, cave, well, other
  registry::LonLat location;             // WGS84; stored with 7 decimals
  std::string village, district;         // "" none
  std::optional<registry::Date> discovered_on;
  std::string findings;
};

struct AddSiteResult {
  int64_t id = 0;   // the new site's id
  int64_t seq = 0;  // its event's seq
  // The site's flags against uncleared hazard areas within kSiteFlagDistanceM, computed after the
  // write. A warning only: empty too when they could not be computed.
  std::vector<registry::SiteHazardFlag> flags;
};

// Records site.registered (the id is given by the register inside the write). Errors: those of
// Registry::Record.
[[nodiscard]] Result<AddSiteResult> AddSite(registry::Registry& registry,
                                            const AddSiteRequest& request);

struct ExcavateSiteRequest {
  WriteMeta meta;
  int64_t site = 0;
  registry::Date date;  // the excavation's date
  std::string team, findings;  // "" none
};

// Records site.excavated. Errors: those of Registry::Record (kFailedPrecondition "excavation
// refused: site N lies inside hazard area M ..."; kNotFound).
[[nodiscard]] Result<registry::Event> ExcavateSite(registry::Registry& registry,
                                                   const ExcavateSiteRequest& request);

struct SiteList {
  std::map<int64_t, registry::Site> sites;
  std::vector<registry::SiteHazardFlag> flags;  // in (site, hazard) order
};

// The sites as of `as_of` and their flags against hazard areas not cleared within `near_m`
// metres. Errors: those of Registry::LoadSnapshot and SiteHazards.
[[nodiscard]] Result<SiteList> ListSites(registry::Registry& registry,
                                         const registry::AsOf& as_of, double near_m);

// The flags of `site` among `flags`, in hazard order.
[[nodiscard]] std::vector<registry::SiteHazardFlag> FlagsOf(
    const std::vector<registry::SiteHazardFlag>& flags, int64_t site);

// What a map of the sites shows, as of one date: the sites, their flags against hazard areas not
// cleared, the hazard areas, and per site the number of persons identified from its remains
// (persons whose case is identified with Person.identified_site naming the site; sites with
// none are absent from `identified`).
struct SiteMap {
  std::map<int64_t, registry::Site> sites;
  std::vector<registry::SiteHazardFlag> flags;  // in (site, hazard) order
  std::map<int64_t, registry::Hazard> hazards;
  std::map<int64_t, int> identified;
};

// Loads the SiteMap as of `as_of`, flagging sites within `near_m` metres. Reads the register in
// pages (persons 1000 at a time). Errors: those of Registry::LoadSnapshot, SiteHazards and
// FindPersons.
[[nodiscard]] Result<SiteMap> LoadSiteMap(registry::Registry& registry, const registry::AsOf& as_of,
                                          double near_m);

struct AddHazardRequest {
  WriteMeta meta;
  std::string name;
  registry::HazardStatus status = registry::HazardStatus::kSuspected;
  std::vector<registry::Polygon> polygons;
};

// Records hazard.registered (the id is given by the register inside the write). Returns the
// stored event (entity_id: the new hazard area's id). Errors: kInvalidArgument for an unusable
// polygon (naming it); those of Registry::Record.
[[nodiscard]] Result<registry::Event> AddHazard(registry::Registry& registry,
                                                const AddHazardRequest& request);

struct ChangeHazardStatusRequest {
  WriteMeta meta;
  int64_t hazard = 0;
  registry::HazardStatus status = registry::HazardStatus::kSuspected;
};

// Records hazard.status_changed. Errors: those of Registry::Record (kNotFound).
[[nodiscard]] Result<registry::Event> ChangeHazardStatus(registry::Registry& registry,
                                                         const ChangeHazardStatusRequest& request);

// The hazard areas as of `as_of`, by id.
[[nodiscard]] Result<std::map<int64_t, registry::Hazard>> ListHazards(
    registry::Registry& registry, const registry::AsOf& as_of);

}  // namespace whereabouts::app
