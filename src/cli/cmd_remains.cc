// `whereabouts remains add|list|show|sample|profile import` and `whereabouts custody
// transfer|history`: remains (bags, bodies, body parts) and their chain of custody. A transfer from
// someone who does not hold the item is refused.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/allele_table.h"
#include "io/delimited.h"
#include "io/frequency_tsv.h"
#include "kinship/frequencies.h"

namespace whereabouts::cli {
namespace {

using registry::Event;

struct AddOptions {
  std::string db, label, kind = "bag", recovered, holder;
  int64_t site = 0;
  bool commingled = false;
  EventMeta meta;
};

struct ListOptions {
  std::string db, as_of;
  int64_t id = 0;
};

struct TransferOptions {
  std::string db, from, to, date, sample;
  int64_t id = 0;
  EventMeta meta;
};

struct ProfileImportOptions {
  std::string db, file, frequencies;
  EventMeta meta;
};

// "MARKER=a/b;...;AMEL=X,Y": the stored text of a profile (markers in the profile's order).
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

// Reads an allele table of register samples and records each profile as a
// remains.profile_recorded event on the remains the sample was taken from, all in one
// transaction. Refused, with nothing written, on the first problem: a malformed allele (the
// reader's error, naming file:line: column, sample and marker), a marker absent from the frequency
// database, or a sample no remains of the register has (each naming file:line, sample, marker).
Status RunProfileImport(const ProfileImportOptions& opt) {
  WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(opt.file));
  WB_ASSIGN_OR_RETURN(const std::vector<kinship::Profile> profiles,
                      io::ParseAlleleTable(text, opt.file));
  const std::string freq_path =
      opt.frequencies.empty()
          ? (std::filesystem::path(DataDir()) / "NorwegianFrequencies.tsv").string()
          : opt.frequencies;
  auto db = io::ReadFrequencyFile(freq_path);
  if (!db) return tl::unexpected(WithContext(db.error(), "frequency database " + freq_path));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, reg.registry->LoadSnapshot(std::nullopt));
  std::map<std::string, int64_t> remains_of;  // sample -> remains id
  for (const auto& [id, r] : snap.remains) {
    for (const auto& sample : r.samples) remains_of[sample] = id;
  }
  // Row by row, for the line numbers: every sample must be a register sample and every marker in
  // the frequency database.
  WB_ASSIGN_OR_RETURN(const io::DelimitedTable table, io::DelimitedTable::Parse(text, opt.file));
  WB_ASSIGN_OR_RETURN(const int c_sample, table.RequireColumn("Sample Name"));
  WB_ASSIGN_OR_RETURN(const int c_marker, table.RequireColumn("Marker"));
  for (const auto& row : table.rows()) {
    const std::string& sample = table.Cell(row, c_sample);
    const std::string marker = kinship::CanonicalMarkerName(table.Cell(row, c_marker));
    if (!remains_of.count(sample)) {
      return MakeError(ErrorCode::kNotFound,
                       "sample " + sample + ", marker " + marker +
                           ": no remains of the register have this sample (record it first: "
                           "whereabouts remains sample ID --sample " +
                           sample +
                           "); nothing was "
                           "imported",
                       table.Where(row, c_sample));
    }
    if (!io::IsAmelogenin(marker) && db->Find(marker) == nullptr) {
      return MakeError(ErrorCode::kNotFound,
                       "sample " + sample + ", marker " + marker +
                           ": marker not in the frequency database " + freq_path +
                           "; nothing was imported",
                       table.Where(row, c_marker));
    }
  }
  WB_ASSIGN_OR_RETURN(registry::Event base, MakeEvent(opt.meta, {registry::EntityKind::kRemains,
                                                                 "remains.profile_recorded"}));
  if (base.reason.empty()) base.reason = "allele table " + opt.file;
  std::vector<registry::Event> events;
  size_t unchanged = 0, untyped = 0;
  for (const kinship::Profile& p : profiles) {
    const std::string profile = ProfileText(p);
    if (profile.empty()) {  // every marker untyped: nothing to record
      ++untyped;
      continue;
    }
    // The same profile already recorded for the sample (a re-run import): nothing new.
    const registry::Remains& r = snap.remains.at(remains_of.at(p.sample));
    if (auto it = r.profiles.find(p.sample); it != r.profiles.end() && it->second.profile == profile) {
      ++unchanged;
      continue;
    }
    registry::Event e = base;
    e.entity_id = remains_of.at(p.sample);
    e.payload["sample"] = p.sample;
    e.payload["profile"] = profile;
    e.payload["source"] = std::filesystem::path(opt.file).filename().string();
    e.payload["markers"] = std::to_string(p.markers.size());
    events.push_back(std::move(e));
  }
  const size_t n = events.size();
  if (!events.empty()) {
    WB_RETURN_IF_ERROR(reg.registry->RecordBatch(std::move(events), WriteOptionsOf(opt.meta)));
  }
  fmt::print(
      "recorded {} profiles of register samples from {} ({} samples without a typed "
      "marker skipped, {} already recorded with the same profile)\n",
      n, opt.file, untyped, unchanged);
  return {};
}

