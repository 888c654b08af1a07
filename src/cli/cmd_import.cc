// `whereabouts import persons|relatives FILE.csv` (bulk, one transaction per batch: a crash loses
// at most the batch being written) and `whereabouts import geojson FILE` (sites and hazard areas).
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/delimited.h"
#include "io/geojson.h"
#include "io/registry_csv.h"
#include "io/remains_csv.h"
#include "registry/sha256.h"

namespace whereabouts::cli {
namespace {

struct ImportOptions {
  std::string db, file;
  size_t batch = 1000;
  bool legacy_history = false;
  EventMeta meta;
};

// Each batch of an import is written with an idempotency key made of the file's checksum and its
// rows, so that running the same import again (after a crash, a kill, a lost connection) skips the
// batches already committed instead of importing them twice.
std::string BatchKey(const std::string& file_sha, size_t batch, size_t first_row, size_t last_row) {
  return fmt::format("import:{}:batch{}:rows{}-{}", file_sha, batch, first_row, last_row);
}

Status RunCsv(const ImportOptions& opt, bool persons) {
  if (opt.batch == 0) return MakeError(ErrorCode::kInvalidArgument, "must be positive", "--batch");
  WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(opt.file));
  const std::string file_sha = registry::Sha256Hex(text);
  WB_ASSIGN_OR_RETURN(const io::DelimitedTable table, io::DelimitedTable::Parse(text, opt.file));
  const bool dated = table.Column("recorded_on") >= 0;
  if (dated && !opt.legacy_history) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a recorded_on column gives each row its own recorded date: that is the "
                     "import of a dated history, which must be asked for with --legacy-history",
                     opt.file + ": recorded_on");
  }
  WB_ASSIGN_OR_RETURN(const registry::Date recorded_on, RecordedOn(opt.meta));
  const std::string reason = opt.meta.reason.empty() ? "import of " + opt.file : opt.meta.reason;
  WB_ASSIGN_OR_RETURN(std::vector<registry::Event> all,
                      persons ? io::PersonsFromCsv(table, recorded_on, opt.meta.by, reason)
                              : io::RelativesFromCsv(table, recorded_on, opt.meta.by, reason));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg,
                      OpenRegistry(opt.db, true,
                                   opt.legacy_history ? RecordedDates::kLegacyHistory
                                                      : RecordedDates::kClock));
  size_t done = 0, skipped = 0;
  while (done < all.size()) {
    const size_t n = std::min(opt.batch, all.size() - done);
    registry::WriteOptions wo;
    wo.idempotency_key = BatchKey(file_sha, opt.batch, done + 1, done + n);
    WB_ASSIGN_OR_RETURN(const auto earlier, reg.store->FindIdempotencyKey(wo.idempotency_key));
    if (earlier) {
      // Committed by an earlier run of this same import: nothing to write.
      fmt::print("skipped rows {}..{}: committed by an earlier run of this import (events #{}..#{})\n",
                 done + 1, done + n, earlier->first_seq, earlier->last_seq);
      done += n;
      skipped += n;
      continue;
    }
    std::vector<registry::Event> batch(
        std::make_move_iterator(all.begin() + static_cast<long>(done)),
        std::make_move_iterator(all.begin() + static_cast<long>(done + n)));
    auto stored = reg.registry->RecordBatch(std::move(batch), wo);
    if (!stored) {
      Error e = stored.error();
      e.message += fmt::format(" (rows {}..{} of {}; {} rows before them are committed; run the "
                               "same import again to go on from there)",
                               done + 1, done + n, opt.file, done);
      return tl::unexpected(std::move(e));
    }
    done += n;
    // Printed only after the commit: a line here is a promise that the rows are durable.
    std::cout << "committed " << done << "\n" << std::flush;
  }
  std::cout << "imported " << done - skipped << (persons ? " persons" : " relatives") << " from "
            << opt.file;
  if (skipped > 0) std::cout << " (" << skipped << " rows were already imported)";
  std::cout << "\n";
  return {};
}

