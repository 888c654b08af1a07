// Sites, mine-hazard areas, remains (with custody) and relatives: their state, the rules for their
// events, and a Snapshot of all of them as of a date, derived by replaying events in order.
// Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "registry/date.h"
#include "registry/event.h"
#include "registry/geometry.h"

namespace whereabouts::registry {

// A place where remains are, or may be: mass_grave, grave, burial, cave, well, other.
// Events: site.registered (name, site_kind, lon, lat, village, district, discovered_on, findings),
//         site.corrected (same keys), site.excavated (date, team, findings).
struct Site {
  int64_t id = 0;
  std::string name;
  std::string site_kind;
  LonLat location;
  std::string village;
  std::string district;
  std::optional<Date> discovered_on;
  std::string findings;
  int excavations = 0;
  std::optional<Date> last_excavated_on;
  Date registered_on;
  Date last_event_on;
};

enum class HazardStatus { kSuspected, kConfirmed, kCleared };
[[nodiscard]] std::string_view Name(HazardStatus s);
[[nodiscard]] Result<HazardStatus> ParseHazardStatus(std::string_view s);

// A mine-hazard area. Events: hazard.registered (name, hazard_status, polygons as the text of
// EncodePolygons), hazard.status_changed (hazard_status).
struct Hazard {
  int64_t id = 0;
  std::string name;
  HazardStatus status = HazardStatus::kSuspected;
  std::vector<Polygon> polygons;
  // When it was last cleared (hazard.status_changed to cleared: its date, else its recorded
  // date); nullopt while it never was.
  std::optional<Date> cleared_on;
  Date registered_on;
  Date last_event_on;
};

// Polygons as text: polygons separated by ';', rings by '/', points "lon lat" separated by ','.
[[nodiscard]] std::string EncodePolygons(const std::vector<Polygon>& polygons);
[[nodiscard]] Result<std::vector<Polygon>> DecodePolygons(std::string_view text);

// Remains: a bag, a body or a body part, recovered at a site, in someone's custody.
// Events: remains.recovered (label, remains_kind, site, recovered_on, holder, commingled 0|1),
//         remains.transferred (from, to, date): refused unless `from` holds the item,
//         remains.handed_over (from, to, relation, person, date): to the family, by the holder;
//         the last custody step (no transfer after it),
//         remains.sampled (sample),
//         remains.profile_recorded (sample, profile, source): refused for a sample the remains
//         do not have.
// The DNA profile recorded for one sample of remains (remains.profile_recorded: sample, profile,
// source). `profile` is "MARKER=a/b;..." in marker order with "AMEL=X" or "AMEL=X,Y" when typed;
// a later event replaces it (the history keeps every version).
struct SampleProfile {
  std::string profile;
  Date recorded_on;
  std::string source;  // the allele table it came from
  int versions = 0;    // how many profiles were recorded for the sample
};

struct Remains {
  int64_t id = 0;
  std::string label;
  std::string remains_kind;  // bag, body, body_part
  int64_t site_id = 0;
  std::optional<Date> recovered_on;
  bool commingled = false;
  std::string holder;
  int transfers = 0;
  // The date of the last custody step (recovery, transfer, handover): the next one may not be
  // dated before it.
  std::optional<Date> last_custody_on;
  // Handed over to the family (remains.handed_over: from, to, relation, person, date): the end
  // of the chain of custody; `to` is the receiver. nullopt: not handed over.
  std::optional<Date> handed_over_on;
  std::string handed_over_to;
  std::string handed_over_relation;
  int64_t handed_over_person = 0;  // the identified person they were returned as (0: not named)
  std::vector<std::string> samples;
  std::map<std::string, SampleProfile> profiles;  // sample -> its latest profile
  Date last_event_on;
};

// A reference sample of a relative and who holds it (its chain of custody).
struct ReferenceSample {
  std::string holder;  // "" when not recorded
  int transfers = 0;
};

// A relative of a missing person, who may give a reference sample. The missing person
// (`person_id`) and the relatives registered with it are a family; each relative's place in the
// family's pedigree is its relationship to the missing person (app/families.h turns the words of
// RelationshipWords into a pedigree) and, where that does not say it, its sex and parents.
// Events: relative.registered (person, name, relationship, sample, consent; optional sex, father,
//         mother, holder),
//         relative.sample_given (sample, consent; optional holder),
//         relative.consent_changed (consent),
//         relative.pedigree_recorded (any of relationship, sex, father, mother: the place in the
//         family's pedigree; "-" clears a parent),
//         (relative.registered may also carry missing_person: the relative is itself a missing
//         person of the register, e.g. a second missing brother, placed in the family as missing)
//         relative.profile_recorded (sample, profile, source): refused for a sample the relative
//         has not given,
//         relative.sample_transferred (sample, from, to, date): refused unless `from` holds it,
//         relative.person_changed (person: the record the person's duplicate was merged into).
// consent: none, identification (identification only), identification_and_court.
// sex: male, female, unknown; father, mother: "person:ID" (the family's missing person) or
// "relative:ID" (another relative of the same missing person).
struct Relative {
  int64_t id = 0;
  int64_t person_id = 0;
  std::string name;
  std::string relationship;
  std::string sample;  // the latest reference sample given
  std::string consent;
  std::string sex;             // "" not recorded
  std::string father, mother;  // "" not recorded
  int64_t missing_person = 0;  // > 0: this relative is that missing person of the register
  std::map<std::string, ReferenceSample> samples;  // every reference sample given
  std::map<std::string, SampleProfile> profiles;   // sample -> its latest profile
  Date last_event_on;
};

// One exported version of the list of persons sought (list.exported: sha256, count, as_of).
struct ListVersion {
  int64_t version = 0;
  std::string sha256;
  int64_t count = 0;
  Date recorded_on;
};

// A document cited by the register. Events: source.registered (symbol, title, date, url, sha256
// of the file when there is one).
struct Source {
  int64_t id = 0;
  std::string symbol;  // the document symbol, e.g. "S/2021/123"
  std::string title;
  std::optional<Date> date;
  std::string url;
  std::string sha256;
  Date recorded_on;
};

// An incident: when and where, casualty counts by category, linked persons, cited sources.
// Events: incident.registered (date, place, description, counts "category=n;..."),
//         incident.person_linked (person), incident.source_cited (source),
//         incident.counts_corrected (counts).
struct Incident {
  int64_t id = 0;
  std::optional<Date> date;
  std::string place;
  std::string description;
  std::map<std::string, int64_t> counts;  // category -> number (killed, missing, civilians, ...)
  std::vector<int64_t> persons;
  std::vector<int64_t> sources;
  Date last_event_on;
};

// Parses "category=n;category=n" (n >= 0). Errors: kInvalidArgument naming the bad pair.
[[nodiscard]] Result<std::map<std::string, int64_t>> ParseCounts(std::string_view text);

struct Snapshot {
  std::map<int64_t, Site> sites;
  std::map<int64_t, Hazard> hazards;
  std::map<int64_t, Remains> remains;
  std::map<int64_t, Relative> relatives;
  std::map<int64_t, ListVersion> lists;
  std::map<int64_t, Incident> incidents;
  std::map<int64_t, Source> sources;
};

// Applies one non-person event to `snap`. Errors: kFailedPrecondition naming the broken rule
// (custody transfer from someone who does not hold the item, an event before the entity's last
// one); kInvalidArgument for malformed values; kNotFound for an unknown entity.
[[nodiscard]] Status ApplyToSnapshot(Snapshot& snap, const Event& e);

// Replays events (in seq order) that are visible as of `as_of`. Person events are ignored.
[[nodiscard]] Result<Snapshot> Replay(const std::vector<Event>& events, const AsOf& as_of);

}  // namespace whereabouts::registry
