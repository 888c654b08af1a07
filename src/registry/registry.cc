#include "registry/registry.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "registry/duplicates.h"
#include "registry/payload.h"
#include "registry/record_rules.h"

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
  WB_ASSIGN_OR_RETURN(const int64_t id, ParseId(e.Get(key), key));
  WB_ASSIGN_OR_RETURN(std::optional<Person> person, store.FindPerson(PersonId{id}, std::nullopt));
  if (!person) return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(id), key);
  return std::move(*person);
}

}  // namespace

Status Registry::CheckCrossRules(const Event& e, Snapshot& snap, bool in_place) {
  if (e.type == "person.merged_into") {
    WB_ASSIGN_OR_RETURN(const Person target, ReferencedPerson(store_, e, "into"));
    if (!target.Counted()) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "person " + std::to_string(target.id.value) + " is itself " +
                           std::string(Name(target.status)),
                       "into");
    }
  } else if (e.type == "incident.person_linked" || e.type == "relative.registered" ||
             e.type == "relative.person_changed") {
    WB_RETURN_IF_ERROR(ReferencedPerson(store_, e, "person"));
    if (!e.Get("missing_person").empty()) {
      WB_RETURN_IF_ERROR(ReferencedPerson(store_, e, "missing_person"));
    }
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
    WB_RETURN_IF_ERROR(CheckExcavationDate(e, it->second, snap));
  } else if (e.type == "remains.recovered" && !e.Get("site").empty()) {
    WB_RETURN_IF_ERROR(CheckRecoverySite(e, snap));
  } else if (e.type == "remains.transferred" || e.type == "remains.handed_over") {
    WB_RETURN_IF_ERROR(CheckCustodyDate(e, snap));
    if (e.type == "remains.handed_over") WB_RETURN_IF_ERROR(CheckHandover(e, snap));
  }
  if (e.kind != EntityKind::kPerson && in_place) return ApplyToSnapshot(snap, e);
  if (e.kind != EntityKind::kPerson) {
    Snapshot copy = snap;  // ApplyToSnapshot must not change the caller's view on error
    WB_RETURN_IF_ERROR(ApplyToSnapshot(copy, e));
  }
  return {};
}

Status Registry::CheckExcavationDate(const Event& e, const Site& site, const Snapshot& snap) {
  WB_ASSIGN_OR_RETURN(const auto date, ParseDateField(e.Get("date"), "date"));
  if (!date) return {};  // refused by the site's rules
  const std::string where = "site " + std::to_string(site.id) + ", site.excavated";
  if (site.discovered_on && *date < *site.discovered_on) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "excavation dated " + date->ToString() +
                         " is before the site was discovered (" + site.discovered_on->ToString() +
                         ")",
                     where + ", date");
  }
  for (const auto& [hid, h] : snap.hazards) {
    if (h.status != HazardStatus::kCleared || !h.cleared_on || *date >= *h.cleared_on) continue;
    WB_ASSIGN_OR_RETURN(PointRelation rel, geometry_.Relate(site.location, h.polygons));
    if (!rel.inside) continue;
    return MakeError(ErrorCode::kFailedPrecondition,
                     "excavation dated " + date->ToString() + " is before hazard area " +
                         std::to_string(h.id) + " '" + h.name +
                         "', in which the site lies, was cleared (" + h.cleared_on->ToString() +
                         "); an excavation cannot be back-dated",
                     where + ", date");
  }
  return {};
}

Status Registry::CheckRecoverySite(const Event& e, const Snapshot& snap) {
  WB_ASSIGN_OR_RETURN(const int64_t sid, ParseId(e.Get("site"), "site"));
  auto it = snap.sites.find(sid);
  if (it == snap.sites.end()) return {};  // refused by the remains' rules (no such site)
  const Site& site = it->second;
  WB_ASSIGN_OR_RETURN(const auto recovered, ParseDateField(e.Get("recovered_on"), "recovered_on"));
  for (const auto& [hid, h] : snap.hazards) {
    WB_ASSIGN_OR_RETURN(PointRelation rel, geometry_.Relate(site.location, h.polygons));
    if (!rel.inside) continue;
    if (site.excavations == 0) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "remains cannot be recovered from site " + std::to_string(sid) + " '" +
                           site.name + "': it lies inside hazard area " + std::to_string(h.id) +
                           " '" + h.name + "' (" + std::string(Name(h.status)) +
                           ") and no excavation was recorded there (one is allowed only once "
                           "the area is cleared)",
                       "site");
    }
  }
  if (recovered && site.discovered_on && *recovered < *site.discovered_on) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "remains recovered on " + recovered->ToString() + " from site " +
                         std::to_string(sid) + ", before it was discovered (" +
                         site.discovered_on->ToString() + ")",
                     "recovered_on");
  }
  return {};
}

