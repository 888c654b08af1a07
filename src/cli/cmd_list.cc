// `whereabouts list export|diff|versions`: the versioned list of persons sought, exchanged with
// the other party through the ICRC.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/list_csv.h"
#include "registry/list.h"
#include "registry/sha256.h"

namespace whereabouts::cli {
namespace {

using registry::ListEntry;

nlohmann::json EntryJson(const ListEntry& e) {
  nlohmann::json j;
  j["id"] = e.id;
  const auto fields = registry::ListEntryFields(e);
  for (size_t k = 0; k < fields.size(); ++k) j[registry::ListColumns()[k + 1]] = *fields[k];
  return j;
}

// Reads an exported list (.json or .csv). A JSON file's entries must match its sha256.
Result<std::vector<ListEntry>> LoadList(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (path.size() >= 5 && path.substr(path.size() - 5) == ".json") {
    std::vector<ListEntry> out;
    std::string sha;
    try {
      auto j = nlohmann::json::parse(text);
      sha = j.at("sha256").get<std::string>();
      for (const auto& e : j.at("entries")) {
        ListEntry le;
        le.id = e.at("id").get<int64_t>();
        const auto fields = registry::ListEntryFields(le);
        for (size_t k = 0; k < fields.size(); ++k) {
          *fields[k] = e.at(registry::ListColumns()[k + 1]).get<std::string>();
        }
        out.push_back(std::move(le));
      }
    } catch (const std::exception& e) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("not an exported list: ") + e.what(), path);
    }
    if (registry::Sha256Hex(io::ListToCsv(out)) != sha) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "the entries do not match the file's sha256 (altered or damaged)", path);
    }
    return out;
  }
  auto list = io::ListFromCsv(text);
  if (!list) return tl::unexpected(WithContext(list.error(), path));
  return list;
}

struct ExportOptions {
  std::string db;
  std::string as_of;
  std::string out = ".";
  EventMeta meta;
};

Status RunExport(const ExportOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const registry::AsOf as_of, ParseAsOf(opt.as_of));
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Person> persons, reg.store->Persons(as_of));
  const auto entries = registry::PersonsSought(persons);
  const std::string csv = io::ListToCsv(entries);
  const std::string sha = registry::Sha256Hex(csv);
  WB_ASSIGN_OR_RETURN(const int64_t version, reg.store->NextId(registry::EntityKind::kList));
  WB_ASSIGN_OR_RETURN(registry::Event e,
                      MakeEvent(opt.meta, {registry::EntityKind::kList, "list.exported", version}));
  if (e.reason.empty()) e.reason = "list of persons sought exported";
  e.payload["sha256"] = sha;
  e.payload["count"] = std::to_string(entries.size());
  e.payload["as_of"] = opt.as_of;
  std::error_code ec;
  std::filesystem::create_directories(opt.out, ec);
  const std::string base =
      (std::filesystem::path(opt.out) / ("persons-sought-v" + std::to_string(version))).string();
  nlohmann::json j;
  j["list"] = "persons sought";
  j["version"] = version;
  j["as_of"] = opt.as_of.empty() ? e.recorded_on.ToString() : opt.as_of;
  j["exported_on"] = e.recorded_on.ToString();
  j["count"] = entries.size();
  j["sha256"] = sha;
  j["sha256_of"] = "the CSV export's bytes (header and entries)";
  j["entries"] = nlohmann::json::array();
  for (const auto& le : entries) j["entries"].push_back(EntryJson(le));
  {
    std::ofstream c(base + ".csv", std::ios::binary);
    std::ofstream js(base + ".json", std::ios::binary);
    c << csv;
    js << j.dump(2) << "\n";
    if (!c || !js) {
      return MakeError(ErrorCode::kIo, "cannot write the export", base + ".csv/.json");
    }
  }
  WB_RETURN_IF_ERROR(reg.registry->Record(std::move(e)));
  fmt::print("list version {}: {} persons sought, sha256 {}\nwrote {}.csv and {}.json\n", version,
             entries.size(), sha, base, base);
  return {};
}

