// `whereabouts person add|show|list|update|merge|duplicates`: missing persons in the register.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/delimited.h"
#include "registry/duplicates.h"

namespace whereabouts::cli {
namespace {

using registry::Event;
using registry::Person;

std::string DateText(const std::optional<registry::Date>& d) { return d ? d->ToString() : ""; }

nlohmann::json PersonJson(const Person& p, const registry::AgeLimits& limits) {
  nlohmann::json j;
  j["id"] = p.id.value;
  j["family_name"] = p.family_name;
  j["given_name"] = p.given_name;
  j["father_name"] = p.father_name;
  j["other_names"] = p.other_names;
  j["sex"] = Name(p.sex);
  j["birth_date"] = DateText(p.birth_date);
  j["birth_year_min"] = p.birth_year_min ? nlohmann::json(*p.birth_year_min) : nlohmann::json();
  j["birth_year_max"] = p.birth_year_max ? nlohmann::json(*p.birth_year_max) : nlohmann::json();
  j["affiliation"] = Name(p.affiliation);
  j["unit"] = p.unit;
  j["category"] = Name(registry::CategoryOf(p, limits));
  j["disappearance_date"] = DateText(p.disappearance_date);
  j["disappearance_place"] = p.disappearance_place;
  j["circumstances"] = p.circumstances;
  j["capture"] = Name(p.capture);
  j["capture_date"] = DateText(p.capture_date);
  j["captured_by"] = p.captured_by;
  j["seen_alive_by"] = p.seen_alive_by;
  j["detention_place"] = p.detention_place;
  j["icrc_visits"] = p.icrc_visits;
  j["reported_dead"] = p.reported_dead;
  j["death_date"] = DateText(p.death_date);
  j["death_place"] = p.death_place;
  j["death_territory"] = Name(p.death_territory);
  j["death_locality"] = p.death_locality;
  j["body"] = Name(p.body);
  j["body_returned_on"] = DateText(p.body_returned_on);
  j["status"] = Name(p.status);
  j["identified_on"] = DateText(p.identified_on);
  j["identified_site"] = p.identified_site;
  j["identified_remains"] = p.identified_remains;
  j["family_notified_on"] = DateText(p.family_notified_on);
  j["merged_into"] = p.merged_into;
  j["registered_on"] = p.registered_on.ToString();
  j["last_event_on"] = p.last_event_on.ToString();
  return j;
}

struct AddOptions {
  std::string db;
  registry::Fields fields;
  std::string family, given, father, sex, born, affiliation = "civilian", unit, disappeared, place,
                                                circumstances;
  std::vector<std::string> other_names;
  int birth_year_min = 0, birth_year_max = 0;
  EventMeta meta;
};

void RegisterAdd(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<AddOptions>();
  CLI::App* cmd = person->add_subcommand("add", "register a missing person");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("--family-name", opt->family, "family name (any script)");
  cmd->add_option("--given-name", opt->given, "given name");
  cmd->add_option("--father-name", opt->father, "father's name (patronymic)");
  cmd->add_option("--other-name", opt->other_names, "another spelling or script (repeatable)");
  cmd->add_option("--sex", opt->sex, "male, female or unknown");
  cmd->add_option("--born", opt->born, "date of birth YYYY-MM-DD");
  cmd->add_option("--birth-year-min", opt->birth_year_min, "earliest birth year (age range)");
  cmd->add_option("--birth-year-max", opt->birth_year_max, "latest birth year (age range)");
  cmd->add_option("--affiliation", opt->affiliation, "civilian or serviceman")
      ->capture_default_str();
  cmd->add_option("--unit", opt->unit, "military unit (servicemen)");
  cmd->add_option("--disappeared", opt->disappeared, "date of disappearance YYYY-MM-DD");
  cmd->add_option("--place", opt->place, "place of disappearance");
  cmd->add_option("--circumstances", opt->circumstances, "circumstances of disappearance");
  AddEventMetaOptions(cmd, &opt->meta);
  SetCallback(cmd, exit_code, [opt]() -> Status {
    auto fill = [&](Event& e) -> Status {
      auto set = [&](const char* k, const std::string& v) {
        if (!v.empty()) e.payload[k] = v;
      };
      set("family_name", opt->family);
      set("given_name", opt->given);
      set("father_name", opt->father);
      std::string others;
      for (const auto& n : opt->other_names) others += (others.empty() ? "" : "|") + n;
      set("other_names", others);
      set("sex", opt->sex);
      set("birth_date", opt->born);
      if (opt->birth_year_min) e.payload["birth_year_min"] = std::to_string(opt->birth_year_min);
      if (opt->birth_year_max) e.payload["birth_year_max"] = std::to_string(opt->birth_year_max);
      set("affiliation", opt->affiliation);
      set("unit", opt->unit);
      set("disappearance_date", opt->disappeared);
      set("disappearance_place", opt->place);
      set("circumstances", opt->circumstances);
      return {};
    };
    WB_ASSIGN_OR_RETURN(const Event stored,
                        RecordEvent(opt->db, /*create=*/true, opt->meta,
                                    {registry::EntityKind::kPerson, "person.registered"}, fill));
    std::cout << "registered person " << stored.entity_id << "\n";
    return {};
  });
}

struct ShowOptions {
  std::string db;
  int64_t id = 0;
  std::string as_of;
  bool json = false;
  bool history = false;
};

void RegisterShow(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<ShowOptions>();
  CLI::App* cmd = person->add_subcommand("show", "show one person (as of a date) and its history");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("id", opt->id, "person id")->required();
  cmd->add_option("--as-of", opt->as_of, "the state as the register had it on this date");
  cmd->add_flag("--json", opt->json, "print JSON");
  cmd->add_flag("--history", opt->history, "also list the events (who, when, what, why)");
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
    WB_ASSIGN_OR_RETURN(const std::optional<Person> p,
                        reg.store->FindPerson(registry::PersonId{opt->id}, as_of));
    if (!p) {
      return MakeError(ErrorCode::kNotFound,
                       "no person " + std::to_string(opt->id) +
                           (opt->as_of.empty() ? "" : " as of " + opt->as_of));
    }
    nlohmann::json j = PersonJson(*p, registry::AgeLimits{});
    std::vector<Event> events;
    if (opt->history) {
      registry::EventQuery q;
      q.kind = registry::EntityKind::kPerson;
      q.entity_id = opt->id;
      q.as_of = as_of;
      WB_ASSIGN_OR_RETURN(events, reg.store->Events(q));
    }
    if (opt->json) {
      if (opt->history) {
        nlohmann::json h = nlohmann::json::array();
        for (const auto& e : events) {
          h.push_back({{"seq", e.seq},
                       {"type", e.type},
                       {"recorded_on", e.recorded_on.ToString()},
                       {"by", e.actor},
                       {"reason", e.reason},
                       {"payload", e.payload}});
        }
        j["history"] = h;
      }
      std::cout << j.dump(2) << "\n";
      return {};
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      const auto& v = it.value();
      if (v.is_null() || (v.is_string() && v.get<std::string>().empty()) ||
          (v.is_array() && v.empty())) {
        continue;
      }
      std::string text = v.is_string() ? v.get<std::string>() : v.dump();
      fmt::print("{:<20} {}\n", it.key(), text);
    }
    if (opt->history) {
      std::cout << "\nhistory:\n";
      for (const auto& e : events) {
        std::string what;
        for (const auto& [k, v] : e.payload) what += (what.empty() ? "" : ", ") + k + "=" + v;
        fmt::print("  #{} {} {} by {}{}: {}\n", e.seq, e.recorded_on.ToString(), e.type, e.actor,
                   e.reason.empty() ? "" : " (" + e.reason + ")", what);
      }
    }
    return {};
  });
}