Status Registry::CheckHandover(const Event& e, const Snapshot& snap) {
  const std::string where = "remains " + std::to_string(e.entity_id) + ", remains.handed_over";
  if (e.Get("person").empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a handover to a family names the identified person they are returned as",
                     where + ", person");
  }
  WB_ASSIGN_OR_RETURN(const Person person, ReferencedPerson(store_, e, "person"));
  if (person.status != CaseStatus::kIdentified) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "remains are handed over to a family only as an identified person's; person " +
                         std::to_string(person.id.value) + " is " +
                         std::string(Name(person.status)),
                     where + ", person");
  }
  auto it = snap.remains.find(e.entity_id);
  if (it == snap.remains.end()) return {};  // refused by the remains' rules
  const std::string& labels = person.identified_remains;
  if (!labels.empty()) {
    bool named = false;
    size_t start = 0;
    while (start <= labels.size()) {
      size_t bar = labels.find('|', start);
      if (bar == std::string::npos) bar = labels.size();
      named = named || labels.compare(start, bar - start, it->second.label) == 0;
      start = bar + 1;
    }
    if (!named) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "remains " + it->second.label + " are not among the remains person " +
                           std::to_string(person.id.value) + " was identified from (" + labels +
                           ")",
                       where + ", person");
    }
  }
  WB_ASSIGN_OR_RETURN(const auto date, ParseDateField(e.Get("date"), "date"));
  if (date && person.identified_on && *date < *person.identified_on) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the handover dated " + date->ToString() + " is before the identification (" +
                         person.identified_on->ToString() + ")",
                     where + ", date");
  }
  return {};
}

Status Registry::CheckCustodyDate(const Event& e, const Snapshot& snap) {
  auto it = snap.remains.find(e.entity_id);
  if (it == snap.remains.end()) return {};  // refused by the remains' rules
  WB_ASSIGN_OR_RETURN(const auto date, ParseDateField(e.Get("date"), "date"));
  const Remains& r = it->second;
  if (date && r.last_custody_on && *date < *r.last_custody_on) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "custody step dated " + date->ToString() +
                         " is before the last one of remains " + r.label + " (" +
                         r.last_custody_on->ToString() +
                         "): the chain of custody is recorded in time order",
                     "remains " + std::to_string(r.id) + ", " + e.type + ", date");
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
    WB_RETURN_IF_ERROR(CheckIdentificationEvent(proposals, e));
    return CheckDnaRules(e, proposals);
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
                             std::to_string(pending.front()) + " is not confirmed",
                         "person " + std::to_string(e.entity_id) + ", person.family_notified");
      }
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the family can be notified only of a confirmed identification; the case "
                       "is " +
                           std::string(Name(p->status)),
                       "person " + std::to_string(e.entity_id) + ", person.family_notified");
    }
    if (p) {
      // Identified: the confirmed identification must be signed off (four-eyes rule). Only this
      // person's proposals matter, so only this person's events are replayed.
      EventQuery q;
      q.kind = EntityKind::kPerson;
      q.entity_id = e.entity_id;
      WB_ASSIGN_OR_RETURN(const auto events, store_.Events(q));
      return CheckNotification(ReplayProposals(events, std::nullopt), e);
    }
  }
  return {};
}

