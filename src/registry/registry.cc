#include "registry/registry.h"

#include <cstdio>
#include <cstdlib>
#include <set>

namespace whereabouts::registry {

Result<std::vector<SiteHazardFlag>> FlagSite(const Site& site, const Snapshot& snap,
                                             Geometry& geometry, double near_m) {
  std::vector<SiteHazardFlag> out;
  for (const auto& [hid, h] : snap.hazards) {
    if (h.status == HazardStatus::kCleared) continue;
    WB_ASSIGN_OR_RETURN(PointRelation rel, geometry.Relate(site.location, h.polygons));
    if (rel.inside || rel.distance_m <= near_m) {
      out.push_back(SiteHazardFlag{site.id, hid, h.status, rel.inside, rel.distance_m});
    }
  }
  return out;
}

namespace {

// The person (as registered now) whose id the payload of `e` holds under `key`. Errors, naming
// `key`: kInvalidArgument when it is not a number, kNotFound when there is no such person.
Result<Person> ReferencedPerson(RegistryStore& store, const Event& e, const std::string& key) {
  int64_t id = 0;
  try {
    id = std::stoll(std::string(e.Get(key)));
  } catch (...) {
    return MakeError(ErrorCode::kInvalidArgument, "expected a person id", key);
  }
  WB_ASSIGN_OR_RETURN(std::optional<Person> person, store.FindPerson(PersonId{id}, std::nullopt));
  if (!person) return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(id), key);
  return std::move(*person);
}

}  // namespace

Status Registry::CheckCrossRules(const Event& e, const Snapshot& snap) {
  if (e.type == "person.merged_into") {
    WB_ASSIGN_OR_RETURN(const Person target, ReferencedPerson(store_, e, "into"));
    if (!target.Counted()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "person " + std::to_string(target.id.value) + " is itself " +
                           std::string(Name(target.status)),
                       "into");
    }
  } else if (e.type == "incident.person_linked" || e.type == "relative.registered") {
    WB_RETURN_IF_ERROR(ReferencedPerson(store_, e, "person"));
  } else if (e.type == "site.excavated") {
    auto it = snap.sites.find(e.entity_id);
    if (it == snap.sites.end()) {
      return MakeError(ErrorCode::kNotFound, "no site " + std::to_string(e.entity_id));
    }
    WB_ASSIGN_OR_RETURN(auto flags, FlagSite(it->second, snap, geometry_, 0.0));
    for (const auto& f : flags) {
      if (!f.inside) continue;
      const Hazard& h = snap.hazards.at(f.hazard_id);
      return MakeError(ErrorCode::kFailedPrecondition,
                       "excavation refused: site " + std::to_string(e.entity_id) +
                           " lies inside hazard area " + std::to_string(h.id) + " '" + h.name +
                           "', which is " + std::string(Name(h.status)) +
                           " and not cleared; record its clearance first");
    }
  }
  if (e.kind != EntityKind::kPerson) {
    Snapshot copy = snap;  // ApplyToSnapshot must not change the caller's view on error
    WB_RETURN_IF_ERROR(ApplyToSnapshot(copy, e));
  }
  return {};
}

Result<Proposals> Registry::LoadProposals(const AsOf& as_of) {
  EventQuery q;
  q.kind = EntityKind::kPerson;
  q.as_of = as_of;
  WB_ASSIGN_OR_RETURN(auto events, store_.Events(q));
  return ReplayProposals(events, as_of);
}

Status Registry::CheckIdentificationRules(const Event& e) {
  if (e.kind != EntityKind::kPerson) return {};
  if (IsIdentificationEvent(e.type)) {
    WB_ASSIGN_OR_RETURN(const Proposals proposals, LoadProposals(std::nullopt));
    return CheckIdentificationEvent(proposals, e);
  }
  if (e.type == "person.family_notified") {
    WB_ASSIGN_OR_RETURN(std::optional<Person> p,
                        store_.FindPerson(PersonId{e.entity_id}, std::nullopt));
    if (p && p->status != CaseStatus::kIdentified) {
      WB_ASSIGN_OR_RETURN(const Proposals proposals, LoadProposals(std::nullopt));
      const auto pending = PendingProposalsOf(proposals, p->id);
      if (!pending.empty()) {
        return MakeError(ErrorCode::kFailedPrecondition,
                         "the family can be notified only of a confirmed identification; "
                         "proposal " +
                             std::to_string(pending.front()) +
                             " is not confirmed (whereabouts identification confirm " +
                             std::to_string(pending.front()) + ")",
                         "person " + std::to_string(e.entity_id) + ", person.family_notified");
      }
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the family can be notified only of a confirmed identification; the case "
                       "is " +
                           std::string(Name(p->status)),
                       "person " + std::to_string(e.entity_id) + ", person.family_notified");
    }
  }
  return {};
}

Result<Event> Registry::Record(Event e) {
  Result<Event> out = MakeError(ErrorCode::kInternal, "no event recorded");
  WB_RETURN_IF_ERROR(store_.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(out, RecordLocked(std::move(e)));
    return {};
  }));
  return out;
}

