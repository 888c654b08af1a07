// `whereabouts import persons|relatives FILE.csv` (bulk, one transaction per batch: a crash loses
// at most the batch being written) and `whereabouts import geojson FILE` (sites and hazard areas).
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

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

int RunCsv(const ImportOptions& opt, bool persons) {
  auto table = io::DelimitedTable::Read(opt.file);
  if (!table) return Fail(table.error());
  registry::Event meta_event;
  if (auto s = ApplyMeta(opt.meta, meta_event); !s) return Fail(s.error());
  const std::string reason = opt.meta.reason.empty() ? "import of " + opt.file : opt.meta.reason;
  auto events = persons ? io::PersonsFromCsv(*table, meta_event.recorded_on, opt.meta.by, reason)
                        : io::RelativesFromCsv(*table, meta_event.recorded_on, opt.meta.by, reason);
  if (!events) return Fail(events.error());
  auto reg = OpenRegistry(opt.db, true);
  if (!reg) return Fail(reg.error());
  if (opt.batch == 0)
    return Fail(Error{ErrorCode::kInvalidArgument, "must be positive", "--batch"});
  size_t done = 0;
  std::vector<registry::Event>& all = *events;
  while (done < all.size()) {
    const size_t n = std::min(opt.batch, all.size() - done);
    std::vector<registry::Event> batch(
        std::make_move_iterator(all.begin() + static_cast<long>(done)),
        std::make_move_iterator(all.begin() + static_cast<long>(done + n)));
    auto stored = reg->registry->RecordBatch(std::move(batch));
    if (!stored) {
      Error e = stored.error();
      e.message += fmt::format(" (rows {}..{} of {}; {} rows before them are committed)", done + 1,
                               done + n, opt.file, done);
      return Fail(e);
    }
    done += n;
    // Printed only after the commit: a line here is a promise that the rows are durable.
    std::cout << "committed " << done << "\n" << std::flush;
  }
  std::cout << "imported " << done << (persons ? " persons" : " relatives") << " from " << opt.file
            << "\n";
  return kExitOk;
}

int RunGeoJson(const ImportOptions& opt) {
  std::ifstream in(opt.file, std::ios::binary);
  if (!in) return Fail(Error{ErrorCode::kNotFound, "cannot read the file", opt.file});
  std::ostringstream ss;
  ss << in.rdbuf();
  auto features = io::ParseGeoJson(ss.str(), opt.file);
  if (!features) return Fail(features.error());
  auto reg = OpenRegistry(opt.db, true);
  if (!reg) return Fail(reg.error());
  std::vector<registry::Event> events;
  registry::Event base;
  base.reason = opt.meta.reason.empty() ? "import of " + opt.file : opt.meta.reason;
  if (auto s = ApplyMeta(opt.meta, base); !s) return Fail(s.error());
  if (base.reason.empty()) base.reason = "import of " + opt.file;
  auto next_hazard = reg->store->NextId(registry::EntityKind::kHazard);
  auto next_site = reg->store->NextId(registry::EntityKind::kSite);
  if (!next_hazard) return Fail(next_hazard.error());
  if (!next_site) return Fail(next_site.error());
  for (auto& h : features->hazards) {
    registry::Event e = base;
    e.kind = registry::EntityKind::kHazard;
    e.entity_id = (*next_hazard)++;
    e.type = "hazard.registered";
    e.payload = std::move(h);
    events.push_back(std::move(e));
  }
  for (auto& s : features->sites) {
    registry::Event e = base;
    e.kind = registry::EntityKind::kSite;
    e.entity_id = (*next_site)++;
    e.type = "site.registered";
    e.payload = std::move(s);
    events.push_back(std::move(e));
  }
  auto stored = reg->registry->RecordBatch(std::move(events));
  if (!stored) return Fail(stored.error());
  std::cout << "imported " << features->hazards.size() << " hazard areas and "
            << features->sites.size() << " sites from " << opt.file << "\n";
  auto flags = reg->registry->SiteHazards(std::nullopt, 500);
  if (!flags) return Fail(flags.error());
  for (const auto& f : *flags) {
    if (f.inside) {
      fmt::print("flag: site {} lies inside hazard area {} ({})\n", f.site_id, f.hazard_id,
                 Name(f.status));
    } else {
      fmt::print("flag: site {} lies {:.0f} m from hazard area {} ({})\n", f.site_id, f.distance_m,
                 f.hazard_id, Name(f.status));
    }
  }
  return kExitOk;
}

struct IdentificationsOptions {
  std::string db, identifications, families, individuals, date;
  EventMeta meta;
};