Status Registry::CheckDnaRules(const Event& e, const Proposals& proposals) {
  if (e.type != "person.identified" || e.Get("proposal").empty()) return {};
  auto id = ParseId(e.Get("proposal"), "proposal");
  if (!id) return {};
  auto it = proposals.find(*id);
  if (it == proposals.end()) return {};
  const IdentificationProposal& p = it->second;
  WB_ASSIGN_OR_RETURN(std::optional<Person> person,
                      store_.FindPerson(PersonId{e.entity_id}, std::nullopt));
  if (!person) return {};  // registered in the same batch (a dated history): nothing to check
  std::vector<Relative> relatives;
  if (!p.run.empty()) {
    WB_ASSIGN_OR_RETURN(relatives, RelativesOfLocked(person->id, std::nullopt));
  }
  std::map<int64_t, Remains> remains;
  if (person->sex == Sex::kFemale) {
    // The remains with their sites and hazards (remains name their site; replaying the remains
    // alone would miss it).
    WB_ASSIGN_OR_RETURN(Snapshot snap, LoadSnapshot(std::nullopt));
    remains = std::move(snap.remains);
  }
  return CheckDnaConfirmation(p, *person, relatives, remains, e);
}

Status Registry::CheckUniqueIds(const std::vector<Event>& events) {
  const auto has_sample = [](const Event& e) {
    return (e.type == "remains.sampled" || e.type == "relative.registered" ||
            e.type == "relative.sample_given") &&
           !e.Get("sample").empty();
  };
  bool any = false;
  for (const Event& e : events) any = any || has_sample(e) || e.type == "remains.recovered";
  if (!any) return {};
  // Who has each sample id and each label now: (kind, id) and how to name it.
  struct Owner {
    EntityKind kind;
    int64_t id;
    std::string name;
  };
  std::map<std::string, Owner> sample_owner;
  std::map<std::string, Owner> label_owner;
  std::map<int64_t, std::string> label_of;
  const auto take = [&](const Event& e) -> Status {
    const std::string where =
        std::string(EntityKindName(e.kind)) + " " + std::to_string(e.entity_id) + ", " + e.type;
    if (e.type == "remains.recovered") {
      const std::string label(e.Get("label"));
      label_of[e.entity_id] = label;
      if (label.empty()) return {};
      auto [it, fresh] = label_owner.emplace(
          label, Owner{e.kind, e.entity_id, "remains " + std::to_string(e.entity_id)});
      if (!fresh && it->second.id != e.entity_id) {
        return MakeError(ErrorCode::kAlreadyExists,
                         "the label " + label + " is already used by " + it->second.name +
                             "; a label names one item of remains",
                         where);
      }
      return {};
    }
    if (!has_sample(e)) return {};
    const std::string sample(e.Get("sample"));
    const std::string name =
        e.kind == EntityKind::kRemains
            ? "remains " + std::to_string(e.entity_id) +
                  (label_of.count(e.entity_id) ? " (" + label_of[e.entity_id] + ")" : "")
            : "relative " + std::to_string(e.entity_id) + " (a reference sample)";
    auto [it, fresh] = sample_owner.emplace(sample, Owner{e.kind, e.entity_id, name});
    if (fresh) return {};
    // The same relative giving its own sample again (with a change of consent) is no new owner.
    if (it->second.kind == EntityKind::kRelative && e.kind == EntityKind::kRelative &&
        it->second.id == e.entity_id) {
      return {};
    }
    return MakeError(ErrorCode::kAlreadyExists,
                     "sample " + sample + " is already recorded on " + it->second.name +
                         "; a sample id names one item (remains or a relative's reference sample)",
                     where);
  };
  for (EntityKind kind : {EntityKind::kRemains, EntityKind::kRelative}) {
    EventQuery q;
    q.kind = kind;
    WB_ASSIGN_OR_RETURN(const auto stored, store_.Events(q));
    // The register's own history is taken as it is (an old duplicate stays readable).
    for (const Event& e : stored) (void)take(e);
  }
  for (const Event& e : events) WB_RETURN_IF_ERROR(take(e));
  return {};
}

