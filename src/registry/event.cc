#include "registry/event.h"

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

bool IsCreationEvent(std::string_view type) {
  return type == "person.registered" || type == "relative.registered" ||
         type == "site.registered" || type == "hazard.registered" || type == "remains.recovered" ||
         type == "list.exported" || type == "incident.registered" || type == "source.registered";
}

}  // namespace whereabouts::registry
