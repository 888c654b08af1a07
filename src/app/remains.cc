#include "app/remains.h"

#include <algorithm>
#include <filesystem>

namespace whereabouts::app {
namespace {

using registry::EntityKind;
using registry::Event;

Error NoRemains(int64_t id) {
  return Error{ErrorCode::kNotFound, "no remains " + std::to_string(id), ""};
}

}  // namespace

Result<Event> AddRemains(registry::Registry& registry, const AddRemainsRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kRemains, "remains.recovered", 0);
  e.payload["label"] = req.label;
  e.payload["remains_kind"] = req.remains_kind;
  if (req.site) e.payload["site"] = std::to_string(req.site);
  if (req.recovered_on) e.payload["recovered_on"] = req.recovered_on->ToString();
  e.payload["holder"] = req.holder;
  e.payload["commingled"] = req.commingled ? "1" : "0";
  return registry.Record(std::move(e), WriteOptionsFor(req.meta));
}

Result<Event> AddSample(registry::Registry& registry, const AddSampleRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kRemains, "remains.sampled", req.remains);
  e.payload["sample"] = req.sample;
  return registry.Record(std::move(e), WriteOptionsFor(req.meta));
}

Result<Event> TransferCustody(registry::Registry& registry, registry::Clock& clock,
                              const TransferCustodyRequest& req, NotHolder* not_holder) {
  Event e = NewEvent(req.meta, EntityKind::kRemains, "remains.transferred", req.remains);
  e.payload["from"] = req.from;
  e.payload["to"] = req.to;
  registry::Date date;
  if (req.date) {
    date = *req.date;
  } else {
    // The date the register will record the transfer on (recorded dates never go backwards).
    WB_ASSIGN_OR_RETURN(const registry::ChainHead head, registry.Head(std::nullopt));
    date = clock.Today();
    if (head.seq > 0 && head.recorded_on > date) date = head.recorded_on;
  }
  e.payload["date"] = date.ToString();
  auto stored = registry.Record(std::move(e), WriteOptionsFor(req.meta));
  if (!stored && stored.error().code == ErrorCode::kFailedPrecondition && not_holder != nullptr) {
    // Refused: say who holds the item when it is not `from` (read after the refusal).
    if (auto r = ShowRemains(registry, req.remains, std::nullopt); r && r->holder != req.from) {
      *not_holder = NotHolder{r->label, r->holder};
    }
  }
  return stored;
}

Result<Event> HandOverRemains(registry::Registry& registry, registry::Clock& clock,
                              const HandOverRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kRemains, "remains.handed_over", req.remains);
  e.payload["from"] = req.from;
  e.payload["to"] = req.to;
  if (!req.relation.empty()) e.payload["relation"] = req.relation;
  if (req.person.value > 0) e.payload["person"] = std::to_string(req.person.value);
  registry::Date date;
  if (req.date) {
    date = *req.date;
  } else {
    WB_ASSIGN_OR_RETURN(const registry::ChainHead head, registry.Head(std::nullopt));
    date = clock.Today();
    if (head.seq > 0 && head.recorded_on > date) date = head.recorded_on;
  }
  e.payload["date"] = date.ToString();
  return registry.Record(std::move(e), WriteOptionsFor(req.meta));
}

Result<std::map<int64_t, registry::Remains>> ListRemains(registry::Registry& registry,
                                                         const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  return std::move(snap.remains);
}

Result<registry::Remains> ShowRemains(registry::Registry& registry, int64_t id,
                                      const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  auto it = snap.remains.find(id);
  if (it == snap.remains.end()) return tl::unexpected(NoRemains(id));
  return std::move(it->second);
}