Status RunGeoJson(const ImportOptions& opt) {
  WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(opt.file));
  WB_ASSIGN_OR_RETURN(io::GeoFeatures features, io::ParseGeoJson(text, opt.file));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, true));
  // The who/when/why every imported event shares; kind, type and id are set per feature.
  WB_ASSIGN_OR_RETURN(registry::Event base, MakeEvent(opt.meta, {}));
  if (base.reason.empty()) base.reason = "import of " + opt.file;
  std::vector<registry::Event> events;
  // Ids 0: the store assigns them inside the write, so two imports at once do not collide.
  auto add = [&](registry::EntityKind kind, const char* type,
                 std::vector<registry::Fields>& payloads) {
    for (auto& payload : payloads) {
      registry::Event e = base;
      e.kind = kind;
      e.entity_id = 0;
      e.type = type;
      e.payload = std::move(payload);
      events.push_back(std::move(e));
    }
  };
  add(registry::EntityKind::kHazard, "hazard.registered", features.hazards);
  add(registry::EntityKind::kSite, "site.registered", features.sites);
  WB_RETURN_IF_ERROR(reg.registry->RecordBatch(std::move(events), WriteOptionsOf(opt.meta)));
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
  std::string db, identifications, families, individuals, remains, summary, date;
  EventMeta meta;
};

// One candidate of an identify decision: (family, missing) with its LR and posterior.
struct Candidate {
  std::string family, missing, lr, posterior;
};

// The candidates an "ambiguous" reason names: "ambiguous between family F, missing M (LR x,
// posterior y) and family G, missing N (LR ..., posterior ...)" (kinship/assign.cc).
std::vector<Candidate> AmbiguousCandidates(const std::string& reason) {
  std::vector<Candidate> out;
  size_t pos = 0;
  // Each candidate is anchored on ", missing "; its family is the nearest "family " before it
  // (the text before may itself say "within the family between").
  while ((pos = reason.find(", missing ", pos)) != std::string::npos) {
    const size_t fam = reason.rfind("family ", pos);
    const size_t open = reason.find(" (LR ", pos);
    const size_t post = open == std::string::npos ? open : reason.find(", posterior ", open);
    const size_t close = post == std::string::npos ? post : reason.find(')', post);
    if (fam == std::string::npos || close == std::string::npos) break;
    out.push_back(Candidate{
        reason.substr(fam + 7, pos - fam - 7), reason.substr(pos + 10, open - pos - 10),
        reason.substr(open + 5, post - open - 5), reason.substr(post + 12, close - post - 12)});
    pos = close;
  }
  return out;
}

