// Relatives of missing persons: registration, reference samples (with their chain of custody and
// their DNA profiles), consent, and their place in the family's pedigree.
#include "registry/payload.h"
#include "registry/snapshot_rules.h"

namespace whereabouts::registry::internal {
namespace {

// A parent reference: "person:ID" or "relative:ID" (or "" / "-": none).
Status CheckParentRef(std::string_view ref, std::string_view field) {
  if (ref.empty() || ref == "-") return {};
  for (std::string_view prefix : {"person:", "relative:"}) {
    if (ref.substr(0, prefix.size()) == prefix) {
      WB_RETURN_IF_ERROR(ParseId(ref.substr(prefix.size()), field));
      return {};
    }
  }
  return MakeError(
      ErrorCode::kInvalidArgument,
      "expected person:ID (the missing person) or relative:ID, got '" + std::string(ref) + "'",
      std::string(field));
}

// Sex, father and mother of `e` (those present) onto `r`.
Status ApplyPedigreeFields(Relative& r, const Event& e) {
  if (auto sex = e.Get("sex"); !sex.empty()) {
    if (sex != "male" && sex != "female" && sex != "unknown") {
      return MakeError(ErrorCode::kInvalidArgument,
                       "unknown sex '" + std::string(sex) + "' (male, female, unknown)", "sex");
    }
    r.sex = std::string(sex);
  }
  for (const char* key : {"father", "mother"}) {
    auto ref = e.Get(key);
    if (ref.empty()) continue;
    WB_RETURN_IF_ERROR(CheckParentRef(ref, key));
    if (ref == "relative:" + std::to_string(r.id)) {
      return MakeError(ErrorCode::kInvalidArgument, "a relative is not their own parent", key);
    }
    (std::string(key) == "father" ? r.father : r.mother) = ref == "-" ? "" : std::string(ref);
  }
  if (auto rel = e.Get("relationship"); !rel.empty()) r.relationship = std::string(rel);
  return {};
}

void GiveSample(Relative& r, const Event& e) {
  const std::string sample(e.Get("sample"));
  if (sample.empty()) return;
  r.sample = sample;
  ReferenceSample& s = r.samples[sample];
  if (!e.Get("holder").empty()) s.holder = std::string(e.Get("holder"));
}

}  // namespace

Status ApplyRelativeEvent(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
  if (t == "relative.registered") {
    Relative r;
    r.id = e.entity_id;
    r.last_event_on = e.recorded_on;
    WB_ASSIGN_OR_RETURN(r.person_id, ParseId(e.Get("person"), "person"));
    r.name = std::string(e.Get("name"));
    r.relationship = std::string(e.Get("relationship"));
    GiveSample(r, e);
    r.consent = e.Get("consent").empty() ? "none" : std::string(e.Get("consent"));
    WB_RETURN_IF_ERROR(ApplyPedigreeFields(r, e));
    if (auto m = e.Get("missing_person"); !m.empty()) {
      WB_ASSIGN_OR_RETURN(r.missing_person, ParseId(m, "missing_person"));
      if (r.missing_person == r.person_id) {
        return MakeError(ErrorCode::kInvalidArgument, "a missing person is not their own relative",
                         "missing_person");
      }
    }
    snap.relatives.emplace(r.id, std::move(r));
    return {};
  }
  auto it = snap.relatives.find(e.entity_id);
  if (it == snap.relatives.end()) return MakeError(ErrorCode::kNotFound, "no such relative");
  Relative& r = it->second;
  if (t == "relative.person_changed") {
    // The person's record was merged into another: the relative follows it.
    WB_ASSIGN_OR_RETURN(r.person_id, ParseId(e.Get("person"), "person"));
  }
  if (t == "relative.sample_given") GiveSample(r, e);
  if (t == "relative.sample_given" || t == "relative.consent_changed") {
    if (!e.Get("consent").empty()) r.consent = std::string(e.Get("consent"));
  } else if (t == "relative.pedigree_recorded") {
    WB_RETURN_IF_ERROR(ApplyPedigreeFields(r, e));
  } else if (t == "relative.profile_recorded") {
    const std::string sample(e.Get("sample"));
    if (!r.samples.count(sample)) {
      return MakeError(ErrorCode::kNotFound,
                       "relative " + std::to_string(r.id) + " has given no sample '" + sample + "'",
                       "sample");
    }
    if (e.Get("profile").empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "an empty profile", "profile");
    }
    SampleProfile& sp = r.profiles[sample];
    sp.profile = std::string(e.Get("profile"));
    sp.recorded_on = e.recorded_on;
    sp.source = std::string(e.Get("source"));
    ++sp.versions;
  } else if (t == "relative.sample_transferred") {
    WB_RETURN_IF_ERROR(CheckOrder(r, e));
    const std::string sample(e.Get("sample"));
    auto s = r.samples.find(sample);
    if (s == r.samples.end()) {
      return MakeError(ErrorCode::kNotFound,
                       "relative " + std::to_string(r.id) + " has given no sample '" + sample + "'",
                       "sample");
    }
    const auto from = e.Get("from");
    const auto to = e.Get("to");
    if (to.empty())
      return MakeError(ErrorCode::kInvalidArgument, "a transfer needs a recipient", "to");
    if (from != s->second.holder) {
      return tl::unexpected(Rule(
          "custody transfer from someone who does not hold reference sample " + sample, "from"));
    }
    if (to == from) return tl::unexpected(Rule("a transfer to the current holder", "to"));
    s->second.holder = std::string(to);
    ++s->second.transfers;
  } else if (t != "relative.sample_given" && t != "relative.person_changed") {
    return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
  }
  r.last_event_on = e.recorded_on;
  return {};
}

}  // namespace whereabouts::registry::internal