Result<std::vector<CustodyStep>> CustodyHistory(registry::RegistryStore& store, int64_t id) {
  registry::EventQuery q;
  q.kind = EntityKind::kRemains;
  q.entity_id = id;
  WB_ASSIGN_OR_RETURN(const std::vector<Event> events, store.Events(q));
  if (events.empty()) return tl::unexpected(NoRemains(id));
  std::vector<CustodyStep> steps;
  for (const Event& e : events) {
    CustodyStep s;
    s.recorded_by = e.actor;
    if (e.type == "remains.recovered") {
      s.kind = CustodyStep::Kind::kRecovered;
      s.date = e.recorded_on.ToString();
      s.label = e.Get("label");
      s.holder = e.Get("holder");
    } else if (e.type == "remains.transferred") {
      s.kind = CustodyStep::Kind::kTransferred;
      s.date = e.Get("date");
      s.from = e.Get("from");
      s.to = e.Get("to");
    } else if (e.type == "remains.sampled") {
      s.kind = CustodyStep::Kind::kSampled;
      s.date = e.recorded_on.ToString();
      s.sample = e.Get("sample");
    } else {
      continue;
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

std::string ProfileText(const kinship::Profile& p) {
  std::string out;
  for (const auto& [marker, call] : p.markers) {
    out += (out.empty() ? "" : ";") + marker + "=" + call.ToString();
  }
  if (p.amelogenin_sex) {
    out += std::string(out.empty() ? "" : ";") +
           "AMEL=" + (*p.amelogenin_sex == kinship::Sex::kMale ? "X,Y" : "X");
  }
  return out;
}

Result<kinship::Profile> ParseProfileText(const std::string& sample, std::string_view text) {
  kinship::Profile p{sample, {}, std::nullopt};
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find(';', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(at, end - at);
    at = end + 1;
    const size_t eq = part.find('=');
    auto bad = [&]() {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "stored profile of sample " + sample + ": '" + std::string(part) + "' is not MARKER=a/b",
          "profile");
    };
    if (eq == std::string_view::npos || eq == 0) return bad();
    const std::string marker(part.substr(0, eq));
    const std::string_view value = part.substr(eq + 1);
    if (marker == "AMEL") {
      if (value == "X") {
        p.amelogenin_sex = kinship::Sex::kFemale;
      } else if (value == "X,Y") {
        p.amelogenin_sex = kinship::Sex::kMale;
      } else {
        return bad();
      }
      continue;
    }
    auto call = kinship::ParseGenotype(value);
    if (!call) return bad();
    p.markers[marker] = std::move(*call);
  }
  return p;
}

Result<ImportProfilesResult> ImportProfiles(registry::Registry& registry,
                                            const ImportProfilesRequest& req,
                                            ProfileRowProblem* problem) {
  if (req.frequencies == nullptr) {
    return MakeError(ErrorCode::kInternal, "no frequency database given");
  }
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                      registry.LoadSnapshot(std::nullopt, /*with_relatives=*/true));
  std::map<std::string, int64_t> remains_of;  // sample -> remains id (or relative id)
  std::map<std::string, int64_t> other_of;    // samples of the other kind
  for (const auto& [id, r] : snap.remains) {
    for (const auto& sample : r.samples) (req.references ? other_of : remains_of)[sample] = id;
  }
  for (const auto& [id, r] : snap.relatives) {
    for (const auto& [sample, s] : r.samples) {
      (req.references ? remains_of : other_of)[sample] = id;
    }
    if (!r.sample.empty()) (req.references ? remains_of : other_of)[r.sample] = id;
  }
  const std::string no_owner = req.references ? "no relative of the register has given this sample"
                                              : "no remains of the register have this sample";
  auto refuse = [&](ProfileRowProblem::Kind kind, const ProfileRow& row, std::string what,
                    const std::string& where) -> tl::unexpected<Error> {
    if (problem != nullptr) *problem = ProfileRowProblem{kind, row.sample, row.marker, where};
    return MakeError(ErrorCode::kNotFound,
                     "sample " + row.sample + ", marker " + row.marker + ": " + what +
                         "; nothing was imported",
                     where);
  };
  for (const ProfileRow& row : req.rows) {
    if (auto other = other_of.find(row.sample); other != other_of.end()) {
      return refuse(ProfileRowProblem::Kind::kOtherKindOfSample, row,
                    req.references
                        ? "this sample was taken from remains " + std::to_string(other->second) +
                              ", not given by a relative"
                        : "this is a reference sample of relative " +
                              std::to_string(other->second) + ", not a sample of remains",
                    row.sample_where);
    }
    if (!remains_of.count(row.sample)) {
      return refuse(ProfileRowProblem::Kind::kUnknownSample, row, no_owner, row.sample_where);
    }
    if (!row.amelogenin && req.frequencies->Find(row.marker) == nullptr) {
      return refuse(ProfileRowProblem::Kind::kUnknownMarker, row,
                    "marker not in the frequency database " + req.frequencies_name,
                    row.marker_where);
    }
  }
  ImportProfilesResult res;
  const std::string reason =
      req.meta.reason.empty() ? "allele table " + req.source : req.meta.reason;
  const std::string source_name = std::filesystem::path(req.source).filename().string();
  std::vector<Event> events;
  for (const kinship::Profile& p : req.profiles) {
    const std::string profile = ProfileText(p);
    if (profile.empty()) {  // every marker untyped: nothing to record
      ++res.untyped;
      continue;
    }
    auto owner = remains_of.find(p.sample);
    if (owner == remains_of.end()) {
      // A profile whose sample no row named: the rows and the profiles disagree.
      return MakeError(ErrorCode::kNotFound,
                       "sample " + p.sample + ": " + no_owner + "; nothing was imported",
                       req.source);
    }
    // The same profile already recorded for the sample (a re-run import): nothing new.
    const std::map<std::string, registry::SampleProfile>& recorded =
        req.references ? snap.relatives.at(owner->second).profiles
                       : snap.remains.at(owner->second).profiles;
    if (auto it = recorded.find(p.sample); it != recorded.end() && it->second.profile == profile) {
      ++res.unchanged;
      continue;
    }
    Event e =
        req.references
            ? NewEvent(req.meta, EntityKind::kRelative, "relative.profile_recorded", owner->second)
            : NewEvent(req.meta, EntityKind::kRemains, "remains.profile_recorded", owner->second);
    e.reason = reason;
    e.payload["sample"] = p.sample;
    e.payload["profile"] = profile;
    e.payload["source"] = source_name;
    e.payload["markers"] = std::to_string(p.markers.size());
    events.push_back(std::move(e));
  }
  res.recorded = events.size();
  if (!events.empty()) {
    WB_RETURN_IF_ERROR(registry.RecordBatch(std::move(events), WriteOptionsFor(req.meta)));
  }
  return res;
}

}  // namespace whereabouts::app
