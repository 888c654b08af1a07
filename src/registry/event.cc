#include "registry/event.h"

#include <string>

#include "registry/sha256.h"

namespace whereabouts::registry {

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kPerson:
      return "person";
    case EntityKind::kRelative:
      return "relative";
    case EntityKind::kSite:
      return "site";
    case EntityKind::kHazard:
      return "hazard";
    case EntityKind::kRemains:
      return "remains";
    case EntityKind::kList:
      return "list";
    case EntityKind::kIncident:
      return "incident";
    case EntityKind::kSource:
      return "source";
  }
  return "person";
}

Result<EntityKind> ParseEntityKind(std::string_view name) {
  for (EntityKind k :
       {EntityKind::kPerson, EntityKind::kRelative, EntityKind::kSite, EntityKind::kHazard,
        EntityKind::kRemains, EntityKind::kList, EntityKind::kIncident, EntityKind::kSource}) {
    if (EntityKindName(k) == name) return k;
  }
  return MakeError(ErrorCode::kInvalidArgument, "unknown entity kind '" + std::string(name) + "'");
}

const std::vector<EventType>& EventTypes() {
  using K = EntityKind;
  static const std::vector<EventType> types = {
      {"person.registered", K::kPerson, true},
      {"person.corrected", K::kPerson, false},
      {"person.captured", K::kPerson, false},
      {"person.detained", K::kPerson, false},
      {"person.icrc_visited", K::kPerson, false},
      {"person.reported_dead", K::kPerson, false},
      {"person.body_returned", K::kPerson, false},
      {"person.found_alive", K::kPerson, false},
      {"person.identification_proposed", K::kPerson, false},
      {"person.identification_rejected", K::kPerson, false},
      {"person.identified", K::kPerson, false},
      {"person.identification_signed_off", K::kPerson, false},
      {"person.identification_revoked", K::kPerson, false},
      {"person.family_notified", K::kPerson, false},
      {"person.merged_into", K::kPerson, false},
      {"person.withdrawn", K::kPerson, false},
      {"relative.registered", K::kRelative, true},
      {"relative.sample_given", K::kRelative, false},
      {"relative.consent_changed", K::kRelative, false},
      {"relative.pedigree_recorded", K::kRelative, false},
      {"relative.profile_recorded", K::kRelative, false},
      {"relative.sample_transferred", K::kRelative, false},
      {"relative.person_changed", K::kRelative, false},
      {"site.registered", K::kSite, true},
      {"site.corrected", K::kSite, false},
      {"site.excavated", K::kSite, false},
      {"hazard.registered", K::kHazard, true},
      {"hazard.status_changed", K::kHazard, false},
      {"remains.recovered", K::kRemains, true},
      {"remains.sampled", K::kRemains, false},
      {"remains.transferred", K::kRemains, false},
      {"remains.handed_over", K::kRemains, false},
      {"remains.commingled", K::kRemains, false},
      {"remains.profile_recorded", K::kRemains, false},
      {"list.exported", K::kList, true},
      {"incident.registered", K::kIncident, true},
      {"incident.person_linked", K::kIncident, false},
      {"incident.source_cited", K::kIncident, false},
      {"incident.counts_corrected", K::kIncident, false},
      {"source.registered", K::kSource, true},
      {"source.identify_run", K::kSource, true},
  };
  return types;
}

const EventType* FindEventType(std::string_view name) {
  for (const EventType& t : EventTypes()) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Status CheckEventType(const Event& e) {
  const EventType* t = FindEventType(e.type);
  if (t == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument, "unknown event type '" + e.type + "'", "type");
  }
  if (t->kind != e.kind) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "event type '" + e.type + "' is not an event of a " + std::string(EntityKindName(e.kind)),
        "type");
  }
  return {};
}

bool IsCreationEvent(std::string_view type) {
  const EventType* t = FindEventType(type);
  return t != nullptr && t->creation;
}

namespace {

void AppendField(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
}

}  // namespace

std::string ChainHash(std::string_view prev_hash, const Event& e) {
  std::string bytes;
  bytes.reserve(256);
  AppendField(bytes, prev_hash);
  AppendField(bytes, std::to_string(e.seq));
  AppendField(bytes, EntityKindName(e.kind));
  AppendField(bytes, std::to_string(e.entity_id));
  AppendField(bytes, e.type);
  AppendField(bytes, e.recorded_on.ToString());
  AppendField(bytes, e.actor);
  AppendField(bytes, e.reason);
  AppendField(bytes, std::to_string(e.payload.size()));
  for (const auto& [k, v] : e.payload) {
    AppendField(bytes, k);
    AppendField(bytes, v);
  }
  return Sha256Hex(bytes);
}

}  // namespace whereabouts::registry