Status Registry::Prepare(std::vector<Event>& events, const WriteOptions& opts) {
  for (const Event& e : events) {
    WB_RETURN_IF_ERROR(CheckEventType(e));
    if (e.entity_id < 0 || e.entity_id > kMaxEntityId) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "id " + std::to_string(e.entity_id) + " is out of range (1.." +
                           std::to_string(kMaxEntityId) + ")",
                       std::string(EntityKindName(e.kind)) + ", " + e.type);
    }
  }
  for (const ExpectedVersion& x : opts.expected) {
    WB_ASSIGN_OR_RETURN(const int64_t now, store_.EntityVersion(x.kind, x.id));
    const std::string what = std::string(EntityKindName(x.kind)) + " " + std::to_string(x.id);
    if (now == 0) return MakeError(ErrorCode::kNotFound, "no " + what);
    if (now != x.version) {
      return MakeError(ErrorCode::kConflict, what + " was changed by someone else since version " +
                                                 std::to_string(x.version) +
                                                 " (it is now at version " + std::to_string(now) +
                                                 "); reload it and try again");
    }
  }
  WB_ASSIGN_OR_RETURN(const ChainHead head, store_.Head(std::nullopt));
  if (clock_ != nullptr) {
    Date on = clock_->Today();
    if (head.seq > 0 && head.recorded_on > on) on = head.recorded_on;
    for (Event& e : events) e.recorded_on = on;
    for (const Event& e : events) WB_RETURN_IF_ERROR(CheckRecordRules(e, vocabularies_));
    return {};
  }
  bool have_last = head.seq > 0;
  Date last = head.recorded_on;
  for (const Event& e : events) {
    if (have_last && e.recorded_on < last) {
      return MakeError(
          ErrorCode::kFailedPrecondition,
          "recorded on " + e.recorded_on.ToString() + ", before the last event (" +
              last.ToString() +
              "): a dated history can only be appended after everything already "
              "recorded, in date order",
          std::string(EntityKindName(e.kind)) + " " + std::to_string(e.entity_id) + ", " + e.type);
    }
    have_last = true;
    last = e.recorded_on;
    WB_RETURN_IF_ERROR(CheckRecordRules(e, vocabularies_));
  }
  return {};
}

Result<std::optional<std::vector<Event>>> Registry::EventsOfKey(const std::string& key) {
  if (key.empty()) return std::optional<std::vector<Event>>{};
  WB_ASSIGN_OR_RETURN(auto done, store_.FindIdempotencyKey(key));
  if (!done) return std::optional<std::vector<Event>>{};
  EventQuery q;
  q.from_seq = done->first_seq;
  q.to_seq = done->last_seq;
  WB_ASSIGN_OR_RETURN(auto events, store_.Events(q));
  return std::optional<std::vector<Event>>(std::move(events));
}

Status Registry::AssignProposalIds(std::vector<Event>& events) {
  bool needed = false;
  for (const Event& e : events) {
    if (e.type == "person.identification_proposed" &&
        (e.Get("proposal").empty() || e.Get("proposal") == "0")) {
      needed = true;
    }
  }
  if (!needed) return {};
  WB_ASSIGN_OR_RETURN(const Proposals existing, LoadProposals(std::nullopt));
  int64_t next = existing.empty() ? 1 : existing.rbegin()->first + 1;
  for (Event& e : events) {
    if (e.type == "person.identification_proposed" &&
        (e.Get("proposal").empty() || e.Get("proposal") == "0")) {
      e.payload["proposal"] = std::to_string(next++);
    }
  }
  return {};
}

Result<std::vector<Event>> Registry::Write(
    std::vector<Event> events, const WriteOptions& opts,
    const std::function<Result<std::vector<Event>>(std::vector<Event>)>& body) {
  Result<std::vector<Event>> out = MakeError(ErrorCode::kInternal, "no event recorded");
  WB_RETURN_IF_ERROR(store_.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(auto earlier, EventsOfKey(opts.idempotency_key));
    if (earlier) {
      out = std::move(*earlier);
      return {};
    }
    WB_RETURN_IF_ERROR(Prepare(events, opts));
    WB_RETURN_IF_ERROR(AssignProposalIds(events));
    WB_ASSIGN_OR_RETURN(out, body(std::move(events)));
    for (const Event& e : *out) {
      // Ids the store assigned (max + 1) are in range too; else the write rolls back.
      if (e.entity_id > kMaxEntityId) {
        return MakeError(ErrorCode::kFailedPrecondition,
                         "the " + std::string(EntityKindName(e.kind)) + " ids are used up: id " +
                             std::to_string(e.entity_id) + " is out of range (1.." +
                             std::to_string(kMaxEntityId) + ")");
      }
    }
    if (!opts.idempotency_key.empty() && !out->empty()) {
      WB_RETURN_IF_ERROR(store_.RememberIdempotencyKey(
          opts.idempotency_key, IdempotentWrite{out->front().seq, out->back().seq}));
    }
    return {};
  }));
  return out;
}

