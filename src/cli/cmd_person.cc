// `whereabouts person add|show|list|update|merge|duplicates`: missing persons in the register.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/dna_register.h"
#include "app/identification_review.h"
#include "app/persons.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/delimited.h"
#include "io/families_csv.h"
#include "io/registry_json.h"
#include "registry/payload.h"

namespace whereabouts::cli {
namespace {

using registry::Event;
using registry::Person;

std::string DateText(const std::optional<registry::Date>& d) { return d ? d->ToString() : ""; }

struct AddOptions {
  std::string db;
  registry::Fields fields;
  std::string family, given, father, sex, born, affiliation = "civilian", unit, disappeared, place,
                                                circumstances;
  std::vector<std::string> other_names;
  int birth_year_min = 0, birth_year_max = 0;
  // The ICRC's minimum data.
  std::string birth_place, informant, informant_relation, informant_contact, family_contact,
      last_seen, last_seen_place, last_seen_by, description;
  std::vector<std::string> identity_documents;
  EventMeta meta;
};

// The options of `person add` as the use case's fields; values are read with the register's own
// parsers, so an error names the field as the register would.
Result<app::PersonDetails> Details(const AddOptions& o) {
  app::PersonDetails d;
  d.family_name = o.family;
  d.given_name = o.given;
  d.father_name = o.father;
  d.other_names = o.other_names;
  if (!o.sex.empty()) {
    WB_ASSIGN_OR_RETURN(d.sex, registry::ParseSex(o.sex));
  }
  WB_ASSIGN_OR_RETURN(d.birth_date, registry::ParseDateField(o.born, "birth_date"));
  if (o.birth_year_min) d.birth_year_min = o.birth_year_min;
  if (o.birth_year_max) d.birth_year_max = o.birth_year_max;
  if (!o.affiliation.empty()) {
    WB_ASSIGN_OR_RETURN(d.affiliation, registry::ParseAffiliation(o.affiliation));
  }
  d.unit = o.unit;
  WB_ASSIGN_OR_RETURN(d.disappearance_date,
                      registry::ParseDateField(o.disappeared, "disappearance_date"));
  d.disappearance_place = o.place;
  d.circumstances = o.circumstances;
  d.icrc.birth_place = o.birth_place;
  d.icrc.identity_documents = o.identity_documents;
  d.icrc.informant_name = o.informant;
  d.icrc.informant_relation = o.informant_relation;
  d.icrc.informant_contact = o.informant_contact;
  d.icrc.family_contact = o.family_contact;
  WB_ASSIGN_OR_RETURN(d.icrc.last_seen_date,
                      registry::ParseDateField(o.last_seen, "last_seen_date"));
  d.icrc.last_seen_place = o.last_seen_place;
  d.icrc.last_seen_by = o.last_seen_by;
  d.icrc.physical_description = o.description;
  return d;
}

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
  cmd->add_option("--birth-year-min", opt->birth_year_min, "earliest birth year (age range)")
      ->check(CLI::Range(1800, 9999));
  cmd->add_option("--birth-year-max", opt->birth_year_max, "latest birth year (age range)")
      ->check(CLI::Range(1800, 9999));
  cmd->add_option("--affiliation", opt->affiliation, "civilian or serviceman")
      ->capture_default_str();
  cmd->add_option("--unit", opt->unit, "military unit (servicemen)");
  cmd->add_option("--disappeared", opt->disappeared, "date of disappearance YYYY-MM-DD");
  cmd->add_option("--place", opt->place, "place of disappearance");
  cmd->add_option("--circumstances", opt->circumstances, "circumstances of disappearance");
  cmd->add_option("--birth-place", opt->birth_place, "place of birth");
  cmd->add_option("--identity-document", opt->identity_documents,
                  "an identity document, e.g. \"passport AB123\" (repeatable)");
  cmd->add_option("--informant", opt->informant, "who reported the disappearance");
  cmd->add_option("--informant-relation", opt->informant_relation,
                  "the informant's relation to the person");
  cmd->add_option("--informant-contact", opt->informant_contact, "how to reach the informant");
  cmd->add_option("--family-contact", opt->family_contact, "how to reach the family");
  cmd->add_option("--last-seen", opt->last_seen, "date last seen YYYY-MM-DD");
  cmd->add_option("--last-seen-place", opt->last_seen_place,
                  "where last seen (apart from the place of disappearance)");
  cmd->add_option("--last-seen-by", opt->last_seen_by, "by whom last seen");
  cmd->add_option("--description", opt->description,
                  "physical description (height, build, scars, clothing, ...)");
  AddEventMetaOptions(cmd, &opt->meta);
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, /*create=*/true));
    WB_ASSIGN_OR_RETURN(const app::WriteMeta meta, WriteMetaOf(opt->meta));
    WB_ASSIGN_OR_RETURN(const app::PersonDetails details, Details(*opt));
    WB_ASSIGN_OR_RETURN(const app::Recorded r, app::RegisterPerson(*reg.registry, {meta, details}));
    std::cout << "registered person " << r.id << "\n";
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
    WB_ASSIGN_OR_RETURN(
        const app::PersonView view,
        app::GetPerson(*reg.store, {registry::PersonId{opt->id}, as_of, opt->history}));
    nlohmann::json j = io::PersonJson(view.person, registry::AgeLimits{});
    j["icrc"] = io::IcrcJson(view.person.icrc);
    const std::vector<Event>& events = view.history;
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
    const auto print_fields = [](const nlohmann::json& fields) {
      for (auto it = fields.begin(); it != fields.end(); ++it) {
        const auto& v = it.value();
        if (v.is_null() || v.is_object() || (v.is_string() && v.get<std::string>().empty()) ||
            (v.is_array() && v.empty())) {
          continue;
        }
        std::string text = v.is_string() ? v.get<std::string>() : v.dump();
        fmt::print("{:<20} {}\n", it.key(), text);
      }
    };
    print_fields(j);
    print_fields(j["icrc"]);
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

