// `whereabouts incident add|link|list` and `whereabouts source add|list`: incidents
// (date, place, casualty counts by category, linked persons, cited sources) and the documents
// the register cites (symbol, title, date, URL, SHA-256 of the file).
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "app/incidents.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "registry/payload.h"

namespace whereabouts::cli {
namespace {

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

// --count CATEGORY=N (each may hold several, ';'-separated) as the use cases' counts, read with
// the register's own parser.
Result<app::CasualtyCounts> Counts(const std::vector<std::string>& counts) {
  app::CasualtyCounts out;
  for (const std::string& c : counts) {
    WB_ASSIGN_OR_RETURN(const auto parsed, registry::ParseCounts(c));
    out.insert(out.end(), parsed.begin(), parsed.end());
  }
  return out;
}

std::vector<registry::PersonId> Persons(const std::vector<int64_t>& ids) {
  std::vector<registry::PersonId> out;
  for (int64_t id : ids) out.push_back(registry::PersonId{id});
  return out;
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
      app::RecordIncidentRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      WB_ASSIGN_OR_RETURN(req.date, registry::ParseDateField(opt->date, "date"));
      req.place = opt->place;
      req.description = opt->description;
      WB_ASSIGN_OR_RETURN(req.counts, Counts(opt->counts));
      req.persons = Persons(opt->persons);
      req.sources = opt->sources;
      WB_ASSIGN_OR_RETURN(const app::RecordedIncident stored,
                          app::RecordIncident(*reg.registry, req));
      const int64_t id = stored.id;
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
      app::LinkIncidentRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.incident = opt->id;
      req.persons = Persons(opt->persons);
      req.sources = opt->sources;
      if (!opt->counts.empty()) {
        WB_ASSIGN_OR_RETURN(req.counts, Counts(opt->counts));
      }
      WB_RETURN_IF_ERROR(app::LinkIncident(*reg.registry, req));
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
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
      WB_ASSIGN_OR_RETURN(const app::IncidentList snap, app::ListIncidents(*reg.registry, as_of));
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
      // The file is read before the register is opened (and maybe created), so that a source
      // whose file cannot be read leaves no new database behind.
      app::RegisterSourceRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.symbol = opt->symbol;
      req.title = opt->title;
      WB_ASSIGN_OR_RETURN(req.date, registry::ParseDateField(opt->date, "date"));
      req.url = opt->url;
      if (!opt->file.empty()) {
        WB_ASSIGN_OR_RETURN(req.document, ReadFile(opt->file));
      }
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, true));
      WB_ASSIGN_OR_RETURN(const int64_t id, app::RegisterSource(*reg.registry, req));
      std::cout << "registered source " << id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<SourceOptions>();
    CLI::App* cmd = source->add_subcommand("list", "sources");
    AddDbOption(cmd, &opt->db);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const auto sources, app::ListSources(*reg.registry, std::nullopt));
      for (const auto& [id, s] : sources) {
        fmt::print("{:>4}  {:<14} {:<10} {}  {}{}\n", id, s.symbol,
                   s.date ? s.date->ToString() : "", s.title, s.url,
                   s.sha256.empty() ? "" : "  sha256 " + s.sha256);
      }
      return {};
    });
  }
}

}  // namespace whereabouts::cli