Result<Event> Registry::Record(Event e, const WriteOptions& opts) {
  std::vector<Event> one;
  one.push_back(std::move(e));
  WB_ASSIGN_OR_RETURN(auto stored, Write(std::move(one), opts, [&](std::vector<Event> ev) {
                        return RecordLocked(std::move(ev.front())).map([](Event s) {
                          return std::vector<Event>{std::move(s)};
                        });
                      }));
  if (stored.empty()) return MakeError(ErrorCode::kInternal, "no event recorded");
  return stored.front();
}

Result<Snapshot> Registry::SnapshotFor(const Event& e) {
  std::vector<Event> events;
  const auto add = [&](EventQuery q) -> Status {
    WB_ASSIGN_OR_RETURN(auto more, store_.Events(q));
    events.insert(events.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
    return {};
  };
  const auto own = [&](EntityKind kind, int64_t id) -> Status {
    if (id == 0) return {};
    EventQuery q;
    q.kind = kind;
    q.entity_id = id;
    return add(q);
  };
  const auto all_of = [&](EntityKind kind) -> Status {
    EventQuery q;
    q.kind = kind;
    return add(q);
  };
  WB_RETURN_IF_ERROR(own(e.kind, e.entity_id));
  // What the record's events and `e` refer to must be replayed too (before them: by seq).
  std::set<int64_t> sites;
  bool sources = false;
  const auto refers = [&](const Event& x) -> Status {
    if (x.kind == EntityKind::kRemains && !x.Get("site").empty()) {
      WB_ASSIGN_OR_RETURN(const int64_t sid, ParseId(x.Get("site"), "site"));
      sites.insert(sid);
    }
    if (x.kind == EntityKind::kIncident && !x.Get("source").empty()) sources = true;
    return {};
  };
  for (const Event& x : events) WB_RETURN_IF_ERROR(refers(x));
  WB_RETURN_IF_ERROR(refers(e));
  for (int64_t sid : sites) WB_RETURN_IF_ERROR(own(EntityKind::kSite, sid));
  if (sources) WB_RETURN_IF_ERROR(all_of(EntityKind::kSource));
  if (e.type == "site.excavated" || e.type == "remains.recovered") {
    WB_RETURN_IF_ERROR(all_of(EntityKind::kHazard));
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.seq < b.seq; });
  return Replay(events, std::nullopt);
}

Result<Event> Registry::RecordLocked(Event e) {
  WB_RETURN_IF_ERROR(CheckIdentificationRules(e));
  // Only what the rules of `e` read is replayed (no write replays the whole history): nothing
  // for a person event (its rules run on the person projection in the store); else the record's
  // own events and those of the records its rules look at (SnapshotFor).
  Snapshot snap;
  if (e.kind != EntityKind::kPerson) {
    WB_ASSIGN_OR_RETURN(snap, SnapshotFor(e));
  }
  if (e.entity_id == 0 && IsCreationEvent(e.type)) {
    WB_ASSIGN_OR_RETURN(e.entity_id, store_.NextId(e.kind));
  }
  WB_RETURN_IF_ERROR(CheckUniqueIds({e}));
  WB_RETURN_IF_ERROR(CheckCrossRules(e, snap));
  std::vector<Event> batch{std::move(e)};
  WB_ASSIGN_OR_RETURN(auto stored, store_.Append(std::move(batch)));
  return stored.front();
}