Result<Event> Registry::RecordLocked(Event e) {
  WB_RETURN_IF_ERROR(CheckIdentificationRules(e));
  WB_ASSIGN_OR_RETURN(Snapshot snap, LoadSnapshot(std::nullopt, e.kind == EntityKind::kRelative));
  if (e.entity_id == 0 && IsCreationEvent(e.type)) {
    WB_ASSIGN_OR_RETURN(e.entity_id, store_.NextId(e.kind));
  }
  WB_RETURN_IF_ERROR(CheckCrossRules(e, snap));
  std::vector<Event> batch{std::move(e)};
  WB_ASSIGN_OR_RETURN(auto stored, store_.Append(std::move(batch)));
  return stored.front();
}

Result<std::vector<Event>> Registry::RecordBatch(std::vector<Event> events) {
  Result<std::vector<Event>> out = MakeError(ErrorCode::kInternal, "no event recorded");
  WB_RETURN_IF_ERROR(store_.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(out, RecordBatchLocked(std::move(events)));
    return {};
  }));
  return out;
}

Result<std::vector<Event>> Registry::RecordBatchLocked(std::vector<Event> events) {
  // Only sites, hazards, remains and merges are checked against the register; a batch of persons
  // and relatives (bulk import) needs no snapshot.
  bool needs_snapshot = false;
  for (const Event& e : events) {
    if (e.kind != EntityKind::kPerson && e.kind != EntityKind::kRelative) needs_snapshot = true;
    if (e.type == "person.merged_into") needs_snapshot = true;
  }
  Snapshot snap;
  if (needs_snapshot) {
    WB_ASSIGN_OR_RETURN(snap, LoadSnapshot(std::nullopt));
  }
  // Proposals and their confirmations are checked against the proposals as the batch grows.
  std::optional<Proposals> proposals;
  for (const Event& e : events) {
    if (e.kind == EntityKind::kPerson && IsIdentificationEvent(e.type)) {
      WB_ASSIGN_OR_RETURN(proposals, LoadProposals(std::nullopt));
      break;
    }
  }
  std::set<int64_t> new_persons;  // registered earlier in this batch
  for (const Event& e : events) {
    if (e.type == "person.registered") new_persons.insert(e.entity_id);
    if (proposals && e.kind == EntityKind::kPerson && IsIdentificationEvent(e.type)) {
      WB_RETURN_IF_ERROR(CheckIdentificationEvent(*proposals, e));
      ApplyToProposals(*proposals, e);
    }
    if (e.kind == EntityKind::kPerson && e.type != "person.merged_into") continue;
    if (e.type == "person.merged_into" &&
        new_persons.count(std::atoll(std::string(e.Get("into")).c_str()))) {
      continue;  // the store checks the merged record itself; its target is in this batch
    }
    if (e.type == "incident.person_linked" &&
        new_persons.count(std::atoll(std::string(e.Get("person")).c_str()))) {
      WB_RETURN_IF_ERROR(ApplyToSnapshot(snap, e));  // the person is registered in this batch
      continue;
    }
    if (e.type == "relative.registered") {
      // Relatives in bulk: their persons are usually in the same batch; the store's foreign keys
      // do not cover payload references, so only the format is checked here.
      WB_RETURN_IF_ERROR(ApplyToSnapshot(snap, e));
      continue;
    }
    WB_RETURN_IF_ERROR(CheckCrossRules(e, snap));
    if (e.kind != EntityKind::kPerson) WB_RETURN_IF_ERROR(ApplyToSnapshot(snap, e));
  }
  return store_.Append(std::move(events));
}

Result<Snapshot> Registry::LoadSnapshot(const AsOf& as_of, bool with_relatives) {
  EventQuery q;
  q.as_of = as_of;
  q.include_relatives = with_relatives;
  WB_ASSIGN_OR_RETURN(auto events, store_.Events(q));
  return Replay(events, as_of);
}

Result<Figures> Registry::ComputeFigures(const AsOf& as_of, const AgeLimits& limits) {
  WB_ASSIGN_OR_RETURN(Snapshot snap, LoadSnapshot(as_of));
  return registry::ComputeFigures(
      [&](const PersonVisitor& visit) { return store_.VisitPersonsForFigures(as_of, visit); }, snap,
      limits, as_of);
}

Result<std::vector<SiteHazardFlag>> Registry::SiteHazards(const AsOf& as_of, double near_m) {
  WB_ASSIGN_OR_RETURN(Snapshot snap, LoadSnapshot(as_of));
  std::vector<SiteHazardFlag> out;
  for (const auto& [id, site] : snap.sites) {
    WB_ASSIGN_OR_RETURN(auto flags, FlagSite(site, snap, geometry_, near_m));
    out.insert(out.end(), flags.begin(), flags.end());
  }
  return out;
}

}  // namespace whereabouts::registry