struct ListOptions {
  std::string db;
  std::string as_of;
  std::string format = "table";
  std::string status;
  size_t limit = 0;
};

void RegisterList(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<ListOptions>();
  CLI::App* cmd = person->add_subcommand("list", "list persons (as of a date)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
  cmd->add_option("--format", opt->format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
  cmd->add_option("--status", opt->status, "only this case status (open, identified, ...)");
  cmd->add_option("--limit", opt->limit, "at most this many rows (0: all)");
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
    WB_ASSIGN_OR_RETURN(std::vector<Person> persons, reg.store->Persons(as_of));
    if (!opt->status.empty()) {
      WB_ASSIGN_OR_RETURN(const registry::CaseStatus st, registry::ParseCaseStatus(opt->status));
      std::erase_if(persons, [&](const Person& p) { return p.status != st; });
    }
    if (opt->limit && persons.size() > opt->limit) persons.resize(opt->limit);
    const registry::AgeLimits limits;
    if (opt->format == "json") {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& p : persons) a.push_back(PersonJson(p, limits));
      std::cout << a.dump(2) << "\n";
    } else if (opt->format == "csv") {
      std::cout << "id,family_name,given_name,father_name,sex,birth_date,affiliation,category,"
                   "disappearance_date,capture,status\n";
      for (const auto& p : persons) {
        std::cout << p.id.value << ',' << io::CsvCell(p.family_name) << ','
                  << io::CsvCell(p.given_name) << ',' << io::CsvCell(p.father_name) << ','
                  << Name(p.sex) << ',' << DateText(p.birth_date) << ',' << Name(p.affiliation)
                  << ',' << Name(registry::CategoryOf(p, limits)) << ','
                  << DateText(p.disappearance_date) << ',' << Name(p.capture) << ','
                  << Name(p.status) << "\n";
      }
    } else {
      fmt::print("{:>7}  {:<36} {:<7} {:<10} {:<10} {:<8} {:<15} {}\n", "id", "name", "sex", "born",
                 "affil.", "category", "capture", "status");
      for (const auto& p : persons) {
        fmt::print("{:>7}  {:<36} {:<7} {:<10} {:<10} {:<8} {:<15} {}\n", p.id.value, p.FullName(),
                   Name(p.sex), DateText(p.birth_date), Name(p.affiliation),
                   Name(registry::CategoryOf(p, limits)), Name(p.capture), Name(p.status));
      }
      fmt::print("{} persons\n", persons.size());
    }
    return {};
  });
}