Result<std::vector<Event>> Registry::RecordBatch(std::vector<Event> events,
                                                 const WriteOptions& opts) {
  return Write(std::move(events), opts,
               [&](std::vector<Event> ev) { return RecordBatchLocked(std::move(ev)); });
}

Result<std::vector<Event>> Registry::RecordWithNewId(
    EntityKind kind, const std::function<Result<std::vector<Event>>(int64_t id)>& build,
    const WriteOptions& opts) {
  Result<std::vector<Event>> out = MakeError(ErrorCode::kInternal, "no event recorded");
  WB_RETURN_IF_ERROR(store_.RunWrite([&]() -> Status {
    WB_ASSIGN_OR_RETURN(auto earlier, EventsOfKey(opts.idempotency_key));
    if (earlier) {
      out = std::move(*earlier);
      return {};
    }
    WB_ASSIGN_OR_RETURN(const int64_t id, store_.NextId(kind));
    WB_ASSIGN_OR_RETURN(std::vector<Event> events, build(id));
    // Inside this write: RecordBatch joins it (RunWrite nests) and checks the key again.
    WB_ASSIGN_OR_RETURN(out, RecordBatch(std::move(events), opts));
    return {};
  }));
  return out;
}

Result<std::vector<Event>> Registry::RecordBatchLocked(std::vector<Event> events) {
  // Only sites, hazards, remains and merges are checked against the register; a batch of persons
  // and relatives (bulk import) needs no snapshot.
  bool needs_snapshot = false;
  bool needs_relatives = false;  // events on relatives registered before this batch
  for (const Event& e : events) {
    if (e.kind != EntityKind::kPerson && e.kind != EntityKind::kRelative) needs_snapshot = true;
    if (e.type == "person.merged_into") needs_snapshot = true;
    if (e.kind == EntityKind::kRelative && e.type != "relative.registered") needs_relatives = true;
  }
  Snapshot snap;
  if (needs_snapshot || needs_relatives) {
    WB_ASSIGN_OR_RETURN(snap, LoadSnapshot(std::nullopt, needs_relatives));
  }
  // Proposals, their confirmations and sign-offs, and notifications of families are checked
  // against the proposals as the batch grows.
  std::optional<Proposals> proposals;
  for (const Event& e : events) {
    if (e.kind == EntityKind::kPerson &&
        (IsIdentificationEvent(e.type) || e.type == "person.family_notified")) {
      WB_ASSIGN_OR_RETURN(proposals, LoadProposals(std::nullopt));
      break;
    }
  }
  // Fresh ids for creation events that ask for one, taken here under the writer lock, so that
  // the rules below see each new entity under its own id.
  std::map<EntityKind, int64_t> next_id;
  for (Event& e : events) {
    if (e.entity_id != 0 || !IsCreationEvent(e.type)) continue;
    auto it = next_id.find(e.kind);
    if (it == next_id.end()) {
      WB_ASSIGN_OR_RETURN(const int64_t first, store_.NextId(e.kind));
      it = next_id.emplace(e.kind, first).first;
    }
    e.entity_id = it->second++;
  }
  // (An id given explicitly later in the batch that collides with a fresh one is refused by the
  // store as kAlreadyExists, and nothing is written.)
  WB_RETURN_IF_ERROR(CheckUniqueIds(events));
  std::set<int64_t> new_persons;  // registered earlier in this batch
  for (const Event& e : events) {
    if (e.type == "person.registered") new_persons.insert(e.entity_id);
    if (proposals && e.kind == EntityKind::kPerson && IsIdentificationEvent(e.type)) {
      WB_RETURN_IF_ERROR(CheckIdentificationEvent(*proposals, e));
      WB_RETURN_IF_ERROR(CheckDnaRules(e, *proposals));
      ApplyToProposals(*proposals, e);
    }
    if (proposals && e.type == "person.family_notified") {
      // Whether the person is identified at all is checked by the store (person rules).
      WB_RETURN_IF_ERROR(CheckNotification(*proposals, e));
    }
    if (e.kind == EntityKind::kPerson && e.type != "person.merged_into") continue;
    const auto in_batch = [&](const char* key) -> Result<bool> {
      WB_ASSIGN_OR_RETURN(const int64_t id, ParseId(e.Get(key), key));
      return new_persons.count(id) > 0;
    };
    if (e.type == "person.merged_into") {
      WB_ASSIGN_OR_RETURN(const bool fresh, in_batch("into"));
      if (fresh)
        continue;  // the store checks the merged record itself; its target is in this batch
    }
    if (e.type == "incident.person_linked" || e.type == "relative.registered") {
      WB_ASSIGN_OR_RETURN(const bool fresh, in_batch("person"));
      if (fresh) {
        WB_RETURN_IF_ERROR(ApplyToSnapshot(snap, e));  // the person is registered in this batch
        continue;
      }
      if (e.type == "relative.registered") {
        // As for a single relative: the person must be registered (relatives are not in the
        // snapshot unless loaded, so only the format is checked against it).
        WB_ASSIGN_OR_RETURN(const int64_t pid, ParseId(e.Get("person"), "person"));
        WB_ASSIGN_OR_RETURN(const int64_t version, store_.EntityVersion(EntityKind::kPerson, pid));
        if (version == 0) {
          return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(pid), "person");
        }
        WB_RETURN_IF_ERROR(ApplyToSnapshot(snap, e));
        continue;
      }
    }
    // Applied to `snap` in place: on error the whole batch is refused.
    WB_RETURN_IF_ERROR(CheckCrossRules(e, snap, /*in_place=*/true));
  }
  return store_.Append(std::move(events));
}

