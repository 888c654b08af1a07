// Relatives of missing persons: registration, reference samples, consent.
#include "registry/payload.h"
#include "registry/snapshot_rules.h"

namespace whereabouts::registry::internal {

Status ApplyRelativeEvent(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
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
  if (t == "relative.person_changed") {
    // The person's record was merged into another: the relative follows it.
    WB_ASSIGN_OR_RETURN(it->second.person_id, ParseId(e.Get("person"), "person"));
  }
  if (t == "relative.sample_given") it->second.sample = std::string(e.Get("sample"));
  if (t == "relative.sample_given" || t == "relative.consent_changed") {
    if (!e.Get("consent").empty()) it->second.consent = std::string(e.Get("consent"));
  }
  it->second.last_event_on = e.recorded_on;
  return {};
}

}  // namespace whereabouts::registry::internal