// Records the "identified" decisions of `whereabouts identify` (identifications.csv) as
// person.identified events, mapping (family, missing) to register ids through the `person` column
// of families.csv, with the bags from individuals.csv as the remains. Persons whose case is not
// open, and rows without a register id, are skipped and counted.
int RunIdentifications(const IdentificationsOptions& opt) {
  auto ids = io::DelimitedTable::Read(opt.identifications);
  if (!ids) return Fail(ids.error());
  auto fam = io::DelimitedTable::Read(opt.families);
  if (!fam) return Fail(fam.error());
  std::map<std::pair<std::string, std::string>, std::string> person_of;
  {
    auto f = fam->RequireColumn("family");
    auto i = fam->RequireColumn("id");
    auto p = fam->RequireColumn("person");
    if (!f || !i || !p) return Fail(!f ? f.error() : !i ? i.error() : p.error());
    for (const auto& row : fam->rows()) {
      const std::string& person = fam->Cell(row, *p);
      if (!person.empty()) person_of[{fam->Cell(row, *f), fam->Cell(row, *i)}] = person;
    }
  }
  std::map<std::string, std::string> bags_of;  // individual -> "bag|bag"
  if (!opt.individuals.empty()) {
    auto ind = io::DelimitedTable::Read(opt.individuals);
    if (!ind) return Fail(ind.error());
    auto i = ind->RequireColumn("individual");
    auto b = ind->RequireColumn("bag");
    if (!i || !b) return Fail(!i ? i.error() : b.error());
    for (const auto& row : ind->rows()) {
      std::string& bags = bags_of[ind->Cell(row, *i)];
      const std::string& bag = ind->Cell(row, *b);
      if (("|" + bags + "|").find("|" + bag + "|") == std::string::npos) {
        bags += (bags.empty() ? "" : "|") + bag;
      }
    }
  }
  auto c_ind = ids->RequireColumn("individual");
  auto c_fam = ids->RequireColumn("family");
  auto c_mis = ids->RequireColumn("missing");
  auto c_dec = ids->RequireColumn("decision");
  for (const auto* c : {&c_ind, &c_fam, &c_mis, &c_dec}) {
    if (!*c) return Fail(c->error());
  }
  auto reg = OpenRegistry(opt.db, false);
  if (!reg) return Fail(reg.error());
  registry::Event base;
  if (auto s = ApplyMeta(opt.meta, base); !s) return Fail(s.error());
  std::vector<registry::Event> events;
  int not_identified = 0, unlinked = 0, not_open = 0;
  std::set<int64_t> seen;
  for (const auto& row : ids->rows()) {
    if (ids->Cell(row, *c_dec) != "identified") {
      ++not_identified;
      continue;
    }
    auto it = person_of.find({ids->Cell(row, *c_fam), ids->Cell(row, *c_mis)});
    if (it == person_of.end()) {
      ++unlinked;
      continue;
    }
    const int64_t pid = std::stoll(it->second);
    auto p = reg->store->FindPerson(registry::PersonId{pid}, std::nullopt);
    if (!p) return Fail(p.error());
    if (!*p || (*p)->status != registry::CaseStatus::kOpen || !seen.insert(pid).second) {
      ++not_open;
      continue;
    }
    registry::Event e = base;
    e.kind = registry::EntityKind::kPerson;
    e.entity_id = pid;
    e.type = "person.identified";
    if (e.reason.empty()) e.reason = "DNA identification (" + opt.identifications + ")";
    e.payload["date"] = opt.date.empty() ? e.recorded_on.ToString() : opt.date;
    e.payload["remains"] = bags_of[ids->Cell(row, *c_ind)];
    e.recorded_on = std::max(e.recorded_on, (*p)->last_event_on);
    events.push_back(std::move(e));
  }
  const size_t n = events.size();
  if (!events.empty()) {
    auto stored = reg->registry->RecordBatch(std::move(events));
    if (!stored) return Fail(stored.error());
  }
  fmt::print(
      "recorded {} identifications; skipped {} not identified, {} without a register id, "
      "{} whose case is not open\n",
      n, not_identified, unlinked, not_open);
  return kExitOk;
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
    cmd->callback([opt, persons, &exit_code] { exit_code = RunCsv(*opt, persons); });
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
    cmd->callback([opt, &exit_code] { exit_code = RunIdentifications(*opt); });
  }
  auto opt = std::make_shared<ImportOptions>();
  CLI::App* cmd = imp->add_subcommand("geojson", "sites (Points) and hazard areas (Polygons)");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("file", opt->file, "GeoJSON FeatureCollection")->required();
  AddEventMetaOptions(cmd, &opt->meta);
  cmd->callback([opt, &exit_code] { exit_code = RunGeoJson(*opt); });
}

}  // namespace whereabouts::cli
