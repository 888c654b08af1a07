// `whereabouts incident add|link|cite|show|list` and `whereabouts source add|list`: incidents
// (date, place, casualty counts by category, linked persons, cited sources) and the documents
// the register cites (symbol, title, date, URL, SHA-256 of the file).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "registry/sha256.h"

namespace whereabouts::cli {
namespace {

using registry::Event;

struct IncidentOptions {
  std::string db, date, place, description, as_of;
  std::vector<std::string> counts;
  std::vector<int64_t> persons, sources;
  int64_t id = 0;
  EventMeta meta;
};

struct SourceOptions {
  std::string db, symbol, title, date, url, file;
  EventMeta meta;
};

std::string JoinCounts(const std::vector<std::string>& counts) {
  std::string out;
  for (const auto& c : counts) out += (out.empty() ? "" : ";") + c;
  return out;
}

// Appends to `events` an event of `type` about incident `id` with one payload field.
Status AddEvent(const IncidentOptions& opt, const char* type, int64_t id, const char* key,
                std::string value, std::vector<Event>& events) {
  WB_ASSIGN_OR_RETURN(Event e, MakeEvent(opt.meta, {registry::EntityKind::kIncident, type, id}));
  e.payload[key] = std::move(value);
  events.push_back(std::move(e));
  return {};
}

// Appends the links of --person and the citations of --source to incident `id`.
Status AddLinks(const IncidentOptions& opt, int64_t id, std::vector<Event>& events) {
  for (int64_t p : opt.persons) {
    WB_RETURN_IF_ERROR(
        AddEvent(opt, "incident.person_linked", id, "person", std::to_string(p), events));
  }
  for (int64_t s : opt.sources) {
    WB_RETURN_IF_ERROR(
        AddEvent(opt, "incident.source_cited", id, "source", std::to_string(s), events));
  }
  return {};
}

}  // namespace

void RegisterIncident(CLI::App& root, int& exit_code) {
  CLI::App* incident = root.add_subcommand("incident", "incidents: casualties, persons, sources");
  incident->require_subcommand(1);
  {
    auto opt = std::make_shared<IncidentOptions>();
    CLI::App* cmd = incident->add_subcommand("add", "record an incident");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--date", opt->date, "date of the incident YYYY-MM-DD");
    cmd->add_option("--place", opt->place, "where");
    cmd->add_option("--description", opt->description, "what happened");
    cmd->add_option("--count", opt->counts, "CATEGORY=N casualties (repeatable), e.g. missing=5");
    cmd->add_option("--person", opt->persons, "linked person id (repeatable)");
    cmd->add_option("--source", opt->sources, "cited source id (repeatable)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, true));
      // The incident and its links in one write: a bad link leaves no half-recorded incident.
      WB_ASSIGN_OR_RETURN(
          const std::vector<Event> stored,
          reg.registry->RecordWithNewId(
              registry::EntityKind::kIncident,
              [&](int64_t id) -> Result<std::vector<Event>> {
                WB_ASSIGN_OR_RETURN(Event e, MakeEvent(opt->meta, {registry::EntityKind::kIncident,
                                                                   "incident.registered", id}));
                if (!opt->date.empty()) e.payload["date"] = opt->date;
                e.payload["place"] = opt->place;
                e.payload["description"] = opt->description;
                e.payload["counts"] = JoinCounts(opt->counts);
                std::vector<Event> events;
                events.push_back(std::move(e));
                WB_RETURN_IF_ERROR(AddLinks(*opt, id, events));
                return events;
              },
              WriteOptionsOf(opt->meta)));
      const int64_t id = stored.front().entity_id;
      std::cout << "recorded incident " << id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<IncidentOptions>();
    CLI::App* cmd = incident->add_subcommand("link", "link persons or cite sources");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "incident id")->required();
    cmd->add_option("--person", opt->persons, "person id (repeatable)");
    cmd->add_option("--source", opt->sources, "source id (repeatable)");
    cmd->add_option("--count", opt->counts, "corrected CATEGORY=N counts (replace all)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      std::vector<Event> events;
      WB_RETURN_IF_ERROR(AddLinks(*opt, opt->id, events));
      if (!opt->counts.empty()) {
        WB_RETURN_IF_ERROR(AddEvent(*opt, "incident.counts_corrected", opt->id, "counts",
                                    JoinCounts(opt->counts), events));
      }
      // All or none: one bad link (an unknown person) records nothing.
      WB_RETURN_IF_ERROR(reg.registry->RecordBatch(std::move(events), WriteOptionsOf(opt->meta)));
      std::cout << "updated incident " << opt->id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<IncidentOptions>();
    CLI::App* cmd = incident->add_subcommand("list", "incidents with their counts");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, LoadSnapshot(opt->db, opt->as_of));
      for (const auto& [id, inc] : snap.incidents) {
        std::string counts;
        for (const auto& [k, v] : inc.counts)
          counts += (counts.empty() ? "" : ", ") + k + " " + std::to_string(v);
        std::string sources;
        for (int64_t s : inc.sources) {
          auto it = snap.sources.find(s);
          sources += (sources.empty() ? "" : ", ") +
                     (it != snap.sources.end() && !it->second.symbol.empty() ? it->second.symbol
                                                                             : std::to_string(s));
        }
        fmt::print("{:>4}  {:<10} {:<20} {}; {} persons linked; sources: {}\n", id,
                   inc.date ? inc.date->ToString() : "", inc.place, counts, inc.persons.size(),
                   sources.empty() ? "none" : sources);
      }
      return {};
    });
  }
}

