// Use cases on incidents and the sources the register cites: record an incident with its links
// (all or nothing), link persons and cite sources later, correct its casualty counts, read one
// incident or all of them as of a date; register a source (with the SHA-256 of a copy of the
// document) and list the sources. The rules (a linked person must exist and be linked once, a
// cited source must exist, counts are whole numbers >= 0) are the register's
// (registry/snapshot.h). Thread-safety: as the Registry passed in.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/request.h"
#include "common/result.h"
#include "registry/date.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/snapshot.h"

namespace whereabouts::app {

// Casualty counts by category (killed, missing, civilians, ...), in the order given.
using CasualtyCounts = std::vector<std::pair<std::string, int64_t>>;

struct RecordIncidentRequest {
  WriteMeta meta;
  std::optional<registry::Date> date;
  std::string place;
  std::string description;
  CasualtyCounts counts;
  std::vector<registry::PersonId> persons;  // linked to the incident
  std::vector<int64_t> sources;             // cited source ids
};

struct RecordedIncident {
  int64_t id = 0;
  int64_t events = 0;  // recorded: the incident, its links and citations
};

// Records the incident with a fresh id and its links and citations in one write: a bad link
// (kNotFound "no person N", "no source N"; kFailedPrecondition for a person linked twice) records
// nothing. Errors: kInvalidArgument for a category that is empty or holds '=' or ';', a count
// below 0; those of Registry::RecordWithNewId.
[[nodiscard]] Result<RecordedIncident> RecordIncident(registry::Registry& registry,
                                                      const RecordIncidentRequest& request);

struct LinkIncidentRequest {
  WriteMeta meta;
  int64_t incident = 0;
  std::vector<registry::PersonId> persons;
  std::vector<int64_t> sources;
  std::optional<CasualtyCounts> counts;  // corrected counts, replacing all of them
};

// Links persons, cites sources and corrects the counts of an incident, all in one write or
// none. Returns the number of events recorded (0 when the request asks for nothing). Errors:
// kNotFound (no such incident, person or source); kFailedPrecondition (a person linked twice);
// kInvalidArgument (as RecordIncident's counts).
[[nodiscard]] Result<int64_t> LinkIncident(registry::Registry& registry,
                                           const LinkIncidentRequest& request);

// One incident as of the date. Errors: kNotFound "no incident N" (as of DATE).
[[nodiscard]] Result<registry::Incident> GetIncident(registry::Registry& registry, int64_t id,
                                                     const registry::AsOf& as_of);

// The incidents as of a date, with the sources they cite (id order both).
struct IncidentList {
  std::map<int64_t, registry::Incident> incidents;
  std::map<int64_t, registry::Source> sources;
};
[[nodiscard]] Result<IncidentList> ListIncidents(registry::Registry& registry,
                                                 const registry::AsOf& as_of);

struct RegisterSourceRequest {
  WriteMeta meta;
  std::string symbol;  // the document symbol, e.g. "S/2021/123"
  std::string title;
  std::optional<registry::Date> date;
  std::string url;
  // The bytes of a copy of the document: its SHA-256 is recorded (the bytes are not stored).
  std::optional<std::string> document;
};

// Registers a source with a fresh id. Errors: those of Registry::Record. Nothing is written on
// error.
[[nodiscard]] Result<int64_t> RegisterSource(registry::Registry& registry,
                                             const RegisterSourceRequest& request);

// The sources as of the date, in id order.
[[nodiscard]] Result<std::map<int64_t, registry::Source>> ListSources(registry::Registry& registry,
                                                                      const registry::AsOf& as_of);

}  // namespace whereabouts::app
