// The register's records as JSON: one mapping, used by the CLI's --json output and the HTTP API
// (docs/openapi.json describes the same shapes). Dates are YYYY-MM-DD strings ("" when unknown).
// Pure.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "registry/event.h"
#include "registry/figures.h"
#include "registry/identification.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/snapshot.h"

namespace whereabouts::io {

// A person's record with its category under `limits` and its version (the seq of its last event).
[[nodiscard]] nlohmann::json PersonJson(const registry::Person& p,
                                        const registry::AgeLimits& limits);
// The ICRC's minimum data of a person (registry::IcrcData): birth_place, identity_documents (a
// list), informant_name, informant_relation, informant_contact, family_contact, last_seen_date,
// last_seen_place, last_seen_by, physical_description; "" (or []) when not recorded.
[[nodiscard]] nlohmann::json IcrcJson(const registry::IcrcData& d);
// A person's record in a list: id, names, sex, birth, affiliation, status, disappearance, version.
[[nodiscard]] nlohmann::json PersonSummaryJson(const registry::Person& p);
// One event of a history: seq, type, recorded_on, by, reason, payload.
[[nodiscard]] nlohmann::json EventJson(const registry::Event& e);
// The figures with their chain head: as_of, age_limits, computed_from, rows, checks, all_add_up.
[[nodiscard]] nlohmann::json FiguresJson(const registry::Figures& f,
                                         const registry::ChainHead& head);
// A site: id, name, site_kind, lon, lat, village, district, discovered_on, findings,
// excavations, last_excavated_on.
[[nodiscard]] nlohmann::json SiteJson(const registry::Site& s);
// Hazard areas as a GeoJSON FeatureCollection (RFC 7946): one (Multi)Polygon feature each, with
// properties id, name, hazard_status, registered_on. Rings are closed and follow the right-hand
// rule (exterior counterclockwise, holes clockwise), reversed from the stored order if need be.
[[nodiscard]] nlohmann::json HazardsGeoJson(const std::map<int64_t, registry::Hazard>& hazards);
// Sites and hazard areas as one GeoJSON FeatureCollection (RFC 7946, WGS84 [lon, lat], closed
// rings) for QGIS or a GPS: a Point feature per site, its properties those of SiteJson plus
// `identified` (persons identified from remains of the site: identified[site], 0 if absent),
// `hazard_flag` ("inside", "near" or "none": the nearest reason among its flags) and `hazards`
// (one {hazard_id, hazard_status, inside, distance_m} per flag of the site, in hazard order);
// then the hazard features of HazardsGeoJson. ParseGeoJson reads it back to the same sites and
// hazard areas (the derived properties are ignored there).
[[nodiscard]] nlohmann::json SitesGeoJson(const std::map<int64_t, registry::Site>& sites,
                                          const std::vector<registry::SiteHazardFlag>& flags,
                                          const std::map<int64_t, int>& identified,
                                          const std::map<int64_t, registry::Hazard>& hazards);
// A proposal and its decisions, without genetic evidence (LR, posterior, candidates, run
// individual) unless `genetic`.
[[nodiscard]] nlohmann::json ProposalJson(const registry::IdentificationProposal& p, bool genetic);

}  // namespace whereabouts::io