struct SearchOptions {
  std::string db, as_of, name, status;
  int64_t after = 0;
  size_t limit = 100;
  bool json = false;
};

void RegisterSearch(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<SearchOptions>();
  CLI::App* cmd = person->add_subcommand(
      "search",
      "find persons by name in any script (\"Kharatyan\" finds \"Харатян\"), one page at a time");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("name", opt->name, "words that begin the person's names, in any script");
  cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
  cmd->add_option("--status", opt->status, "only this case status (open, identified, ...)");
  cmd->add_option("--after", opt->after, "the page after this id (printed as the next page)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--limit", opt->limit, "persons per page (1 to 1000)")->capture_default_str();
  cmd->add_flag("--json", opt->json, "print JSON: {persons: [...], next_after: N}");
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    app::SearchPersonsRequest req;
    WB_ASSIGN_OR_RETURN(req.as_of, ParseAsOf(opt->as_of));
    req.name = opt->name;
    req.after = opt->after;
    req.limit = opt->limit;
    if (!opt->status.empty()) {
      WB_ASSIGN_OR_RETURN(req.status, registry::ParseCaseStatus(opt->status));
    }
    auto page = app::SearchPersons(*reg.registry, req);
    if (!page) {
      Error e = page.error();
      if (e.field == "limit") e.field = "--limit";
      return tl::unexpected(std::move(e));
    }
    const registry::AgeLimits limits;
    if (opt->json) {
      nlohmann::json j;
      j["persons"] = nlohmann::json::array();
      for (const auto& p : page->persons) j["persons"].push_back(io::PersonJson(p, limits));
      j["next_after"] = page->next_after;
      std::cout << j.dump(2) << "\n";
      return {};
    }
    for (const auto& p : page->persons) {
      std::string others;
      for (const auto& o : p.other_names) others += (others.empty() ? "" : "; ") + o;
      fmt::print("{:>7}  {:<36} {:<10} {}{}\n", p.id.value, p.FullName(), Name(p.status),
                 DateText(p.disappearance_date), others.empty() ? "" : "  (" + others + ")");
    }
    if (page->next_after > 0) {
      fmt::print("more: person search ... --after {}\n", page->next_after);
    }
    return {};
  });
}

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
    app::ListPersonsRequest req{as_of, std::nullopt, opt->limit};
    if (!opt->status.empty()) {
      WB_ASSIGN_OR_RETURN(req.status, registry::ParseCaseStatus(opt->status));
    }
    WB_ASSIGN_OR_RETURN(const std::vector<Person> persons, app::ListPersons(*reg.store, req));
    const registry::AgeLimits limits;
    if (opt->format == "json") {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& p : persons) a.push_back(io::PersonJson(p, limits));
      std::cout << a.dump(2) << "\n";
    } else if (opt->format == "csv") {
      std::cout << "id,family_name,given_name,father_name,sex,birth_date,affiliation,category,"
                   "disappearance_date,capture,status\n";
      for (const auto& p : persons) {
        std::cout << p.id.value << ',' << io::SafeCsvCell(p.family_name) << ','
                  << io::SafeCsvCell(p.given_name) << ',' << io::SafeCsvCell(p.father_name) << ','
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
  int64_t expect_version = 0;
  std::vector<std::string> set;
  EventMeta meta;
};

// The register's refusal of a change, with the command that leads on where there is one: a
// family is notified of a confirmed and signed-off identification only, and an identification is
// recorded only by confirming a proposal.
Error WithCommandHint(registry::Registry& registry, const app::UpdatePersonRequest& req, Error e) {
  if (e.code != ErrorCode::kFailedPrecondition) return e;
  if (req.change == "identified" && !req.fields.contains("proposal")) {
    e.message +=
        " (whereabouts identification propose, then whereabouts identification confirm ID)";
  } else if (req.change == "family_notified") {
    app::ListProposalsRequest proposed;
    proposed.status = registry::ProposalStatus::kProposed;
    proposed.person = req.person;
    auto pending = app::ListProposals(registry, proposed);
    if (pending && !pending->empty()) {
      const std::string id = std::to_string(pending->front().id);
      if (e.message.ends_with("proposal " + id + " is not confirmed")) {
        e.message += " (whereabouts identification confirm " + id + ")";
      }
    }
    app::ListProposalsRequest confirmed;
    confirmed.person = req.person;
    confirmed.awaiting_sign_off = true;
    auto waiting = app::ListProposals(registry, confirmed);
    if (waiting && !waiting->empty()) {
      const std::string id = std::to_string(waiting->front().id);
      if (e.message.find("proposal " + id + " is confirmed and awaits its sign-off") !=
          std::string::npos) {
        e.message += " (whereabouts identification sign-off " + id +
                     " --by WHO --reason WHY, by someone who neither proposed nor confirmed it)";
      }
    }
  }
  return e;
}

void RegisterUpdate(CLI::App* person, int& exit_code) {
  auto opt = std::make_shared<UpdateOptions>();
  CLI::App* cmd = person->add_subcommand(
      "update", "record a change: a correction or an event (captured, icrc_visited, ...)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("id", opt->id, "person id")->required();
  cmd->add_option("--event", opt->event,
                  "corrected, captured, detained, icrc_visited, reported_dead, body_returned, "
                  "family_notified (of a confirmed, signed-off identification only), found_alive, "
                  "withdrawn; identifications: 'whereabouts identification propose|confirm'")
      ->capture_default_str();
  cmd->add_option("--set", opt->set, "KEY=VALUE of the event (repeatable), e.g. death_date=...");
  cmd->add_option("--expect-version", opt->expect_version,
                  "the version of the record this change is based on ('version' in person show): "
                  "refused, exit 3, if someone changed the record since");
  AddEventMetaOptions(cmd, &opt->meta);
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    // Not values of --event (the use case refuses them too, in its own words).
    if (opt->event == "registered" || opt->event == "merged_into") {
      return MakeError(ErrorCode::kInvalidArgument,
                       "use 'person add' or 'person merge' for " + opt->event, "--event");
    }
    app::UpdatePersonRequest req;
    WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
    req.person = registry::PersonId{opt->id};
    req.change = opt->event;
    WB_ASSIGN_OR_RETURN(req.fields, ParseAssignments(opt->set));
    if (opt->expect_version > 0) req.expected_version = opt->expect_version;
    auto stored = app::UpdatePerson(*reg.registry, req);
    if (!stored) return tl::unexpected(WithCommandHint(*reg.registry, req, stored.error()));
    std::cout << "recorded " << stored->type << " for person " << stored->person.value
              << " (event #" << stored->seq << ")\n";
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
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    WB_ASSIGN_OR_RETURN(const app::WriteMeta meta, WriteMetaOf(opt->meta));
    WB_ASSIGN_OR_RETURN(const app::MergedPersons m,
                        app::MergePersons(*reg.registry, {meta, registry::PersonId{opt->keep},
                                                          registry::PersonId{opt->other}}));
    std::cout << "merged person " << opt->other << " into person " << opt->keep << "\n";
    if (!m.conflicts.empty()) {
      std::cout << m.conflicts.size() << " conflicts to resolve (person " << opt->keep
                << "'s value was kept; correct it with: whereabouts person update " << opt->keep
                << " --set FIELD=VALUE --reason WHY):\n";
      for (const std::string& c : m.conflicts) std::cout << "  " << c << "\n";
    }
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
  cmd->add_option("--threshold", opt->threshold, "minimum score (0..1)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--json", opt->json, "print JSON");
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
    WB_ASSIGN_OR_RETURN(const std::vector<app::DuplicatePair> pairs,
                        app::FindDuplicates(*reg.store, {as_of, opt->threshold}));
    if (opt->json) {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& [s, pa, pb] : pairs) {
        a.push_back({{"a", s.a.value}, {"b", s.b.value}, {"score", s.score}, {"why", s.why}});
      }
      std::cout << a.dump(2) << "\n";
      return {};
    }
    for (const auto& [s, pa, pb] : pairs) {
      fmt::print("{:>7} {:<32} ~ {:>7} {:<32} score {:.2f}  ({})\n", s.a.value, pa.FullName(),
                 s.b.value, pb.FullName(), s.score, s.why);
    }
    fmt::print("{} suggested duplicate pairs; merge with 'whereabouts person merge KEEP DUP'\n",
               pairs.size());
    return {};
  });
}