// Records the "identified" and "ambiguous" decisions of `whereabouts identify`
// (identifications.csv) as identification *proposals* (person.identification_proposed), mapping
// (family, missing) to register ids through the `person` column of families.csv, with the bags
// from individuals.csv as the remains and the site from remains.csv when it names a register site.
// Nothing is identified until a person confirms a proposal (`whereabouts identification confirm`).
// Persons whose case is not open, rows without a register id and decisions already proposed from
// the same run are skipped and counted.
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
  std::map<std::string, std::string> bags_of;                  // individual -> "bag|bag"
  std::map<std::string, std::vector<std::string>> samples_of;  // individual -> samples
  if (!opt.individuals.empty()) {
    WB_ASSIGN_OR_RETURN(const io::DelimitedTable ind, io::DelimitedTable::Read(opt.individuals));
    WB_ASSIGN_OR_RETURN(const int i, ind.RequireColumn("individual"));
    WB_ASSIGN_OR_RETURN(const int s, ind.RequireColumn("sample"));
    WB_ASSIGN_OR_RETURN(const int b, ind.RequireColumn("bag"));
    for (const auto& row : ind.rows()) {
      std::string& bags = bags_of[ind.Cell(row, i)];
      samples_of[ind.Cell(row, i)].push_back(ind.Cell(row, s));
      const std::string& bag = ind.Cell(row, b);
      if (("|" + bags + "|").find("|" + bag + "|") == std::string::npos) {
        bags += (bags.empty() ? "" : "|") + bag;
      }
    }
  }
  std::map<std::string, std::string> site_of_sample;  // remains.csv: sample -> site (as written)
  if (!opt.remains.empty()) {
    WB_ASSIGN_OR_RETURN(const auto remains, io::ReadRemains(opt.remains));
    for (const auto& r : remains) site_of_sample[r.sample] = r.site;
  }
  // The run these decisions come from: the SHA-256 of its summary.json (else of the file itself).
  std::string summary = opt.summary;
  if (summary.empty()) {
    const auto beside = std::filesystem::path(opt.identifications).parent_path() / "summary.json";
    std::error_code ec;
    if (std::filesystem::exists(beside, ec)) summary = beside.string();
  }
  WB_ASSIGN_OR_RETURN(const std::string run_bytes,
                      ReadFile(summary.empty() ? opt.identifications : summary));
  const std::string run = registry::Sha256Hex(run_bytes);

  WB_ASSIGN_OR_RETURN(const int c_ind, ids.RequireColumn("individual"));
  WB_ASSIGN_OR_RETURN(const int c_fam, ids.RequireColumn("family"));
  WB_ASSIGN_OR_RETURN(const int c_mis, ids.RequireColumn("missing"));
  WB_ASSIGN_OR_RETURN(const int c_lr, ids.RequireColumn("lr"));
  WB_ASSIGN_OR_RETURN(const int c_post, ids.RequireColumn("posterior"));
  WB_ASSIGN_OR_RETURN(const int c_dec, ids.RequireColumn("decision"));
  const int c_reason = ids.Column("reason");
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const registry::Snapshot snap, reg.registry->LoadSnapshot(std::nullopt));
  WB_ASSIGN_OR_RETURN(const registry::Proposals existing,
                      reg.registry->LoadProposals(std::nullopt));
  int64_t next_id = existing.empty() ? 1 : existing.rbegin()->first + 1;
  std::set<std::pair<std::string, int64_t>> already;  // (individual, person) proposed in this run
  for (const auto& [id, p] : existing) {
    if (p.run == run && p.status != registry::ProposalStatus::kRejected) {
      already.insert({p.individual, p.person.value});
    }
  }
  // A register site named by remains.csv: its id, or its name when exactly one site has it.
  auto register_site = [&](const std::string& text) -> int64_t {
    int64_t found = 0;
    for (const auto& [sid, site] : snap.sites) {
      if (std::to_string(sid) == text) return sid;
      if (site.name == text) found = found ? -1 : sid;
    }
    return found > 0 ? found : 0;
  };
  WB_ASSIGN_OR_RETURN(
      registry::Event base,
      MakeEvent(opt.meta, {registry::EntityKind::kPerson, "person.identification_proposed"}));
  if (base.reason.empty()) base.reason = "DNA identification (" + opt.identifications + ")";
  std::vector<registry::Event> events;
  int not_identified = 0, unlinked = 0, not_open = 0, repeated = 0, ambiguous = 0, no_site = 0;
  std::map<std::string, int> site_notes;
  for (const auto& row : ids.rows()) {
    const std::string& decision = ids.Cell(row, c_dec);
    if (decision != "identified" && decision != "ambiguous") {
      ++not_identified;
      continue;
    }
    const std::string& individual = ids.Cell(row, c_ind);
    std::vector<Candidate> candidates{Candidate{ids.Cell(row, c_fam), ids.Cell(row, c_mis),
                                                ids.Cell(row, c_lr), ids.Cell(row, c_post)}};
    if (decision == "ambiguous") {
      auto named = AmbiguousCandidates(c_reason >= 0 ? ids.Cell(row, c_reason) : "");
      if (named.size() >= 2) candidates = std::move(named);
    }
    std::string candidates_text;
    for (const Candidate& c : candidates) {
      auto it = person_of.find({c.family, c.missing});
      candidates_text += (candidates_text.empty() ? "" : "; ") +
                         (it == person_of.end() ? "no register id" : "person " + it->second) +
                         " (family " + c.family + ", missing " + c.missing + ", LR " + c.lr +
                         ", posterior " + c.posterior + ")";
    }
    // The site: every sample of the individual from one site that is a register site.
    std::set<std::string> sites;
    for (const std::string& s : samples_of[individual]) {
      if (auto it = site_of_sample.find(s); it != site_of_sample.end() && !it->second.empty()) {
        sites.insert(it->second);
      }
    }
    int64_t site = 0;
    std::string site_note;
    if (opt.remains.empty()) {
      site_note = "no remains.csv given (--remains)";
    } else if (sites.empty()) {
      site_note = "remains.csv names no site for the individual's samples";
    } else if (sites.size() > 1) {
      site_note = "the individual's samples come from several sites in remains.csv";
    } else if ((site = register_site(*sites.begin())) == 0) {
      site_note = "remains.csv's site '" + *sites.begin() + "' is not a register site";
    }
    bool any = false;
    for (const Candidate& c : candidates) {
      auto it = person_of.find({c.family, c.missing});
      if (it == person_of.end()) continue;
      any = true;
      const int64_t pid = std::stoll(it->second);
      WB_ASSIGN_OR_RETURN(const std::optional<registry::Person> p,
                          reg.store->FindPerson(registry::PersonId{pid}, std::nullopt));
      if (!p || p->status != registry::CaseStatus::kOpen) {
        ++not_open;
        continue;
      }
      if (!already.insert({individual, pid}).second) {
        ++repeated;
        continue;
      }
      registry::Event e = base;
      e.entity_id = pid;
      e.payload["proposal"] = std::to_string(next_id++);
      e.payload["date"] = opt.date.empty() ? e.recorded_on.ToString() : opt.date;
      e.payload["remains"] = bags_of[individual];
      if (site > 0) e.payload["site"] = std::to_string(site);
      if (!site_note.empty()) e.payload["site_note"] = site_note;
      e.payload["lr"] = c.lr;
      e.payload["posterior"] = c.posterior;
      e.payload["run"] = run;
      e.payload["individual"] = individual;
      e.payload["family"] = c.family;
      e.payload["missing"] = c.missing;
      if (decision == "ambiguous") {
        e.payload["ambiguous"] = "yes";
        e.payload["candidates"] = candidates_text;
        ++ambiguous;
      }
      if (site == 0) {
        ++no_site;
        ++site_notes[site_note];
      }
      e.recorded_on = std::max(e.recorded_on, p->last_event_on);
      events.push_back(std::move(e));
    }
    if (!any) ++unlinked;
  }
  const size_t n = events.size();
  if (!events.empty()) WB_RETURN_IF_ERROR(reg.registry->RecordBatch(std::move(events)));
  fmt::print(
      "proposed {} identifications for review ({} ambiguous); skipped {} not identified, {} "
      "without a register id, {} whose case is not open, {} already proposed from this run\n",
      n, ambiguous, not_identified, unlinked, not_open, repeated);
  fmt::print("run {} ({})\n", run, summary.empty() ? opt.identifications : summary);
  if (no_site > 0) {
    fmt::print("{} proposals without a site (left empty):\n", no_site);
    for (const auto& [note, count] : site_notes) fmt::print("  {}: {}\n", count, note);
  }
  if (n > 0) {
    fmt::print(
        "nobody is identified until a proposal is confirmed: whereabouts identification list "
        "--status proposed; whereabouts identification confirm|reject ID --by WHO --reason WHY\n");
  }
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
    cmd->add_flag("--legacy-history", opt->legacy_history,
                  "import a dated history: each row's recorded_on column is its recorded date "
                  "(rows in date order, none before the register's last event)");
    AddEventMetaOptions(cmd, &opt->meta);
    SetCallback(cmd, exit_code, [opt, persons] { return RunCsv(*opt, persons); });
  }
  {
    auto opt = std::make_shared<IdentificationsOptions>();
    CLI::App* cmd = imp->add_subcommand(
        "identifications",
        "the 'identified' and 'ambiguous' decisions of 'whereabouts identify', as proposals that "
        "wait for 'identification confirm|reject'");
    AddDbOption(cmd, &opt->db);
    cmd->add_option("identifications", opt->identifications, "identifications.csv")->required();
    cmd->add_option("--families", opt->families, "families.csv with the person column")->required();
    cmd->add_option("--individuals", opt->individuals, "individuals.csv (bags of each individual)");
    cmd->add_option("--remains", opt->remains,
                    "remains.csv of the run: its site column, when it names a register site (id "
                    "or name), becomes the proposal's site");
    cmd->add_option("--summary", opt->summary,
                    "summary.json of the run (default: the one beside identifications.csv); its "
                    "SHA-256 names the run");
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