struct UpdateOptions {
  std::string db;
  int64_t id = 0;
  std::string event = "corrected";
  std::vector<std::string> set;
  EventMeta meta;
};

void RegisterUpdate(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<UpdateOptions>();
  CLI::App* cmd = person->add_subcommand(
      "update", "record a change: a correction or an event (captured, icrc_visited, ...)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("id", opt->id, "person id")->required();
  cmd->add_option("--event", opt->event,
                  "corrected, captured, detained, icrc_visited, reported_dead, body_returned, "
                  "family_notified (of a confirmed identification only), found_alive, "
                  "withdrawn; identifications: 'whereabouts identification propose|confirm'")
      ->capture_default_str();
  cmd->add_option("--set", opt->set, "KEY=VALUE of the event (repeatable), e.g. death_date=...");
  AddEventMetaOptions(cmd, &opt->meta);
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    if (opt->event == "registered" || opt->event == "merged_into") {
      return MakeError(ErrorCode::kInvalidArgument,
                       "use 'person add' or 'person merge' for " + opt->event, "--event");
    }
    WB_ASSIGN_OR_RETURN(
        const Event stored,
        RecordEvent(*reg.registry, opt->meta,
                    {registry::EntityKind::kPerson, "person." + opt->event, opt->id},
                    [&](Event& e) -> Status {
                      WB_ASSIGN_OR_RETURN(e.payload, ParseAssignments(opt->set));
                      return {};
                    }));
    std::cout << "recorded " << stored.type << " for person " << stored.entity_id << " (event #"
              << stored.seq << ")\n";
    return {};
  });
}

struct MergeOptions {
  std::string db;
  int64_t keep = 0;
  int64_t other = 0;
  EventMeta meta;
};

void RegisterMerge(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<MergeOptions>();
  CLI::App* cmd = person->add_subcommand(
      "merge", "merge a duplicate into the record that keeps the case (both histories stay)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("keep", opt->keep, "person id that keeps the case")->required();
  cmd->add_option("duplicate", opt->other, "person id merged into it")->required();
  AddEventMetaOptions(cmd, &opt->meta);
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_RETURN_IF_ERROR(RecordEvent(
        opt->db, /*create=*/false, opt->meta,
        {registry::EntityKind::kPerson, "person.merged_into", opt->other}, [&](Event& e) -> Status {
          if (e.reason.empty()) e.reason = "duplicate of person " + std::to_string(opt->keep);
          e.payload["into"] = std::to_string(opt->keep);
          return {};
        }));
    std::cout << "merged person " << opt->other << " into person " << opt->keep << "\n";
    return {};
  });
}

