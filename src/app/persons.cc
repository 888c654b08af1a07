#include "app/persons.h"

#include <map>
#include <utility>

#include "app/families.h"
#include "registry/merge.h"
#include "registry/payload.h"
#include "registry/record_rules.h"

namespace whereabouts::app {
namespace {

using registry::EntityKind;
using registry::Event;

void SetText(Event& e, const char* key, const std::string& value) {
  if (!value.empty()) e.payload[key] = value;
}

void SetDate(Event& e, const char* key, const std::optional<registry::Date>& d) {
  if (d) e.payload[key] = d->ToString();
}

}  // namespace

registry::Fields IcrcPayload(const registry::IcrcData& d) {
  registry::Fields f;
  const auto text = [&](const char* key, const std::string& v) {
    if (!v.empty()) f[key] = v;
  };
  text("birth_place", d.birth_place);
  std::string docs;
  for (const std::string& doc : d.identity_documents) docs += (docs.empty() ? "" : "|") + doc;
  text("identity_documents", docs);
  text("informant_name", d.informant_name);
  text("informant_relation", d.informant_relation);
  text("informant_contact", d.informant_contact);
  text("family_contact", d.family_contact);
  if (d.last_seen_date) f["last_seen_date"] = d.last_seen_date->ToString();
  text("last_seen_place", d.last_seen_place);
  text("last_seen_by", d.last_seen_by);
  text("physical_description", d.physical_description);
  return f;
}

Result<Recorded> RegisterPerson(registry::Registry& registry, const RegisterPersonRequest& req) {
  const PersonDetails& d = req.details;
  Event e = NewEvent(req.meta, EntityKind::kPerson, "person.registered", 0);
  SetText(e, "family_name", d.family_name);
  SetText(e, "given_name", d.given_name);
  SetText(e, "father_name", d.father_name);
  std::string others;
  for (const std::string& n : d.other_names) others += (others.empty() ? "" : "|") + n;
  SetText(e, "other_names", others);
  if (d.sex) e.payload["sex"] = std::string(registry::Name(*d.sex));
  SetDate(e, "birth_date", d.birth_date);
  if (d.birth_year_min) e.payload["birth_year_min"] = std::to_string(*d.birth_year_min);
  if (d.birth_year_max) e.payload["birth_year_max"] = std::to_string(*d.birth_year_max);
  if (d.affiliation) e.payload["affiliation"] = std::string(registry::Name(*d.affiliation));
  SetText(e, "unit", d.unit);
  SetDate(e, "disappearance_date", d.disappearance_date);
  SetText(e, "disappearance_place", d.disappearance_place);
  SetText(e, "circumstances", d.circumstances);
  for (const std::string& doc : d.icrc.identity_documents) {
    if (doc.find('|') != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "an identity document may not contain '|'",
                       "identity_documents");
    }
  }
  for (auto& [key, value] : IcrcPayload(d.icrc)) e.payload[key] = value;
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return Recorded{stored.entity_id, stored.seq};
}

Result<UpdatedPerson> UpdatePerson(registry::Registry& registry, const UpdatePersonRequest& req) {
  if (req.change == "registered" || req.change == "merged_into") {
    return MakeError(ErrorCode::kInvalidArgument,
                     "person." + req.change +
                         " is not a change to a case: a person is registered, or merged into "
                         "another record, by its own use case",
                     "change");
  }
  registry::WriteOptions opts = WriteOptionsFor(req.meta);
  if (req.expected_version) {
    opts.expected = {{EntityKind::kPerson, req.person.value, *req.expected_version}};
  }
  Event e = NewEvent(req.meta, EntityKind::kPerson, "person." + req.change, req.person.value);
  e.payload = req.fields;
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), opts));
  return UpdatedPerson{registry::PersonId{stored.entity_id}, stored.type, stored.seq};
}

