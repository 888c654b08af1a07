// Remains: recovery, samples, DNA profiles of samples and the chain of custody.
#include <algorithm>

#include "registry/payload.h"
#include "registry/snapshot_rules.h"

namespace whereabouts::registry::internal {

Status ApplyRemainsEvent(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
  if (t == "remains.recovered") {
    if (snap.remains.count(e.entity_id))
      return MakeError(ErrorCode::kAlreadyExists, "remains exist");
    Remains r;
    r.id = e.entity_id;
    r.last_event_on = e.recorded_on;
    r.label = std::string(e.Get("label"));
    if (r.label.empty())
      return MakeError(ErrorCode::kInvalidArgument, "remains need a label", "label");
    r.remains_kind = e.Get("remains_kind").empty() ? "bag" : std::string(e.Get("remains_kind"));
    if (auto s = e.Get("site"); !s.empty()) {
      WB_ASSIGN_OR_RETURN(r.site_id, ParseId(s, "site"));
      if (!snap.sites.count(r.site_id))
        return MakeError(ErrorCode::kNotFound, "no such site", "site");
    }
    WB_ASSIGN_OR_RETURN(r.recovered_on, ParseDateField(e.Get("recovered_on"), "recovered_on"));
    r.last_custody_on = r.recovered_on;
    r.commingled = e.Get("commingled") == "1" || e.Get("commingled") == "true";
    r.holder = std::string(e.Get("holder"));
    if (r.holder.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "recovered remains need a holder", "holder");
    }
    snap.remains.emplace(r.id, std::move(r));
    return {};
  }
  auto it = snap.remains.find(e.entity_id);
  if (it == snap.remains.end()) return MakeError(ErrorCode::kNotFound, "no such remains");
  Remains& r = it->second;
  WB_RETURN_IF_ERROR(CheckOrder(r, e));
  if ((t == "remains.transferred" || t == "remains.handed_over") && r.handed_over_on) {
    return tl::unexpected(Rule("remains " + r.label + " were handed over to the family on " +
                               r.handed_over_on->ToString() +
                               "; the chain of custody ended there"));
  }
  if (t == "remains.handed_over") {
    const auto from = e.Get("from");
    const auto to = e.Get("to");
    if (to.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "a handover needs the family member who receives them", "to");
    }
    if (from != r.holder) {
      return tl::unexpected(
          Rule("handover from someone who does not hold remains " + r.label, "from"));
    }
    WB_ASSIGN_OR_RETURN(auto on, ParseDateField(e.Get("date"), "date"));
    if (!on) return MakeError(ErrorCode::kInvalidArgument, "a handover needs its date", "date");
    if (!e.Get("person").empty()) {
      WB_ASSIGN_OR_RETURN(r.handed_over_person, ParseId(e.Get("person"), "person"));
    }
    r.holder = std::string(to);
    r.handed_over_on = on;
    r.handed_over_to = std::string(to);
    r.handed_over_relation = std::string(e.Get("relation"));
    r.last_custody_on = on;
  } else if (t == "remains.transferred") {
    const auto from = e.Get("from");
    const auto to = e.Get("to");
    if (to.empty())
      return MakeError(ErrorCode::kInvalidArgument, "a transfer needs a recipient", "to");
    if (from != r.holder) {
      // No names of holders here (personal data): an adapter that may show them adds them.
      return tl::unexpected(
          Rule("custody transfer from someone who does not hold remains " + r.label, "from"));
    }
    if (to == from) return tl::unexpected(Rule("a transfer to the current holder", "to"));
    r.holder = std::string(to);
    ++r.transfers;
    WB_ASSIGN_OR_RETURN(auto on, ParseDateField(e.Get("date"), "date"));
    if (on) r.last_custody_on = on;
  } else if (t == "remains.sampled") {
    if (e.Get("sample").empty())
      return MakeError(ErrorCode::kInvalidArgument, "no sample", "sample");
    r.samples.emplace_back(e.Get("sample"));
  } else if (t == "remains.profile_recorded") {
    const std::string sample(e.Get("sample"));
    if (std::find(r.samples.begin(), r.samples.end(), sample) == r.samples.end()) {
      return MakeError(ErrorCode::kNotFound,
                       "remains " + r.label + " have no sample '" + sample + "'", "sample");
    }
    if (e.Get("profile").empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "an empty profile", "profile");
    }
    SampleProfile& sp = r.profiles[sample];
    sp.profile = std::string(e.Get("profile"));
    sp.recorded_on = e.recorded_on;
    sp.source = std::string(e.Get("source"));
    ++sp.versions;
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
  }
  r.last_event_on = e.recorded_on;
  return {};
}

}  // namespace whereabouts::registry::internal