void RegisterSource(CLI::App& root, int& exit_code) {
  CLI::App* source = root.add_subcommand("source", "documents the register cites");
  source->require_subcommand(1);
  {
    auto opt = std::make_shared<SourceOptions>();
    CLI::App* cmd =
        source->add_subcommand("add", "register a source (with the SHA-256 of its file)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--symbol", opt->symbol, "document symbol");
    cmd->add_option("--title", opt->title, "title");
    cmd->add_option("--date", opt->date, "date of the document YYYY-MM-DD");
    cmd->add_option("--url", opt->url, "where it is published");
    cmd->add_option("--file", opt->file, "a copy of the document: its SHA-256 is recorded");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      // Not RecordEvent: the file is read before the register is opened (and maybe created), so
      // that a source whose file cannot be read leaves no new database behind.
      WB_ASSIGN_OR_RETURN(
          Event e, MakeEvent(opt->meta, {registry::EntityKind::kSource, "source.registered"}));
      if (!opt->symbol.empty()) e.payload["symbol"] = opt->symbol;
      if (!opt->title.empty()) e.payload["title"] = opt->title;
      if (!opt->date.empty()) e.payload["date"] = opt->date;
      if (!opt->url.empty()) e.payload["url"] = opt->url;
      if (!opt->file.empty()) {
        WB_ASSIGN_OR_RETURN(const std::string content, ReadFile(opt->file));
        e.payload["sha256"] = registry::Sha256Hex(content);
      }
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, true));
      WB_ASSIGN_OR_RETURN(const Event stored, reg.registry->Record(std::move(e)));
      std::cout << "registered source " << stored.entity_id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<SourceOptions>();
    CLI::App* cmd = source->add_subcommand("list", "sources");
    AddDbOption(cmd, &opt->db);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, LoadSnapshot(opt->db, /*as_of=*/""));
      for (const auto& [id, s] : snap.sources) {
        fmt::print("{:>4}  {:<14} {:<10} {}  {}{}\n", id, s.symbol,
                   s.date ? s.date->ToString() : "", s.title, s.url,
                   s.sha256.empty() ? "" : "  sha256 " + s.sha256);
      }
      return {};
    });
  }
}

}  // namespace whereabouts::cli