struct DupOptions {
  std::string db;
  std::string as_of;
  double threshold = 0.8;
  bool json = false;
};

void RegisterDuplicates(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<DupOptions>();
  CLI::App* cmd = person->add_subcommand(
      "duplicates", "suggest likely duplicates (names across transliterations, dates, places)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
  cmd->add_option("--threshold", opt->threshold, "minimum score (0..1)")->capture_default_str();
  cmd->add_flag("--json", opt->json, "print JSON");
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
    WB_ASSIGN_OR_RETURN(const std::vector<Person> persons, reg.store->Persons(as_of));
    registry::DuplicateOptions dopt;
    dopt.threshold = opt->threshold;
    auto sugg = registry::SuggestDuplicates(persons, dopt);
    std::map<int64_t, const Person*> by_id;
    for (const auto& p : persons) by_id[p.id.value] = &p;
    if (opt->json) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& s : sugg) {
        a.push_back({{"a", s.a.value}, {"b", s.b.value}, {"score", s.score}, {"why", s.why}});
      }
      std::cout << a.dump(2) << "\n";
      return {};
    }
    for (const auto& s : sugg) {
      fmt::print("{:>7} {:<32} ~ {:>7} {:<32} score {:.2f}  ({})\n", s.a.value,
                 by_id[s.a.value]->FullName(), s.b.value, by_id[s.b.value]->FullName(), s.score,
                 s.why);
    }
    fmt::print("{} suggested duplicate pairs; merge with 'whereabouts person merge KEEP DUP'\n",
               sugg.size());
    return {};
  });
}

struct RelativeOptions {
  std::string db, name, relationship, sample, consent = "identification";
  int64_t id = 0;
  EventMeta meta;
};

void RegisterRelatives(CLI::App* person, int& exit_code) {
  {
    auto opt = std::make_shared<RelativeOptions>();
    CLI::App* cmd = person->add_subcommand(
        "relative-add", "register a relative of a missing person, with a reference sample");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "the missing person's id")->required();
    cmd->add_option("--name", opt->name, "the relative's name")->required();
    cmd->add_option("--relationship", opt->relationship, "mother, father, sibling, child, ...")
        ->required();
    cmd->add_option("--sample", opt->sample, "reference sample id");
    cmd->add_option("--consent", opt->consent,
                    "none, identification (identification only) or identification_and_court")
        ->check(CLI::IsMember({"none", "identification", "identification_and_court"}))
        ->capture_default_str();
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(const Event stored,
                          RecordEvent(opt->db, /*create=*/false, opt->meta,
                                      {registry::EntityKind::kRelative, "relative.registered"},
                                      [&](Event& e) -> Status {
                                        e.payload["person"] = std::to_string(opt->id);
                                        e.payload["name"] = opt->name;
                                        e.payload["relationship"] = opt->relationship;
                                        e.payload["sample"] = opt->sample;
                                        e.payload["consent"] = opt->consent;
                                        return {};
                                      }));
      std::cout << "registered relative " << stored.entity_id << " of person " << opt->id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<RelativeOptions>();
    CLI::App* cmd = person->add_subcommand("relatives", "relatives of a missing person");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "the missing person's id")->required();
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const registry::Snapshot snap,
                          reg.registry->LoadSnapshot(std::nullopt, /*with_relatives=*/true));
      int n = 0;
      for (const auto& [rid, r] : snap.relatives) {
        if (r.person_id != opt->id) continue;
        fmt::print("{:>6}  {:<36} {:<13} sample {:<14} consent {}\n", rid, r.name, r.relationship,
                   r.sample.empty() ? "-" : r.sample, r.consent);
        ++n;
      }
      fmt::print("{} relatives\n", n);
      return {};
    });
  }
}

}  // namespace

void RegisterPerson(CLI::App& root, int& exit_code) {
  CLI::App* person =
      root.add_subcommand("person", "missing persons: add, show, list, update, merge");
  person->require_subcommand(1);
  RegisterAdd(person, exit_code);
  RegisterShow(person, exit_code);
  RegisterList(person, exit_code);
  RegisterUpdate(person, exit_code);
  RegisterMerge(person, exit_code);
  RegisterDuplicates(person, exit_code);
  RegisterRelatives(person, exit_code);
}

}  // namespace whereabouts::cli
