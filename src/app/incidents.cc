#include "app/incidents.h"

#include "registry/sha256.h"

namespace whereabouts::app {
namespace {

using registry::EntityKind;
using registry::Event;

// "category=n;category=n", the payload form of counts (registry::ParseCounts reads it back).
Result<std::string> EncodeCounts(const CasualtyCounts& counts) {
  std::string out;
  for (const auto& [category, n] : counts) {
    if (category.empty() || category.find_first_of("=;") != std::string::npos) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "a casualty category is a non-empty word without '=' or ';', got '" + category + "'",
          "counts");
    }
    if (n < 0) {
      return MakeError(ErrorCode::kInvalidArgument, "the count of '" + category + "' is below 0",
                       "counts");
    }
    out += (out.empty() ? "" : ";") + category + "=" + std::to_string(n);
  }
  return out;
}

void AddLinks(const WriteMeta& meta, int64_t id, const std::vector<registry::PersonId>& persons,
              const std::vector<int64_t>& sources, std::vector<Event>& events) {
  for (registry::PersonId p : persons) {
    Event e = NewEvent(meta, EntityKind::kIncident, "incident.person_linked", id);
    e.payload["person"] = std::to_string(p.value);
    events.push_back(std::move(e));
  }
  for (int64_t s : sources) {
    Event e = NewEvent(meta, EntityKind::kIncident, "incident.source_cited", id);
    e.payload["source"] = std::to_string(s);
    events.push_back(std::move(e));
  }
}

}  // namespace

Result<RecordedIncident> RecordIncident(registry::Registry& registry,
                                        const RecordIncidentRequest& req) {
  WB_ASSIGN_OR_RETURN(const std::string counts, EncodeCounts(req.counts));
  // The incident and its links in one write: a bad link leaves no half-recorded incident.
  WB_ASSIGN_OR_RETURN(const std::vector<Event> stored,
                      registry.RecordWithNewId(
                          EntityKind::kIncident,
                          [&](int64_t id) -> Result<std::vector<Event>> {
                            Event e = NewEvent(req.meta, EntityKind::kIncident,
                                               "incident.registered", id);
                            if (req.date) e.payload["date"] = req.date->ToString();
                            e.payload["place"] = req.place;
                            e.payload["description"] = req.description;
                            e.payload["counts"] = counts;
                            std::vector<Event> events;
                            events.push_back(std::move(e));
                            AddLinks(req.meta, id, req.persons, req.sources, events);
                            return events;
                          },
                          WriteOptionsFor(req.meta)));
  if (stored.empty()) return MakeError(ErrorCode::kInternal, "no event recorded");
  return RecordedIncident{stored.front().entity_id, static_cast<int64_t>(stored.size())};
}

Result<int64_t> LinkIncident(registry::Registry& registry, const LinkIncidentRequest& req) {
  std::vector<Event> events;
  AddLinks(req.meta, req.incident, req.persons, req.sources, events);
  if (req.counts) {
    WB_ASSIGN_OR_RETURN(const std::string counts, EncodeCounts(*req.counts));
    Event e = NewEvent(req.meta, EntityKind::kIncident, "incident.counts_corrected", req.incident);
    e.payload["counts"] = counts;
    events.push_back(std::move(e));
  }
  // All or none: one bad link (an unknown person) records nothing.
  WB_ASSIGN_OR_RETURN(const std::vector<Event> stored,
                      registry.RecordBatch(std::move(events), WriteOptionsFor(req.meta)));
  return static_cast<int64_t>(stored.size());
}

Result<registry::Incident> GetIncident(registry::Registry& registry, int64_t id,
                                       const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  auto it = snap.incidents.find(id);
  if (it == snap.incidents.end()) {
    return MakeError(ErrorCode::kNotFound, "no incident " + std::to_string(id) +
                                               (as_of ? " as of " + as_of->ToString() : ""));
  }
  return std::move(it->second);
}

Result<IncidentList> ListIncidents(registry::Registry& registry, const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  IncidentList out;
  out.incidents = std::move(snap.incidents);
  for (const auto& [id, inc] : out.incidents) {
    for (int64_t s : inc.sources) {
      if (auto it = snap.sources.find(s); it != snap.sources.end()) out.sources.emplace(*it);
    }
  }
  return out;
}

Result<int64_t> RegisterSource(registry::Registry& registry, const RegisterSourceRequest& req) {
  Event e = NewEvent(req.meta, EntityKind::kSource, "source.registered", 0);
  if (!req.symbol.empty()) e.payload["symbol"] = req.symbol;
  if (!req.title.empty()) e.payload["title"] = req.title;
  if (req.date) e.payload["date"] = req.date->ToString();
  if (!req.url.empty()) e.payload["url"] = req.url;
  if (req.document) e.payload["sha256"] = registry::Sha256Hex(*req.document);
  WB_ASSIGN_OR_RETURN(const Event stored, registry.Record(std::move(e), WriteOptionsFor(req.meta)));
  return stored.entity_id;
}

Result<std::map<int64_t, registry::Source>> ListSources(registry::Registry& registry,
                                                        const registry::AsOf& as_of) {
  WB_ASSIGN_OR_RETURN(registry::Snapshot snap, registry.LoadSnapshot(as_of));
  return std::move(snap.sources);
}

}  // namespace whereabouts::app
