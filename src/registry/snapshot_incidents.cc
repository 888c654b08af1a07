// Incidents (counts, linked persons, cited sources) and the sources the register cites.
#include <algorithm>

#include "registry/payload.h"
#include "registry/snapshot_rules.h"

namespace whereabouts::registry::internal {

Status ApplySourceEvent(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
  if (t == "source.identify_run") {
    // An identification run on the register (app/dna_register.h): the run id (a SHA-256), the
    // options and counts are in the event; as a source it is "the run's report".
    if (snap.sources.count(e.entity_id)) {
      return MakeError(ErrorCode::kAlreadyExists, "source exists");
    }
    Source src;
    src.id = e.entity_id;
    src.recorded_on = e.recorded_on;
    src.sha256 = std::string(e.Get("run"));
    if (src.sha256.size() != 64 ||
        src.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "expected 64 lower-case hex digits", "run");
    }
    src.symbol = "identify-run/" + src.sha256.substr(0, 12);
    src.title = "DNA identification run on the register";
    src.date = e.recorded_on;
    snap.sources.emplace(src.id, std::move(src));
    return {};
  }
  if (t != "source.registered") {
    return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
  }
  if (snap.sources.count(e.entity_id)) return MakeError(ErrorCode::kAlreadyExists, "source exists");
  Source src;
  src.id = e.entity_id;
  src.recorded_on = e.recorded_on;
  src.symbol = std::string(e.Get("symbol"));
  src.title = std::string(e.Get("title"));
  if (src.symbol.empty() && src.title.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a source needs a symbol or a title", "symbol");
  }
  WB_ASSIGN_OR_RETURN(src.date, ParseDateField(e.Get("date"), "date"));
  src.url = std::string(e.Get("url"));
  src.sha256 = std::string(e.Get("sha256"));
  if (!src.sha256.empty() &&
      (src.sha256.size() != 64 ||
       src.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    return MakeError(ErrorCode::kInvalidArgument, "expected 64 lower-case hex digits", "sha256");
  }
  snap.sources.emplace(src.id, std::move(src));
  return {};
}

Status ApplyIncidentEvent(Snapshot& snap, const Event& e) {
  const std::string& t = e.type;
  if (t == "incident.registered") {
    if (snap.incidents.count(e.entity_id)) {
      return MakeError(ErrorCode::kAlreadyExists, "incident exists");
    }
    Incident inc;
    inc.id = e.entity_id;
    inc.last_event_on = e.recorded_on;
    WB_ASSIGN_OR_RETURN(inc.date, ParseDateField(e.Get("date"), "date"));
    inc.place = std::string(e.Get("place"));
    inc.description = std::string(e.Get("description"));
    WB_ASSIGN_OR_RETURN(inc.counts, ParseCounts(e.Get("counts")));
    snap.incidents.emplace(inc.id, std::move(inc));
    return {};
  }
  auto it = snap.incidents.find(e.entity_id);
  if (it == snap.incidents.end()) return MakeError(ErrorCode::kNotFound, "no such incident");
  Incident& inc = it->second;
  WB_RETURN_IF_ERROR(CheckOrder(inc, e));
  if (t == "incident.person_linked") {
    WB_ASSIGN_OR_RETURN(int64_t p, ParseId(e.Get("person"), "person"));
    if (std::find(inc.persons.begin(), inc.persons.end(), p) != inc.persons.end()) {
      return tl::unexpected(Rule("person " + std::to_string(p) + " is already linked", "person"));
    }
    inc.persons.push_back(p);
  } else if (t == "incident.source_cited") {
    WB_ASSIGN_OR_RETURN(int64_t src, ParseId(e.Get("source"), "source"));
    if (!snap.sources.count(src)) {
      return MakeError(ErrorCode::kNotFound, "no source " + std::to_string(src), "source");
    }
    inc.sources.push_back(src);
  } else if (t == "incident.counts_corrected") {
    WB_ASSIGN_OR_RETURN(inc.counts, ParseCounts(e.Get("counts")));
  } else {
    return MakeError(ErrorCode::kInvalidArgument, "unknown event type", "type");
  }
  inc.last_event_on = e.recorded_on;
  return {};
}

}  // namespace whereabouts::registry::internal
