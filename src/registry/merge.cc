#include "registry/merge.h"

#include <algorithm>
#include <optional>

namespace whereabouts::registry {
namespace {

std::string Text(const std::optional<Date>& d) { return d ? d->ToString() : ""; }
std::string Text(const std::optional<int>& v) { return v ? std::to_string(*v) : ""; }

std::string JoinBar(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "|") + p;
  return out;
}

// The last event of `type` in `events`, or nullptr.
const Event* Last(const std::vector<Event>& events, std::string_view type) {
  const Event* out = nullptr;
  for (const Event& e : events) {
    if (e.type == type) out = &e;
  }
  return out;
}

}  // namespace

Result<Person> PersonFromEvents(const std::vector<Event>& events) {
  std::optional<Person> p;
  for (const Event& e : events) {
    if (e.kind != EntityKind::kPerson) continue;
    WB_ASSIGN_OR_RETURN(Person next, ApplyPersonEvent(p, e));
    if (e.type == "person.registered" || e.type == "person.corrected") {
      WB_RETURN_IF_ERROR(ApplyIcrcFields(next.icrc, e.payload));
    }
    p = std::move(next);
  }
  if (!p) return MakeError(ErrorCode::kNotFound, "no events of the person");
  return std::move(*p);
}

Result<MergePlan> PlanMerge(const std::vector<Event>& keep_events,
                            const std::vector<Event>& duplicate_events,
                            const std::vector<Relative>& duplicate_relatives) {
  WB_ASSIGN_OR_RETURN(const Person keep, PersonFromEvents(keep_events));
  WB_ASSIGN_OR_RETURN(const Person dup, PersonFromEvents(duplicate_events));
  MergePlan plan;
  const std::string other = "person " + std::to_string(dup.id.value);
  const auto conflict = [&](const std::string& what, const std::string& here,
                            const std::string& there) {
    plan.conflicts.push_back(what + ": " + (here.empty() ? "(none)" : here) + " here, " +
                             (there.empty() ? "(none)" : there) + " in " + other);
  };

  // 1. The registration: names in every spelling, and the fields only the duplicate gives.
  Fields fix;
  const auto take = [&](const std::string& key, const std::string& here, const std::string& there) {
    if (there.empty() || here == there) return;
    if (here.empty()) {
      fix[key] = there;
    } else {
      conflict(key, here, there);
    }
  };
  std::vector<std::string> spellings = keep.other_names;
  const auto add_spelling = [&](const std::string& name) {
    if (name.empty() || name == keep.FullName()) return;
    if (std::find(spellings.begin(), spellings.end(), name) == spellings.end()) {
      spellings.push_back(name);
    }
  };
  add_spelling(dup.FullName());
  for (const std::string& n : dup.other_names) add_spelling(n);
  if (spellings != keep.other_names) fix["other_names"] = JoinBar(spellings);
  if (keep.family_name.empty()) take("family_name", keep.family_name, dup.family_name);
  if (keep.given_name.empty()) take("given_name", keep.given_name, dup.given_name);
  take("father_name", keep.father_name, dup.father_name);
  take("sex", keep.sex == Sex::kUnknown ? "" : std::string(Name(keep.sex)),
       dup.sex == Sex::kUnknown ? "" : std::string(Name(dup.sex)));
  take("birth_date", Text(keep.birth_date), Text(dup.birth_date));
  if (!keep.birth_date) {
    take("birth_year_min", Text(keep.birth_year_min), Text(dup.birth_year_min));
    take("birth_year_max", Text(keep.birth_year_max), Text(dup.birth_year_max));
  }
  if (keep.affiliation != dup.affiliation) {
    conflict("affiliation", std::string(Name(keep.affiliation)),
             std::string(Name(dup.affiliation)));
  } else if (keep.affiliation == Affiliation::kServiceman) {
    take("unit", keep.unit, dup.unit);
  }
  take("disappearance_date", Text(keep.disappearance_date), Text(dup.disappearance_date));
  take("disappearance_place", keep.disappearance_place, dup.disappearance_place);
  take("circumstances", keep.circumstances, dup.circumstances);
  // The ICRC's minimum data.
  const IcrcData& a = keep.icrc;
  const IcrcData& b = dup.icrc;
  take("birth_place", a.birth_place, b.birth_place);
  std::vector<std::string> documents = a.identity_documents;
  for (const std::string& d : b.identity_documents) {
    if (std::find(documents.begin(), documents.end(), d) == documents.end()) documents.push_back(d);
  }
  if (documents != a.identity_documents) fix["identity_documents"] = JoinBar(documents);
  take("informant_name", a.informant_name, b.informant_name);
  take("informant_relation", a.informant_relation, b.informant_relation);
  take("informant_contact", a.informant_contact, b.informant_contact);
  take("family_contact", a.family_contact, b.family_contact);
  take("last_seen_date", Text(a.last_seen_date), Text(b.last_seen_date));
  take("last_seen_place", a.last_seen_place, b.last_seen_place);
  take("last_seen_by", a.last_seen_by, b.last_seen_by);
  take("physical_description", a.physical_description, b.physical_description);
  const auto on_keep = [&](std::string type, Fields payload) {
    Event e;
    e.kind = EntityKind::kPerson;
    e.entity_id = keep.id.value;
    e.type = std::move(type);
    e.payload = std::move(payload);
    plan.events.push_back(std::move(e));
  };
  if (!fix.empty()) on_keep("person.corrected", fix);

  // 2. What happened to the person: a capture (with detention and ICRC visits) and a reported
  // death (with the return of the body) that only the duplicate records are carried over.
  if (dup.capture != CaptureKind::kNone) {
    if (keep.capture == CaptureKind::kNone && !keep.reported_dead) {
      if (const Event* c = Last(duplicate_events, "person.captured")) {
        on_keep(c->type, c->payload);
      }
      if (const Event* d = Last(duplicate_events, "person.detained")) {
        on_keep(d->type, d->payload);
      }
      for (const Event& v : duplicate_events) {
        if (v.type == "person.icrc_visited") on_keep(v.type, v.payload);
      }
    } else if (keep.capture == CaptureKind::kNone) {
      conflict("capture", "reported dead, no capture", std::string(Name(dup.capture)));
    } else if (keep.capture != dup.capture || keep.capture_date != dup.capture_date) {
      conflict("capture", std::string(Name(keep.capture)) + " " + Text(keep.capture_date),
               std::string(Name(dup.capture)) + " " + Text(dup.capture_date));
    }
  }
  if (dup.reported_dead) {
    if (!keep.reported_dead && keep.status != CaseStatus::kFoundAlive) {
      if (const Event* r = Last(duplicate_events, "person.reported_dead")) {
        on_keep(r->type, r->payload);
      }
      if (const Event* r = Last(duplicate_events, "person.body_returned")) {
        on_keep(r->type, r->payload);
      }
    } else if (keep.death_date != dup.death_date) {
      conflict("death_date", Text(keep.death_date), Text(dup.death_date));
    }
  }
  if (dup.status != keep.status && dup.status != CaseStatus::kOpen) {
    conflict("status", std::string(Name(keep.status)), std::string(Name(dup.status)));
  }

  // 3. The duplicate's relatives (with their reference samples) belong to the kept record.
  for (const Relative& r : duplicate_relatives) {
    Event e;
    e.kind = EntityKind::kRelative;
    e.entity_id = r.id;
    e.type = "relative.person_changed";
    e.payload["person"] = std::to_string(keep.id.value);
    plan.events.push_back(std::move(e));
  }

  // 4. The merge itself, naming what is left to resolve.
  Event m;
  m.kind = EntityKind::kPerson;
  m.entity_id = dup.id.value;
  m.type = "person.merged_into";
  m.payload["into"] = std::to_string(keep.id.value);
  if (!plan.conflicts.empty()) {
    std::string all;
    for (const std::string& c : plan.conflicts) all += (all.empty() ? "" : "; ") + c;
    m.payload["conflicts"] = all;
  }
  plan.events.push_back(std::move(m));
  return plan;
}

}  // namespace whereabouts::registry