Result<std::optional<Date>> Registry::RecordingDate() {
  if (clock_ == nullptr) return std::optional<Date>();
  Date on = clock_->Today();
  WB_ASSIGN_OR_RETURN(const ChainHead head, store_.Head(std::nullopt));
  if (head.seq > 0 && head.recorded_on > on) on = head.recorded_on;
  return std::optional<Date>(on);
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

Result<Registry::FiguresAt> Registry::ComputeFiguresAt(const AsOf& as_of, const AgeLimits& limits) {
  FiguresAt out;
  WB_RETURN_IF_ERROR(store_.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(out.head, store_.Head(as_of));
    WB_ASSIGN_OR_RETURN(out.figures, ComputeFigures(as_of, limits));
    return {};
  }));
  return out;
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

Result<ChainHead> Registry::VerifyChain() {
  EventQuery q;
  q.include_persons = true;
  q.include_relatives = true;
  WB_ASSIGN_OR_RETURN(const auto events, store_.Events(q));
  ChainHead head;
  for (const Event& e : events) {
    const std::string expect = ChainHash(head.hash, e);
    if (e.hash != expect) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the history was changed outside the register: event #" +
                           std::to_string(e.seq) + " (" + e.type + " of " +
                           std::string(EntityKindName(e.kind)) + " " + std::to_string(e.entity_id) +
                           ") does not match its chain hash");
    }
    if (e.seq <= head.seq) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the history is out of order at event #" + std::to_string(e.seq));
    }
    head = ChainHead{e.seq, e.recorded_on, e.hash};
  }
  return head;
}

namespace {

// The words of `text` (split at spaces, hyphens and commas), each folded; empty ones dropped.
std::vector<std::string> FoldedWords(std::string_view text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find_first_of(" -,\t", start);
    if (end == std::string_view::npos) end = text.size();
    std::string folded = FoldName(text.substr(start, end - start));
    if (!folded.empty()) out.push_back(std::move(folded));
    start = end + 1;
  }
  return out;
}