struct DiffOptions {
  std::string a, b;
  std::string format = "table";
};

Status RunDiff(const DiffOptions& opt) {
  WB_ASSIGN_OR_RETURN(const std::vector<ListEntry> a, LoadList(opt.a));
  WB_ASSIGN_OR_RETURN(const std::vector<ListEntry> b, LoadList(opt.b));
  const auto d = registry::DiffLists(a, b);
  if (opt.format == "json") {
    nlohmann::json j;
    j["added"] = nlohmann::json::array();
    j["removed"] = nlohmann::json::array();
    j["changed"] = nlohmann::json::array();
    for (const auto& e : d.added) j["added"].push_back(EntryJson(e));
    for (const auto& e : d.removed) j["removed"].push_back(EntryJson(e));
    for (const auto& c : d.changed) {
      j["changed"].push_back({{"id", c.id},
                              {"fields", c.fields},
                              {"before", EntryJson(c.before)},
                              {"after", EntryJson(c.after)}});
    }
    std::cout << j.dump(2) << "\n";
    return {};
  }
  for (const auto& e : d.added) fmt::print("+ {:>7}  {} {}\n", e.id, e.family_name, e.given_name);
  for (const auto& e : d.removed) fmt::print("- {:>7}  {} {}\n", e.id, e.family_name, e.given_name);
  for (const auto& c : d.changed) {
    std::string what;
    const auto before = EntryJson(c.before);
    const auto after = EntryJson(c.after);
    for (const auto& f : c.fields) {
      what += (what.empty() ? "" : "; ") + f + ": '" + before[f].get<std::string>() + "' -> '" +
              after[f].get<std::string>() + "'";
    }
    fmt::print("~ {:>7}  {} {}: {}\n", c.id, c.after.family_name, c.after.given_name, what);
  }
  fmt::print("{} added, {} removed, {} changed ({} -> {} entries)\n", d.added.size(),
             d.removed.size(), d.changed.size(), a.size(), b.size());
  return {};
}

struct VersionsOptions {
  std::string db;
};

Status RunVersions(const VersionsOptions& opt) {
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  registry::EventQuery q;
  q.kind = registry::EntityKind::kList;
  WB_ASSIGN_OR_RETURN(const std::vector<registry::Event> events, reg.store->Events(q));
  for (const auto& e : events) {
    fmt::print("v{:<4} {} by {}: {} persons, sha256 {}{}\n", e.entity_id, e.recorded_on.ToString(),
               e.actor, e.Get("count"), e.Get("sha256"),
               e.Get("as_of").empty() ? "" : " (as of " + std::string(e.Get("as_of")) + ")");
  }
  return {};
}

}  // namespace

void RegisterList(CLI::App& root, int& exit_code) {
  CLI::App* list = root.add_subcommand("list", "the versioned list of persons sought");
  list->require_subcommand(1);
  {
    auto opt = std::make_shared<ExportOptions>();
    CLI::App* cmd = list->add_subcommand(
        "export", "write the next version of the list (CSV and JSON, with its SHA-256)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "the list as the register had it on this date");
    cmd->add_option("--out", opt->out, "folder for persons-sought-vN.csv/.json")
        ->capture_default_str();
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt] { return RunExport(*opt); });
  }
  {
    auto opt = std::make_shared<DiffOptions>();
    CLI::App* cmd = list->add_subcommand("diff", "added, removed and changed entries from A to B");
    cmd->add_option("a", opt->a, "older export (.json or .csv)")->required();
    cmd->add_option("b", opt->b, "newer export (.json or .csv)")->required();
    cmd->add_option("--format", opt->format, "table or json")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    SetCallback(cmd, exit_code, [opt] { return RunDiff(*opt); });
  }
  {
    auto opt = std::make_shared<VersionsOptions>();
    CLI::App* cmd = list->add_subcommand("versions", "the versions exported so far");
    AddDbOption(cmd, &opt->db);
    SetCallback(cmd, exit_code, [opt] { return RunVersions(*opt); });
  }
}

}  // namespace whereabouts::cli