Status RunShow(const ListOptions& opt) {
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, LoadSnapshot(opt.db, opt.as_of));
  auto it = snap.remains.find(opt.id);
  if (it == snap.remains.end()) {
    return MakeError(ErrorCode::kNotFound, "no remains " + std::to_string(opt.id));
  }
  const registry::Remains& r = it->second;
  fmt::print("remains {} ({}), {}{}\n", r.id, r.label, r.remains_kind,
             r.commingled ? ", commingled" : "");
  fmt::print("site: {}\n", r.site_id ? std::to_string(r.site_id) : "-");
  fmt::print("recovered: {}\n", r.recovered_on ? r.recovered_on->ToString() : "-");
  fmt::print("held by: {} ({} transfers)\n", r.holder, r.transfers);
  fmt::print("samples: {}\n", r.samples.size());
  for (const auto& sample : r.samples) {
    auto p = r.profiles.find(sample);
    if (p == r.profiles.end()) {
      fmt::print("  {}: no profile\n", sample);
    } else {
      fmt::print("  {}: profile recorded {} from {} ({} version{}): {}\n", sample,
                 p->second.recorded_on.ToString(), p->second.source, p->second.versions,
                 p->second.versions == 1 ? "" : "s", p->second.profile);
    }
  }
  return {};
}

}  // namespace

void RegisterRemains(CLI::App& root, int& exit_code) {
  CLI::App* remains = root.add_subcommand("remains", "remains: bags, bodies, body parts");
  remains->require_subcommand(1);
  {
    auto opt = std::make_shared<AddOptions>();
    CLI::App* cmd = remains->add_subcommand("add", "record recovered remains");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--label", opt->label, "the label on the bag or body")->required();
    cmd->add_option("--kind", opt->kind, "bag, body or body_part")->capture_default_str();
    cmd->add_option("--site", opt->site, "site id where they were recovered");
    cmd->add_option("--recovered", opt->recovered, "recovery date YYYY-MM-DD");
    cmd->add_option("--holder", opt->holder, "who holds them now")->required();
    cmd->add_flag("--commingled", opt->commingled, "the bag holds remains of several persons");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      auto fill = [&](Event& e) -> Status {
        e.payload["label"] = opt->label;
        e.payload["remains_kind"] = opt->kind;
        if (opt->site) e.payload["site"] = std::to_string(opt->site);
        if (!opt->recovered.empty()) e.payload["recovered_on"] = opt->recovered;
        e.payload["holder"] = opt->holder;
        e.payload["commingled"] = opt->commingled ? "1" : "0";
        return {};
      };
      WB_ASSIGN_OR_RETURN(const Event stored,
                          RecordEvent(opt->db, /*create=*/true, opt->meta,
                                      {registry::EntityKind::kRemains, "remains.recovered"}, fill));
      std::cout << "recorded remains " << stored.entity_id << " (" << opt->label << "), held by "
                << opt->holder << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = remains->add_subcommand("list", "remains and who holds them");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, LoadSnapshot(opt->db, opt->as_of));
      fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", "id", "label", "kind", "site",
                 "recovered", "commingled", "holder");
      for (const auto& [id, r] : snap.remains) {
        fmt::print("{:>5}  {:<10} {:<9} {:>4} {:<10} {:<10} {}\n", id, r.label, r.remains_kind,
                   r.site_id ? std::to_string(r.site_id) : "-",
                   r.recovered_on ? r.recovered_on->ToString() : "", r.commingled ? "yes" : "no",
                   r.holder);
      }
      fmt::print("{} remains\n", snap.remains.size());
      return {};
    });
  }
  {
    auto opt = std::make_shared<TransferOptions>();
    CLI::App* cmd = remains->add_subcommand("sample", "record a sample taken from remains");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--sample", opt->sample, "sample id")->required();
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_RETURN_IF_ERROR(RecordEvent(opt->db, /*create=*/false, opt->meta,
                                     {registry::EntityKind::kRemains, "remains.sampled", opt->id},
                                     [&](Event& e) -> Status {
                                       e.payload["sample"] = opt->sample;
                                       return {};
                                     }));
      std::cout << "recorded sample " << opt->sample << " of remains " << opt->id << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd =
        remains->add_subcommand("show", "one item: site, holder, samples and their profiles");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--as-of", opt->as_of, "as the register had it on this date");
    SetCallback(cmd, exit_code, [opt] { return RunShow(*opt); });
  }
  {
    CLI::App* profile = remains->add_subcommand("profile", "DNA profiles of register samples");
    profile->require_subcommand(1);
    auto opt = std::make_shared<ProfileImportOptions>();
    CLI::App* cmd = profile->add_subcommand(
        "import",
        "record the profiles of an allele table (docs/FORMATS.md) for register samples, each as "
        "an event on its remains; all or nothing");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("file", opt->file, "allele table (Sample Name, Marker, Allele 1, ...)")
        ->required();
    cmd->add_option("--frequencies", opt->frequencies,
                    "frequency database whose markers are allowed (default: "
                    "NorwegianFrequencies.tsv of the data folder)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt] { return RunProfileImport(*opt); });
  }
}