Result<MergedPersons> MergePersons(registry::Registry& registry, const MergePersonsRequest& req) {
  if (req.keep == req.duplicate) {
    return MakeError(ErrorCode::kFailedPrecondition, "a person cannot be merged into itself",
                     "into");
  }
  WB_ASSIGN_OR_RETURN(const std::vector<Event> keep_events,
                      registry.EntityEvents(EntityKind::kPerson, req.keep.value));
  WB_ASSIGN_OR_RETURN(const std::vector<Event> dup_events,
                      registry.EntityEvents(EntityKind::kPerson, req.duplicate.value));
  if (dup_events.empty()) {
    return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(req.duplicate.value));
  }
  if (keep_events.empty()) {
    return MakeError(ErrorCode::kNotFound, "no person " + std::to_string(req.keep.value), "into");
  }
  WB_ASSIGN_OR_RETURN(const registry::Person keep, registry::PersonFromEvents(keep_events));
  if (!keep.Counted()) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "person " + std::to_string(keep.id.value) + " is itself " +
                         std::string(registry::Name(keep.status)),
                     "into");
  }
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Relative> relatives,
                      registry.RelativesOf(req.duplicate, std::nullopt));
  WB_ASSIGN_OR_RETURN(registry::MergePlan plan,
                      registry::PlanMerge(keep_events, dup_events, relatives));
  const std::string reason = req.meta.reason.empty()
                                 ? "duplicate of person " + std::to_string(req.keep.value)
                                 : req.meta.reason;
  for (Event& e : plan.events) {
    e.actor = req.meta.actor;
    e.reason = reason;
  }
  // Planned outside the write: refused as a conflict if either record changed since.
  registry::WriteOptions opts = WriteOptionsFor(req.meta);
  opts.expected = {{EntityKind::kPerson, req.keep.value, keep_events.back().seq},
                   {EntityKind::kPerson, req.duplicate.value, dup_events.back().seq}};
  WB_ASSIGN_OR_RETURN(const std::vector<Event> stored,
                      registry.RecordBatch(std::move(plan.events), opts));
  return MergedPersons{req.duplicate.value, stored.back().seq, std::move(plan.conflicts)};
}

std::string_view Name(Consent c) {
  switch (c) {
    case Consent::kNone:
      return "none";
    case Consent::kIdentification:
      return "identification";
    case Consent::kIdentificationAndCourt:
      return "identification_and_court";
  }
  return "none";
}

Result<Consent> ParseConsent(std::string_view s) {
  for (Consent c : {Consent::kNone, Consent::kIdentification, Consent::kIdentificationAndCourt}) {
    if (Name(c) == s) return c;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown consent '" + std::string(s) +
                       "' (one of: none, identification, identification_and_court)",
                   "consent");
}

namespace {

// The parents of a relative of `person` must be of its family: the missing person itself, or a
// relative registered with the same missing person. Errors: kFailedPrecondition naming the
// parent; kInvalidArgument for a malformed reference.
Status CheckParentsInFamily(registry::Registry& registry, int64_t person, int64_t self,
                            const std::string& father, const std::string& mother) {
  std::optional<registry::Snapshot> snap;
  for (const auto& [field, ref] : {std::pair<const char*, const std::string&>{"father", father},
                                   std::pair<const char*, const std::string&>{"mother", mother}}) {
    if (ref.empty() || ref == "-") continue;
    if (ref.rfind("person:", 0) == 0) {
      if (ref != "person:" + std::to_string(person)) {
        return MakeError(
            ErrorCode::kFailedPrecondition,
            "the " + std::string(field) + " " + ref +
                " is not the missing person of this family (person:" + std::to_string(person) + ")",
            field);
      }
      continue;
    }
    if (ref.rfind("relative:", 0) != 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "expected person:ID (the missing person) or relative:ID, got '" + ref + "'",
                       field);
    }
    if (!snap) {
      WB_ASSIGN_OR_RETURN(snap, registry.LoadSnapshot(std::nullopt, /*with_relatives=*/true));
    }
    WB_ASSIGN_OR_RETURN(const int64_t id, registry::ParseId(ref.substr(9), field));
    auto it = snap->relatives.find(id);
    if (id == self || it == snap->relatives.end() || it->second.person_id != person) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       "the " + std::string(field) + " " + ref +
                           " is not another relative of person " + std::to_string(person),
                       field);
    }
  }
  return {};
}

Status CheckSex(const std::string& sex) {
  if (sex.empty() || sex == "male" || sex == "female" || sex == "unknown") return {};
  return MakeError(ErrorCode::kInvalidArgument, "unknown sex '" + sex + "' (male, female, unknown)",
                   "sex");
}

