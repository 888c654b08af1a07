// `whereabouts incident add|link|cite|show|list` and `whereabouts source add|list`: incidents
// (date, place, casualty counts by category, linked persons, cited sources) and the documents
// the register cites (symbol, title, date, URL, SHA-256 of the file).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

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

int RecordAll(OpenedRegistry& reg, std::vector<Event> events) {
  for (auto& e : events) {
    auto stored = reg.registry->Record(std::move(e));
    if (!stored) return Fail(stored.error());
  }
  return kExitOk;
}

Event Make(const IncidentOptions& opt, const char* type, int64_t id, Status* status) {
  Event e;
  e.kind = registry::EntityKind::kIncident;
  e.entity_id = id;
  e.type = type;
  *status = ApplyMeta(opt.meta, e);
  return e;
}

std::string JoinCounts(const std::vector<std::string>& counts) {
  std::string out;
  for (const auto& c : counts) out += (out.empty() ? "" : ";") + c;
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
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, true);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      auto id = reg->store->NextId(registry::EntityKind::kIncident);
      if (!id) {
        exit_code = Fail(id.error());
        return;
      }
      Status st;
      std::vector<Event> events;
      Event e = Make(*opt, "incident.registered", *id, &st);
      if (!st) {
        exit_code = Fail(st.error());
        return;
      }
      if (!opt->date.empty()) e.payload["date"] = opt->date;
      e.payload["place"] = opt->place;
      e.payload["description"] = opt->description;
      e.payload["counts"] = JoinCounts(opt->counts);
      events.push_back(std::move(e));
      for (int64_t p : opt->persons) {
        Event l = Make(*opt, "incident.person_linked", *id, &st);
        l.payload["person"] = std::to_string(p);
        events.push_back(std::move(l));
      }
      for (int64_t s : opt->sources) {
        Event c = Make(*opt, "incident.source_cited", *id, &st);
        c.payload["source"] = std::to_string(s);
        events.push_back(std::move(c));
      }
      // Checked as a whole first, so that a bad link leaves no half-recorded incident.
      auto snap = reg->registry->LoadSnapshot(std::nullopt);
      if (!snap) {
        exit_code = Fail(snap.error());
        return;
      }
      for (const auto& ev : events) {
        if (auto s = registry::ApplyToSnapshot(*snap, ev); !s) {
          exit_code = Fail(s.error());
          return;
        }
        if (ev.type == "incident.person_linked") {
          auto p = reg->store->FindPerson(
              registry::PersonId{std::stoll(std::string(ev.Get("person")))}, std::nullopt);
          if (!p || !*p) {
            exit_code = Fail(Error{ErrorCode::kNotFound,
                                   "no person " + std::string(ev.Get("person")), "--person"});
            return;
          }
        }
      }
      auto stored = reg->store->Append(std::move(events));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "recorded incident " << *id << "\n";
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
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      Status st;
      std::vector<Event> events;
      for (int64_t p : opt->persons) {
        Event l = Make(*opt, "incident.person_linked", opt->id, &st);
        l.payload["person"] = std::to_string(p);
        events.push_back(std::move(l));
      }
      for (int64_t s : opt->sources) {
        Event c = Make(*opt, "incident.source_cited", opt->id, &st);
        c.payload["source"] = std::to_string(s);
        events.push_back(std::move(c));
      }
      if (!opt->counts.empty()) {
        Event c = Make(*opt, "incident.counts_corrected", opt->id, &st);
        c.payload["counts"] = JoinCounts(opt->counts);
        events.push_back(std::move(c));
      }
      if (!st) {
        exit_code = Fail(st.error());
        return;
      }
      exit_code = RecordAll(*reg, std::move(events));
      if (exit_code == kExitOk) std::cout << "updated incident " << opt->id << "\n";
    });
  }
  {
    auto opt = std::make_shared<IncidentOptions>();
    CLI::App* cmd = incident->add_subcommand("list", "incidents with their counts");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      auto as_of = ParseAsOf(opt->as_of);
      if (!as_of) {
        exit_code = Fail(as_of.error());
        return;
      }
      auto snap = reg->registry->LoadSnapshot(*as_of);
      if (!snap) {
        exit_code = Fail(snap.error());
        return;
      }
      for (const auto& [id, inc] : snap->incidents) {
        std::string counts;
        for (const auto& [k, v] : inc.counts)
          counts += (counts.empty() ? "" : ", ") + k + " " + std::to_string(v);
        std::string sources;
        for (int64_t s : inc.sources) {
          auto it = snap->sources.find(s);
          sources += (sources.empty() ? "" : ", ") +
                     (it != snap->sources.end() && !it->second.symbol.empty() ? it->second.symbol
                                                                              : std::to_string(s));
        }
        fmt::print("{:>4}  {:<10} {:<20} {}; {} persons linked; sources: {}\n", id,
                   inc.date ? inc.date->ToString() : "", inc.place, counts, inc.persons.size(),
                   sources.empty() ? "none" : sources);
      }
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
    cmd->callback([opt, &exit_code] {
      Event e;
      e.kind = registry::EntityKind::kSource;
      e.type = "source.registered";
      if (auto s = ApplyMeta(opt->meta, e); !s) {
        exit_code = Fail(s.error());
        return;
      }
      if (!opt->symbol.empty()) e.payload["symbol"] = opt->symbol;
      if (!opt->title.empty()) e.payload["title"] = opt->title;
      if (!opt->date.empty()) e.payload["date"] = opt->date;
      if (!opt->url.empty()) e.payload["url"] = opt->url;
      if (!opt->file.empty()) {
        std::ifstream in(opt->file, std::ios::binary);
        if (!in) {
          exit_code = Fail(Error{ErrorCode::kNotFound, "cannot read the file", opt->file});
          return;
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        e.payload["sha256"] = registry::Sha256Hex(ss.str());
      }
      auto reg = OpenRegistry(opt->db, true);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      auto stored = reg->registry->Record(std::move(e));
      if (!stored) {
        exit_code = Fail(stored.error());
        return;
      }
      std::cout << "registered source " << stored->entity_id << "\n";
    });
  }
  {
    auto opt = std::make_shared<SourceOptions>();
    CLI::App* cmd = source->add_subcommand("list", "sources");
    AddDbOption(cmd, &opt->db);
    cmd->callback([opt, &exit_code] {
      auto reg = OpenRegistry(opt->db, false);
      if (!reg) {
        exit_code = Fail(reg.error());
        return;
      }
      auto snap = reg->registry->LoadSnapshot(std::nullopt);
      if (!snap) {
        exit_code = Fail(snap.error());
        return;
      }
      for (const auto& [id, s] : snap->sources) {
        fmt::print("{:>4}  {:<14} {:<10} {}  {}{}\n", id, s.symbol,
                   s.date ? s.date->ToString() : "", s.title, s.url,
                   s.sha256.empty() ? "" : "  sha256 " + s.sha256);
      }
    });
  }
}

}  // namespace whereabouts::cli