struct RelativeOptions {
  std::string db, name, relationship, sample, consent = "identification";
  std::string sex, father, mother, holder;
  int64_t id = 0, missing_person = 0;
  EventMeta meta;
};

// The pedigree options of relative-add and relative-pedigree.
void AddPedigreeOptions(CLI::App* cmd, RelativeOptions* opt) {
  cmd->add_option("--sex", opt->sex, "male, female or unknown (else: what the relationship says)");
  cmd->add_option("--father", opt->father,
                  "the relative's father in the family: person:ID (the missing person) or "
                  "relative:ID (another relative of the same missing person)");
  cmd->add_option("--mother", opt->mother, "the relative's mother, as --father");
}

void RegisterRelatives(CLI::App* person, int& exit_code) {
  {
    auto opt = std::make_shared<RelativeOptions>();
    CLI::App* cmd = person->add_subcommand(
        "relative-add", "register a relative of a missing person, with a reference sample");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "the missing person's id")->required();
    cmd->add_option("--name", opt->name, "the relative's name")->required();
    cmd->add_option("--relationship", opt->relationship,
                    "to the missing person: father, mother, son, daughter, brother, sister, "
                    "paternal_half_brother, maternal_half_sister, paternal_grandfather, "
                    "maternal_uncle, spouse, other (with --father/--mother), ...")
        ->required();
    cmd->add_option("--sample", opt->sample, "reference sample id");
    cmd->add_option("--holder", opt->holder, "who holds the reference sample");
    cmd->add_option("--missing-person", opt->missing_person,
                    "the relative is itself this missing person of the register (e.g. a second "
                    "missing brother): placed in the family's pedigree as missing");
    AddPedigreeOptions(cmd, opt.get());
    cmd->add_option("--consent", opt->consent,
                    "none, identification (identification only) or identification_and_court")
        ->check(CLI::IsMember({"none", "identification", "identification_and_court"}))
        ->capture_default_str();
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      app::AddRelativeRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.person = registry::PersonId{opt->id};
      req.name = opt->name;
      req.relationship = opt->relationship;
      req.sample = opt->sample;
      req.sex = opt->sex;
      req.father = opt->father;
      req.mother = opt->mother;
      req.holder = opt->holder;
      req.missing_person = opt->missing_person;
      WB_ASSIGN_OR_RETURN(req.consent, app::ParseConsent(opt->consent));
      WB_ASSIGN_OR_RETURN(const app::Recorded r, app::AddRelative(*reg.registry, req));
      std::cout << "registered relative " << r.id << " of person " << opt->id << "\n";
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
      WB_ASSIGN_OR_RETURN(const std::vector<registry::Relative> relatives,
                          app::ListRelatives(*reg.registry, registry::PersonId{opt->id}));
      for (const registry::Relative& r : relatives) {
        std::string place;
        if (!r.sex.empty()) place += " sex " + r.sex;
        if (!r.father.empty()) place += " father " + r.father;
        if (!r.mother.empty()) place += " mother " + r.mother;
        const bool profiled = !r.sample.empty() && r.profiles.count(r.sample) > 0;
        fmt::print("{:>6}  {:<36} {:<13} sample {:<14} consent {}{}{}\n", r.id, r.name,
                   r.relationship, r.sample.empty() ? "-" : r.sample, r.consent,
                   r.sample.empty() ? ""
                   : profiled       ? " (profile recorded)"
                                    : " (no profile)",
                   place);
      }
      fmt::print("{} relatives\n", relatives.size());
      return {};
    });
  }
  {
    auto opt = std::make_shared<RelativeOptions>();
    CLI::App* cmd = person->add_subcommand("relative-pedigree",
                                           "record a relative's place in the family's pedigree");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("relative", opt->id, "the relative's id")->required();
    cmd->add_option("--relationship", opt->relationship, "to the missing person (as relative-add)");
    AddPedigreeOptions(cmd, opt.get());
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      app::RecordPedigreeRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.relative = opt->id;
      req.relationship = opt->relationship;
      req.sex = opt->sex;
      req.father = opt->father;
      req.mother = opt->mother;
      WB_RETURN_IF_ERROR(app::RecordRelativePedigree(*reg.registry, req));
      std::cout << "recorded the pedigree of relative " << opt->id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<RelativeOptions>();
    CLI::App* cmd = person->add_subcommand(
        "relative-consent",
        "change the consent to the use of a relative's reference sample (--reason required)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("relative", opt->id, "the relative's id")->required();
    cmd->add_option("--consent", opt->consent,
                    "none (withdrawn), identification or identification_and_court")
        ->required()
        ->check(CLI::IsMember({"none", "identification", "identification_and_court"}));
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      app::ChangeConsentRequest req;
      WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt->meta));
      req.relative = opt->id;
      WB_ASSIGN_OR_RETURN(req.consent, app::ParseConsent(opt->consent));
      WB_RETURN_IF_ERROR(app::ChangeConsent(*reg.registry, req));
      std::cout << "consent of relative " << opt->id << ": " << opt->consent << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ShowOptions>();
    CLI::App* cmd = person->add_subcommand(
        "family",
        "the pedigree of a missing person's family as an identification run uses it (the rows of "
        "families.csv, docs/FORMATS.md)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "the missing person's id")->required();
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt->as_of));
      WB_ASSIGN_OR_RETURN(
          const app::FamilyPedigree fam,
          app::FamilyPedigreeOf(*reg.registry, *reg.store, registry::PersonId{opt->id}, as_of));
      std::cout << io::FormatFamilies({fam.family});
      for (const auto& [rid, reason] : fam.left_out) {
        fmt::print("relative {} left out: {}\n", rid, reason);
      }
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
  RegisterSearch(person, exit_code);
  RegisterUpdate(person, exit_code);
  RegisterMerge(person, exit_code);
  RegisterDuplicates(person, exit_code);
  RegisterRelatives(person, exit_code);
}

}  // namespace whereabouts::cli