// The relationship word of a new record: a word the pedigree places (ParseRelationshipWord), or
// one the commission added to the register's vocabulary (data/vocabularies.json), which is
// placed only by the relative's recorded father and mother. Errors: ParseRelationshipWord's.
Result<std::string> RelationshipOfRecord(const registry::Registry& registry,
                                         std::string_view text) {
  auto word = ParseRelationshipWord(text);
  if (word) return word;
  const bool configured =
      registry::RelationshipInVocabulary(text, registry.vocabularies()).has_value() &&
      !registry::RelationshipInVocabulary(text, registry::Vocabularies::Defaults()).has_value();
  if (configured) return registry::NormaliseRelationship(text);
  return word;
}

}  // namespace

Result<Recorded> AddRelative(registry::Registry& registry, const AddRelativeRequest& req) {
  if (req.name.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a relative needs a name", "name");
  }
  if (req.relationship.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a relative needs a relationship",
                     "relationship");
  }
  WB_ASSIGN_OR_RETURN(const std::string word, RelationshipOfRecord(registry, req.relationship));
  WB_RETURN_IF_ERROR(CheckSex(req.sex));
  if (auto implied = SexOfRelationship(word);
      !implied.empty() && !req.sex.empty() && req.sex != "unknown" && req.sex != implied) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "sex " + req.sex + " contradicts the relationship " + word, "sex");
  }
  WB_RETURN_IF_ERROR(CheckParentsInFamily(registry, req.person.value, 0, req.father, req.mother));
  Event e = NewEvent(req.meta, EntityKind::kRelative, "relative.registered", 0);
  e.payload["person"] = std::to_string(req.person.value);
  e.payload["name"] = req.name;
  e.payload["relationship"] = word;
  e.payload["sample"] = req.sample;
  e.payload["consent"] = std::string(Name(req.consent));
  if (!req.sex.empty()) e.payload["sex"] = req.sex;
  if (!req.father.empty()) e.payload["father"] = req.father;
  if (!req.mother.empty()) e.payload["mother"] = req.mother;
  if (!req.holder.empty()) e.payload["holder"] = req.holder;
  if (req.missing_person > 0) e.payload["missing_person"] = std::to_string(req.missing_person);
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return Recorded{stored.entity_id, stored.seq};
}

Result<Recorded> RecordRelativePedigree(registry::Registry& registry,
                                        const RecordPedigreeRequest& req) {
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                      registry.LoadSnapshot(std::nullopt, /*with_relatives=*/true));
  auto it = snap.relatives.find(req.relative);
  if (it == snap.relatives.end()) {
    return MakeError(ErrorCode::kNotFound, "no relative " + std::to_string(req.relative));
  }
  Event e = NewEvent(req.meta, EntityKind::kRelative, "relative.pedigree_recorded", req.relative);
  std::string word = it->second.relationship;
  if (!req.relationship.empty()) {
    WB_ASSIGN_OR_RETURN(word, RelationshipOfRecord(registry, req.relationship));
    e.payload["relationship"] = word;
  }
  WB_RETURN_IF_ERROR(CheckSex(req.sex));
  const std::string sex = req.sex.empty() ? it->second.sex : req.sex;
  if (auto implied = SexOfRelationship(word);
      !implied.empty() && !sex.empty() && sex != "unknown" && sex != implied) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "sex " + sex + " contradicts the relationship " + word, "sex");
  }
  WB_RETURN_IF_ERROR(
      CheckParentsInFamily(registry, it->second.person_id, req.relative, req.father, req.mother));
  if (!req.sex.empty()) e.payload["sex"] = req.sex;
  if (!req.father.empty()) e.payload["father"] = req.father;
  if (!req.mother.empty()) e.payload["mother"] = req.mother;
  if (e.payload.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "nothing to record: give a relationship, sex, father or mother");
  }
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return Recorded{stored.entity_id, stored.seq};
}

Result<Recorded> ChangeConsent(registry::Registry& registry, const ChangeConsentRequest& req) {
  if (req.meta.reason.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a change of consent needs a reason (how it was given or withdrawn)",
                     "reason");
  }
  Event e = NewEvent(req.meta, EntityKind::kRelative, "relative.consent_changed", req.relative);
  e.payload["consent"] = std::string(Name(req.consent));
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return Recorded{stored.entity_id, stored.seq};
}

