// `whereabouts import persons|relatives FILE.csv` (bulk, one transaction per batch: a crash loses
// at most the batch being written) and `whereabouts import geojson FILE` (sites and hazard areas).
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/delimited.h"
#include "io/geojson.h"
#include "io/registry_csv.h"

namespace whereabouts::cli {
namespace {

struct ImportOptions {
  std::string db, file;
  size_t batch = 1000;
  EventMeta meta;
};

Status RunCsv(const ImportOptions& opt, bool persons) {
  WB_ASSIGN_OR_RETURN(const io::DelimitedTable table, io::DelimitedTable::Read(opt.file));
  WB_ASSIGN_OR_RETURN(const registry::Date recorded_on, RecordedOn(opt.meta));
  const std::string reason = opt.meta.reason.empty() ? "import of " + opt.file : opt.meta.reason;
  WB_ASSIGN_OR_RETURN(std::vector<registry::Event> all,
                      persons ? io::PersonsFromCsv(table, recorded_on, opt.meta.by, reason)
                              : io::RelativesFromCsv(table, recorded_on, opt.meta.by, reason));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, true));
  if (opt.batch == 0) return MakeError(ErrorCode::kInvalidArgument, "must be positive", "--batch");
  size_t done = 0;
  while (done < all.size()) {
    const size_t n = std::min(opt.batch, all.size() - done);
    std::vector<registry::Event> batch(
        std::make_move_iterator(all.begin() + static_cast<long>(done)),
        std::make_move_iterator(all.begin() + static_cast<long>(done + n)));
    auto stored = reg.registry->RecordBatch(std::move(batch));
    if (!stored) {
      Error e = stored.error();
      e.message += fmt::format(" (rows {}..{} of {}; {} rows before them are committed)", done + 1,
                               done + n, opt.file, done);
      return tl::unexpected(std::move(e));
    }
    done += n;
    // Printed only after the commit: a line here is a promise that the rows are durable.
    std::cout << "committed " << done << "\n" << std::flush;
  }
  std::cout << "imported " << done << (persons ? " persons" : " relatives") << " from " << opt.file
            << "\n";
  return {};
}

Status RunGeoJson(const ImportOptions& opt) {
  WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(opt.file));
  WB_ASSIGN_OR_RETURN(io::GeoFeatures features, io::ParseGeoJson(text, opt.file));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, true));
  // The who/when/why every imported event shares; kind, type and id are set per feature.
  WB_ASSIGN_OR_RETURN(registry::Event base, MakeEvent(opt.meta, {}));
  if (base.reason.empty()) base.reason = "import of " + opt.file;
  WB_ASSIGN_OR_RETURN(int64_t next_hazard, reg.store->NextId(registry::EntityKind::kHazard));
  WB_ASSIGN_OR_RETURN(int64_t next_site, reg.store->NextId(registry::EntityKind::kSite));
  std::vector<registry::Event> events;
  auto add = [&](registry::EntityKind kind, const char* type, int64_t& next_id,
                 std::vector<registry::Fields>& payloads) {
    for (auto& payload : payloads) {
      registry::Event e = base;
      e.kind = kind;
      e.entity_id = next_id++;
      e.type = type;
      e.payload = std::move(payload);
      events.push_back(std::move(e));
    }
  };
  add(registry::EntityKind::kHazard, "hazard.registered", next_hazard, features.hazards);
  add(registry::EntityKind::kSite, "site.registered", next_site, features.sites);
  WB_RETURN_IF_ERROR(reg.registry->RecordBatch(std::move(events)));
  std::cout << "imported " << features.hazards.size() << " hazard areas and "
            << features.sites.size() << " sites from " << opt.file << "\n";
  WB_ASSIGN_OR_RETURN(const auto flags, reg.registry->SiteHazards(std::nullopt, 500));
  for (const auto& f : flags) {
    if (f.inside) {
      fmt::print("flag: site {} lies inside hazard area {} ({})\n", f.site_id, f.hazard_id,
                 Name(f.status));
    } else {
      fmt::print("flag: site {} lies {:.0f} m from hazard area {} ({})\n", f.site_id, f.distance_m,
                 f.hazard_id, Name(f.status));
    }
  }
  return {};
}

struct IdentificationsOptions {
  std::string db, identifications, families, individuals, date;
  EventMeta meta;
};