void RegisterCustody(CLI::App& root, int& exit_code) {
  CLI::App* custody = root.add_subcommand("custody", "chain of custody of remains");
  custody->require_subcommand(1);
  {
    auto opt = std::make_shared<TransferOptions>();
    CLI::App* cmd =
        custody->add_subcommand("transfer", "hand remains over (refused unless --from holds them)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    cmd->add_option("--from", opt->from, "who hands them over (must hold them)")->required();
    cmd->add_option("--to", opt->to, "who receives them")->required();
    cmd->add_option("--date", opt->date, "date of the handover (default: the recording date)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_RETURN_IF_ERROR(RecordEvent(
          opt->db, /*create=*/false, opt->meta,
          {registry::EntityKind::kRemains, "remains.transferred", opt->id},
          [&](Event& e) -> Status {
            e.payload["from"] = opt->from;
            e.payload["to"] = opt->to;
            e.payload["date"] = opt->date.empty() ? e.recorded_on.ToString() : opt->date;
            return {};
          }));
      std::cout << "remains " << opt->id << " handed from " << opt->from << " to " << opt->to
                << "\n";
      return {};
    });
  }
  {
    auto opt = std::make_shared<ListOptions>();
    CLI::App* cmd = custody->add_subcommand("history", "the chain of custody of one item");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("id", opt->id, "remains id")->required();
    SetCallback(cmd, exit_code, [opt]() -> Status {
      WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
      registry::EventQuery q;
      q.kind = registry::EntityKind::kRemains;
      q.entity_id = opt->id;
      WB_ASSIGN_OR_RETURN(const std::vector<Event> events, reg.store->Events(q));
      if (events.empty()) {
        return MakeError(ErrorCode::kNotFound, "no remains " + std::to_string(opt->id));
      }
      for (const auto& e : events) {
        if (e.type == "remains.recovered") {
          fmt::print("{}  recovered ({}), held by {}\n", e.recorded_on.ToString(), e.Get("label"),
                     e.Get("holder"));
        } else if (e.type == "remains.transferred") {
          fmt::print("{}  {} -> {} (recorded by {})\n", e.Get("date"), e.Get("from"), e.Get("to"),
                     e.actor);
        } else if (e.type == "remains.sampled") {
          fmt::print("{}  sample {} taken\n", e.recorded_on.ToString(), e.Get("sample"));
        }
      }
      return {};
    });
  }
}

}  // namespace whereabouts::cli