// True when every word of the query begins one of the words of p's names.
bool NameMatches(const Person& p, const std::vector<std::string>& query_words) {
  std::vector<std::string> words;
  for (const std::string* name : {&p.family_name, &p.given_name, &p.father_name}) {
    for (auto& w : FoldedWords(*name)) words.push_back(std::move(w));
  }
  for (const std::string& other : p.other_names) {
    for (auto& w : FoldedWords(other)) words.push_back(std::move(w));
  }
  for (const std::string& q : query_words) {
    bool found = false;
    for (const std::string& w : words) {
      if (w.compare(0, q.size(), q) == 0) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

Result<PersonPage> Registry::FindPersons(const PersonQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return MakeError(ErrorCode::kInvalidArgument, "a page holds 1 to 1000 persons", "limit");
  }
  const std::vector<std::string> folded = FoldedWords(q.name);
  if (!q.name.empty() && folded.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "the name to search has no letters", "name");
  }
  PersonPage page;
  bool more = false;
  WB_RETURN_IF_ERROR(store_.VisitPersons(q.as_of, q.after, [&](const Person& p) {
    if (q.status && p.status != *q.status) return true;
    if (!folded.empty() && !NameMatches(p, folded)) return true;
    if (page.persons.size() == q.limit) {
      more = true;  // one more match exists: there is a next page
      return false;
    }
    page.persons.push_back(p);
    return true;
  }));
  if (more) page.next_after = page.persons.back().id.value;
  return page;
}

Result<std::vector<Event>> Registry::EntityEvents(EntityKind kind, int64_t id, const AsOf& as_of) {
  EventQuery q;
  q.kind = kind;
  q.entity_id = id;
  q.as_of = as_of;
  return store_.Events(q);
}

Result<std::vector<Relative>> Registry::RelativesOf(PersonId person, const AsOf& as_of) {
  // Several statements, one consistent view.
  std::vector<Relative> result;
  WB_RETURN_IF_ERROR(store_.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(result, RelativesOfLocked(person, as_of));
    return {};
  }));
  return result;
}

Result<std::vector<Relative>> Registry::RelativesOfLocked(PersonId person, const AsOf& as_of) {
  EventQuery q;
  q.kind = EntityKind::kRelative;
  q.as_of = as_of;
  q.payload_equals = std::make_pair(std::string("person"), std::to_string(person.value));
  WB_ASSIGN_OR_RETURN(const auto registered, store_.Events(q));
  std::vector<Event> events;
  std::set<int64_t> ids;
  for (const Event& e : registered) {
    // Registered for the person, or moved to it when a duplicate was merged into it.
    if (e.type != "relative.registered" && e.type != "relative.person_changed") continue;
    if (!ids.insert(e.entity_id).second) continue;
    EventQuery own;
    own.kind = EntityKind::kRelative;
    own.entity_id = e.entity_id;
    own.as_of = as_of;
    WB_ASSIGN_OR_RETURN(auto mine, store_.Events(own));
    events.insert(events.end(), mine.begin(), mine.end());
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.seq < b.seq; });
  WB_ASSIGN_OR_RETURN(const Snapshot snap, Replay(events, as_of));
  std::vector<Relative> out;
  for (const auto& [id, r] : snap.relatives) {
    if (r.person_id == person.value) out.push_back(r);  // not those moved to another record
  }
  return out;
}

Result<Proposals> Registry::ProposalsOfIndividual(const std::string& individual,
                                                  const AsOf& as_of) {
  Proposals result;
  WB_RETURN_IF_ERROR(store_.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(result, ProposalsOfIndividualLocked(individual, as_of));
    return {};
  }));
  return result;
}

Result<Proposals> Registry::ProposalsOfIndividualLocked(const std::string& individual,
                                                        const AsOf& as_of) {
  EventQuery q;
  q.kind = EntityKind::kPerson;
  q.as_of = as_of;
  q.payload_equals = std::make_pair(std::string("individual"), individual);
  WB_ASSIGN_OR_RETURN(const auto proposed, store_.Events(q));
  std::vector<Event> events;
  std::set<int64_t> seqs;
  for (const Event& e : proposed) {
    if (e.type != "person.identification_proposed") continue;
    // Every event naming this proposal: the proposal itself and its decisions.
    EventQuery named;
    named.kind = EntityKind::kPerson;
    named.as_of = as_of;
    named.payload_equals = std::make_pair(std::string("proposal"), std::string(e.Get("proposal")));
    WB_ASSIGN_OR_RETURN(auto mine, store_.Events(named));
    for (Event& m : mine) {
      if (seqs.insert(m.seq).second) events.push_back(std::move(m));
    }
  }
  std::sort(events.begin(), events.end(),
            [](const Event& a, const Event& b) { return a.seq < b.seq; });
  return ReplayProposals(events, as_of);
}

}  // namespace whereabouts::registry