// Records the "identified" decisions of `whereabouts identify` (identifications.csv) as
// person.identified events, mapping (family, missing) to register ids through the `person` column
// of families.csv, with the bags from individuals.csv as the remains. Persons whose case is not
// open, and rows without a register id, are skipped and counted.
Status RunIdentifications(const IdentificationsOptions& opt) {
  WB_ASSIGN_OR_RETURN(const io::DelimitedTable ids, io::DelimitedTable::Read(opt.identifications));
  WB_ASSIGN_OR_RETURN(const io::DelimitedTable fam, io::DelimitedTable::Read(opt.families));
  std::map<std::pair<std::string, std::string>, std::string> person_of;
  {
    WB_ASSIGN_OR_RETURN(const int f, fam.RequireColumn("family"));
    WB_ASSIGN_OR_RETURN(const int i, fam.RequireColumn("id"));
    WB_ASSIGN_OR_RETURN(const int p, fam.RequireColumn("person"));
    for (const auto& row : fam.rows()) {
      const std::string& person = fam.Cell(row, p);
      if (!person.empty()) person_of[{fam.Cell(row, f), fam.Cell(row, i)}] = person;
    }
  }
  std::map<std::string, std::string> bags_of;  // individual -> "bag|bag"
  if (!opt.individuals.empty()) {
    WB_ASSIGN_OR_RETURN(const io::DelimitedTable ind, io::DelimitedTable::Read(opt.individuals));
    WB_ASSIGN_OR_RETURN(const int i, ind.RequireColumn("individual"));
    WB_ASSIGN_OR_RETURN(const int b, ind.RequireColumn("bag"));
    for (const auto& row : ind.rows()) {
      std::string& bags = bags_of[ind.Cell(row, i)];
      const std::string& bag = ind.Cell(row, b);
      if (("|" + bags + "|").find("|" + bag + "|") == std::string::npos) {
        bags += (bags.empty() ? "" : "|") + bag;
      }
    }
  }
  WB_ASSIGN_OR_RETURN(const int c_ind, ids.RequireColumn("individual"));
  WB_ASSIGN_OR_RETURN(const int c_fam, ids.RequireColumn("family"));
  WB_ASSIGN_OR_RETURN(const int c_mis, ids.RequireColumn("missing"));
  WB_ASSIGN_OR_RETURN(const int c_dec, ids.RequireColumn("decision"));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  // Every identification shares the who/when/why; the person (id) is set per row.
  WB_ASSIGN_OR_RETURN(registry::Event base,
                      MakeEvent(opt.meta, {registry::EntityKind::kPerson, "person.identified"}));
  if (base.reason.empty()) base.reason = "DNA identification (" + opt.identifications + ")";
  std::vector<registry::Event> events;
  int not_identified = 0, unlinked = 0, not_open = 0;
  std::set<int64_t> seen;
  for (const auto& row : ids.rows()) {
    if (ids.Cell(row, c_dec) != "identified") {
      ++not_identified;
      continue;
    }
    auto it = person_of.find({ids.Cell(row, c_fam), ids.Cell(row, c_mis)});
    if (it == person_of.end()) {
      ++unlinked;
      continue;
    }
    const int64_t pid = std::stoll(it->second);
    WB_ASSIGN_OR_RETURN(const std::optional<registry::Person> p,
                        reg.store->FindPerson(registry::PersonId{pid}, std::nullopt));
    if (!p || p->status != registry::CaseStatus::kOpen || !seen.insert(pid).second) {
      ++not_open;
      continue;
    }
    registry::Event e = base;
    e.entity_id = pid;
    e.payload["date"] = opt.date.empty() ? e.recorded_on.ToString() : opt.date;
    e.payload["remains"] = bags_of[ids.Cell(row, c_ind)];
    e.recorded_on = std::max(e.recorded_on, p->last_event_on);
    events.push_back(std::move(e));
  }
  const size_t n = events.size();
  if (!events.empty()) WB_RETURN_IF_ERROR(reg.registry->RecordBatch(std::move(events)));
  fmt::print(
      "recorded {} identifications; skipped {} not identified, {} without a register id, "
      "{} whose case is not open\n",
      n, not_identified, unlinked, not_open);
  return {};
}

}  // namespace

void RegisterImport(CLI::App& root, int& exit_code) {
  CLI::App* imp = root.add_subcommand("import", "bulk import: persons, relatives (CSV), GeoJSON");
  imp->require_subcommand(1);
  for (const char* what : {"persons", "relatives"}) {
    auto opt = std::make_shared<ImportOptions>();
    const bool persons = std::string(what) == "persons";
    CLI::App* cmd = imp->add_subcommand(
        what, persons
                  ? "missing persons from CSV (columns: the person fields; see docs/registry.md)"
                  : "relatives from CSV (person, name, relationship, sample, consent)");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("file", opt->file, "CSV or TSV file")->required();
    cmd->add_option("--batch", opt->batch, "rows per transaction")->capture_default_str();
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt, persons] { return RunCsv(*opt, persons); });
  }
  {
    auto opt = std::make_shared<IdentificationsOptions>();
    CLI::App* cmd = imp->add_subcommand("identifications",
                                        "the 'identified' decisions of 'whereabouts identify'");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("identifications", opt->identifications, "identifications.csv")->required();
    cmd->add_option("--families", opt->families, "families.csv with the person column")->required();
    cmd->add_option("--individuals", opt->individuals, "individuals.csv (bags of each individual)");
    cmd->add_option("--date", opt->date, "date of the identification (default: recording date)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt] { return RunIdentifications(*opt); });
  }
  auto opt = std::make_shared<ImportOptions>();
  CLI::App* cmd = imp->add_subcommand("geojson", "sites (Points) and hazard areas (Polygons)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("file", opt->file, "GeoJSON FeatureCollection")->required();
  AddEventMetaOptions(cmd, &opt->meta);
  SetCallback(cmd, exit_code, [opt] { return RunGeoJson(*opt); });
}

}  // namespace whereabouts::cli