bool ConsentAllows(std::string_view consent, ReferencePurpose purpose) {
  if (consent == Name(Consent::kIdentificationAndCourt)) return true;
  if (consent == Name(Consent::kIdentification)) return purpose == ReferencePurpose::kIdentification;
  return false;  // none, or anything the register does not know
}

Result<std::set<std::string>> SamplesWithoutConsent(registry::Registry& registry,
                                                    ReferencePurpose purpose) {
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                      registry.LoadSnapshot(std::nullopt, /*with_relatives=*/true));
  std::set<std::string> out;
  for (const auto& [id, r] : snap.relatives) {
    if (ConsentAllows(r.consent, purpose)) continue;
    if (!r.sample.empty()) out.insert(r.sample);
    for (const auto& [sample, held] : r.samples) out.insert(sample);  // every sample given
  }
  return out;
}

Result<std::vector<registry::Relative>> ListRelatives(registry::Registry& registry,
                                                      registry::PersonId person) {
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                      registry.LoadSnapshot(std::nullopt, /*with_relatives=*/true));
  std::vector<registry::Relative> out;
  for (const auto& [id, r] : snap.relatives) {
    if (r.person_id == person.value) out.push_back(r);
  }
  return out;
}

Result<PersonView> GetPerson(registry::RegistryStore& store, const GetPersonRequest& req) {
  PersonView view;
  // The person and its history from one consistent view of the register.
  WB_RETURN_IF_ERROR(store.RunRead([&]() -> Status {
    WB_ASSIGN_OR_RETURN(const std::optional<registry::Person> p,
                        store.FindPerson(req.person, req.as_of));
    if (!p) {
      return MakeError(ErrorCode::kNotFound,
                       "no person " + std::to_string(req.person.value) +
                           (req.as_of ? " as of " + req.as_of->ToString() : ""));
    }
    view.person = *p;
    view.version = p->last_seq;
    // The history (also for the ICRC data, which the projections do not keep).
    registry::EventQuery q;
    q.kind = EntityKind::kPerson;
    q.entity_id = req.person.value;
    q.as_of = req.as_of;
    WB_ASSIGN_OR_RETURN(std::vector<Event> events, store.Events(q));
    for (const Event& e : events) {
      if (e.type == "person.registered" || e.type == "person.corrected") {
        WB_RETURN_IF_ERROR(registry::ApplyIcrcFields(view.person.icrc, e.payload));
      }
    }
    if (req.with_history) view.history = std::move(events);
    return {};
  }));
  return view;
}

Result<std::vector<registry::Person>> ListPersons(registry::RegistryStore& store,
                                                  const ListPersonsRequest& req) {
  WB_ASSIGN_OR_RETURN(std::vector<registry::Person> persons, store.Persons(req.as_of));
  if (req.status) {
    std::erase_if(persons, [&](const registry::Person& p) { return p.status != *req.status; });
  }
  if (req.limit && persons.size() > req.limit) persons.resize(req.limit);
  return persons;
}

Result<std::vector<DuplicatePair>> FindDuplicates(registry::RegistryStore& store,
                                                  const FindDuplicatesRequest& req) {
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Person> persons, store.Persons(req.as_of));
  registry::DuplicateOptions opts;
  opts.threshold = req.threshold;
  std::map<int64_t, const registry::Person*> by_id;
  for (const registry::Person& p : persons) by_id[p.id.value] = &p;
  std::vector<DuplicatePair> out;
  for (registry::DuplicateSuggestion& s : registry::SuggestDuplicates(persons, opts)) {
    DuplicatePair pair;
    pair.a = *by_id.at(s.a.value);
    pair.b = *by_id.at(s.b.value);
    pair.suggestion = std::move(s);
    out.push_back(std::move(pair));
  }
  return out;
}

Result<registry::PersonPage> SearchPersons(registry::Registry& registry,
                                           const SearchPersonsRequest& request) {
  registry::PersonQuery q;
  q.as_of = request.as_of;
  q.name = request.name;
  q.status = request.status;
  q.after = request.after;
  q.limit = request.limit;
  return registry.FindPersons(q);
}

}  // namespace whereabouts::app
