// `whereabouts import persons|relatives FILE.csv` (bulk, one transaction per batch: a crash loses
// at most the batch being written) and `whereabouts import geojson FILE` (sites and hazard areas).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include "app/identifications.h"
#include "app/imports.h"
#include "cli/commands.h"
#include "cli/registry_common.h"
#include "io/delimited.h"
#include "io/geojson.h"
#include "io/identify_results.h"
#include "io/registry_csv.h"
#include "io/remains_csv.h"
#include "io/vocabularies.h"
#include "registry/identification_evidence.h"
#include "registry/payload.h"
#include "registry/sha256.h"

namespace whereabouts::cli {
namespace {

struct ImportOptions {
  std::string db, file;
  size_t batch = 1000;
  bool legacy_history = false;
  EventMeta meta;
};

// `import persons|relatives`: reads and parses the file, and hands its events to
// app::ImportEvents, which writes them in resumable batches (batches an earlier run of the same
// import committed are skipped) and reports each batch once it is committed.
Status RunCsv(const ImportOptions& opt, bool persons) {
  if (opt.batch == 0) return MakeError(ErrorCode::kInvalidArgument, "must be positive", "--batch");
  // The file is streamed, a batch of rows at a time, so that memory stays bounded whatever its
  // size: once to check every row (bad input anywhere writes nothing) and to take its SHA-256
  // (which names the batches), then again to write it.
  app::ImportEventsRequest req;
  req.source = opt.file;
  req.batch = opt.batch;
  req.legacy_history = opt.legacy_history;
  {
    auto sha = io::Sha256OfFile(opt.file);
    if (!sha) return MakeError(ErrorCode::kNotFound, "cannot read the file", opt.file);
    req.source_sha256 = *sha;
  }
  WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt.meta));
  const registry::Date recorded_on = Today();  // a row's own date only with --legacy-history
  const std::string reason = opt.meta.reason.empty() ? "import of " + opt.file : opt.meta.reason;
  // The closed vocabularies as the commission configured them (as OpenRegistry reads them), so
  // that the first pass refuses an unknown relationship naming its line, before anything is
  // written.
  WB_ASSIGN_OR_RETURN(
      const registry::Vocabularies vocabularies,
      io::ReadVocabularies((std::filesystem::path(DataDir()) / "vocabularies.json").string()));
  const auto events_of = [&](const io::DelimitedTable& t) {
    return persons ? io::PersonsFromCsv(t, recorded_on, opt.meta.by, reason)
                   : io::RelativesFromCsv(t, recorded_on, opt.meta.by, reason, vocabularies);
  };
  {
    WB_ASSIGN_OR_RETURN(auto check, io::DelimitedChunkReader::Open(opt.file));
    bool first = true;
    while (true) {
      WB_ASSIGN_OR_RETURN(auto chunk, check->Next(opt.batch));
      if (!chunk) break;
      if (first) {
        req.rows_dated = chunk->Column("recorded_on") >= 0;
        if (auto s = app::CheckDatedImport(req.rows_dated, req.legacy_history, req.source); !s) {
          Error e = s.error();
          e.message =
              "a recorded_on column gives each row its own recorded date: that is the import of a "
              "dated history, which must be asked for with --legacy-history";
          return tl::unexpected(std::move(e));
        }
        first = false;
      }
      WB_RETURN_IF_ERROR(events_of(*chunk));
    }
  }
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg,
                      OpenRegistry(opt.db, true,
                                   opt.legacy_history ? RecordedDates::kLegacyHistory
                                                      : RecordedDates::kClock));
  const auto progress = [](const app::ImportBatch& b) {
    if (b.earlier) {
      fmt::print("skipped rows {}..{}: committed by an earlier run of this import (events #{}..#{})\n",
                 b.first_row, b.last_row, b.earlier->first_seq, b.earlier->last_seq);
      std::fflush(stdout);
      return;
    }
    // Printed only after the commit: a line here is a promise that the rows are durable.
    std::cout << "committed " << b.done << "\n" << std::flush;
  };
  app::ImportEventsResult res;
  WB_ASSIGN_OR_RETURN(auto reader, io::DelimitedChunkReader::Open(opt.file));
  while (true) {
    WB_ASSIGN_OR_RETURN(auto chunk, reader->Next(opt.batch));
    if (!chunk) break;
    app::ImportEventsRequest part = req;
    WB_ASSIGN_OR_RETURN(part.events, events_of(*chunk));
    const size_t rows = part.events.size();
    WB_ASSIGN_OR_RETURN(const app::ImportEventsResult r,
                        app::ImportEvents(*reg.registry, *reg.store, std::move(part), progress));
    res.imported += r.imported;
    res.skipped += r.skipped;
    req.rows_before += rows;
  }
  std::cout << "imported " << res.imported << (persons ? " persons" : " relatives") << " from "
            << opt.file;
  if (res.skipped > 0) std::cout << " (" << res.skipped << " rows were already imported)";
  std::cout << "\n";
  return {};
}

Status RunGeoJson(const ImportOptions& opt) {
  WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(opt.file));
  WB_ASSIGN_OR_RETURN(io::GeoFeatures features, io::ParseGeoJson(text, opt.file));
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, true));
  app::ImportGeoFeaturesRequest req;
  WB_ASSIGN_OR_RETURN(req.meta, WriteMetaOf(opt.meta));
  req.source = opt.file;
  req.hazards = std::move(features.hazards);
  req.sites = std::move(features.sites);
  WB_ASSIGN_OR_RETURN(const app::ImportGeoFeaturesResult res,
                      app::ImportGeoFeatures(*reg.registry, std::move(req)));
  std::cout << "imported " << res.hazards << " hazard areas and " << res.sites << " sites from "
            << opt.file << "\n";
  if (res.flags_error) return tl::unexpected(*res.flags_error);
  for (const auto& f : res.flags) {
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
  std::string db, identifications, candidates, families, individuals, remains, summary, date;
  std::string evidence;
  EventMeta meta;
};

// A file beside identifications.csv (the run's folder), when it exists.
std::string Beside(const std::string& identifications, const char* name) {
  const auto path = std::filesystem::path(identifications).parent_path() / name;
  std::error_code ec;
  return std::filesystem::exists(path, ec) ? path.string() : std::string();
}

// `import identifications`: reads the run's files into an app::ProposeFromRunRequest (decisions
// and their candidates as data: identifications.csv's decision column and candidates.csv; the
// reason text is never read), records the proposals (app/identifications.h) and prints what was
// done. Nothing is identified until a person confirms a proposal.
Status RunIdentifications(const IdentificationsOptions& opt) {
  app::ProposeFromRunRequest req;
  WB_ASSIGN_OR_RETURN(const std::string ids_text, ReadFile(opt.identifications));
  const std::string candidates =
      opt.candidates.empty() ? Beside(opt.identifications, "candidates.csv") : opt.candidates;
  std::optional<std::string> candidates_text;
  if (!candidates.empty()) {
    WB_ASSIGN_OR_RETURN(candidates_text, ReadFile(candidates));
  }
  WB_ASSIGN_OR_RETURN(
      const std::vector<io::ResultDecision> decisions,
      io::ParseDecisions(
          ids_text, opt.identifications,
          candidates_text ? std::optional<std::string_view>(*candidates_text) : std::nullopt,
          candidates));
  // The run's evidence per candidate (evidence.txt), recorded with the proposals.
  const std::string evidence =
      opt.evidence.empty() ? Beside(opt.identifications, "evidence.txt") : opt.evidence;
  std::map<std::tuple<std::string, std::string, std::string>, registry::ProposalEvidence>
      evidence_of;
  if (!evidence.empty()) {
    WB_ASSIGN_OR_RETURN(const std::string text, ReadFile(evidence));
    auto list = registry::DecodeEvidenceList(text);
    if (!list) return tl::unexpected(WithContext(list.error(), evidence));
    for (auto& ev : *list) {
      evidence_of[{ev.individual, ev.family, ev.missing}] = std::move(ev);
    }
  }
  for (const auto& d : decisions) {
    app::RunDecision rd{d.individual, d.decision, {}};
    for (const auto& c : d.candidates) {
      std::string ev_text;
      if (auto it = evidence_of.find({d.individual, c.family, c.missing});
          it != evidence_of.end()) {
        // The evidence must be the one of this run: the same LR as candidates.csv states.
        if (io::FormatResultNumber(it->second.lr) != c.lr_text) {
          return MakeError(ErrorCode::kInvalidArgument,
                           "the LR of individual " + d.individual + ", family " + c.family +
                               ", missing " + c.missing + " is " + c.lr_text + " in " + candidates +
                               " but " + io::FormatResultNumber(it->second.lr) +
                               " in the evidence: the files are not of one run",
                           evidence);
        }
        ev_text = registry::EncodeEvidence(it->second);
      }
      rd.candidates.push_back({c.family, c.missing, c.lr_text, c.posterior_text, ev_text});
    }
    req.decisions.push_back(std::move(rd));
  }
  {
    WB_ASSIGN_OR_RETURN(const io::DelimitedTable fam, io::DelimitedTable::Read(opt.families));
    WB_ASSIGN_OR_RETURN(const int f, fam.RequireColumn("family"));
    WB_ASSIGN_OR_RETURN(const int i, fam.RequireColumn("id"));
    WB_ASSIGN_OR_RETURN(const int p, fam.RequireColumn("person"));
    for (const auto& row : fam.rows()) {
      const std::string& person = fam.Cell(row, p);
      if (person.empty()) continue;
      auto id = registry::ParseId(person, fam.Where(row, p));
      if (!id) {
        Error e = id.error();
        e.message = "expected a register person id (a whole number)";
        return tl::unexpected(std::move(e));
      }
      req.person_of[{fam.Cell(row, f), fam.Cell(row, i)}] = registry::PersonId{*id};
    }
  }
  if (!opt.individuals.empty()) {
    WB_ASSIGN_OR_RETURN(const io::DelimitedTable ind, io::DelimitedTable::Read(opt.individuals));
    WB_ASSIGN_OR_RETURN(const int i, ind.RequireColumn("individual"));
    WB_ASSIGN_OR_RETURN(const int s, ind.RequireColumn("sample"));
    WB_ASSIGN_OR_RETURN(const int b, ind.RequireColumn("bag"));
    for (const auto& row : ind.rows()) {
      const std::string& individual = ind.Cell(row, i);
      req.samples_of[individual].push_back(ind.Cell(row, s));
      auto& bags = req.bags_of[individual];
      const std::string& bag = ind.Cell(row, b);
      if (std::find(bags.begin(), bags.end(), bag) == bags.end()) bags.push_back(bag);
    }
  }
  if (!opt.remains.empty()) {
    WB_ASSIGN_OR_RETURN(const auto remains, io::ReadRemains(opt.remains));
    req.site_of_sample.emplace();
    for (const auto& r : remains) (*req.site_of_sample)[r.sample] = r.site;
  }
  // The run these decisions come from: the run id of its summary.json; for a summary written
  // before run ids, the SHA-256 of the file (else of identifications.csv).
  std::string summary = opt.summary;
  if (summary.empty()) summary = Beside(opt.identifications, "summary.json");
  if (summary.empty()) {
    req.run = registry::Sha256Hex(ids_text);
  } else {
    WB_ASSIGN_OR_RETURN(const std::string summary_text, ReadFile(summary));
    WB_ASSIGN_OR_RETURN(const std::optional<std::string> run,
                        io::ParseRunId(summary_text, summary));
    req.run = run ? *run : registry::Sha256Hex(summary_text);
  }
  WB_ASSIGN_OR_RETURN(req.recorded_on, RecordedOn(opt.meta));
  WB_ASSIGN_OR_RETURN(req.date, registry::ParseDateField(opt.date, "--date"));
  req.actor = opt.meta.by;
  req.reason = opt.meta.reason.empty() ? "DNA identification (" + opt.identifications + ")"
                                       : opt.meta.reason;

  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  WB_ASSIGN_OR_RETURN(const app::ProposeFromRunResult res,
                      app::ProposeFromRun(*reg.registry, *reg.store, req));
  fmt::print(
      "proposed {} identifications for review ({} ambiguous); skipped {} not identified, {} "
      "without a register id, {} with a register id the register does not have, {} whose case "
      "is not open, {} already proposed from this run\n",
      res.proposed, res.ambiguous, res.not_identified, res.unlinked, res.unknown, res.not_open,
      res.repeated);
  fmt::print("run {} ({})\n", req.run, summary.empty() ? opt.identifications : summary);
  int no_site = 0;
  for (const auto& [note, count] : res.without_site) no_site += count;
  if (no_site > 0) {
    fmt::print("{} proposals without a site (left empty):\n", no_site);
    for (const auto& [note, count] : res.without_site) {
      fmt::print("  {}: {}{}\n", count, note, res.remains_list_given ? "" : " (--remains)");
    }
  }
  if (res.proposed > 0) {
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
    cmd->add_option("--batch", opt->batch, "rows per transaction")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000000));
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
    cmd->add_option("--candidates", opt->candidates,
                    "candidates.csv of the run (default: the one beside identifications.csv): "
                    "the candidates of each decision; needed for ambiguous decisions");
    cmd->add_option("--families", opt->families, "families.csv with the person column")->required();
    cmd->add_option("--individuals", opt->individuals, "individuals.csv (bags of each individual)");
    cmd->add_option("--remains", opt->remains,
                    "remains.csv of the run: its site column, when it names a register site (id "
                    "or name), becomes the proposal's site");
    cmd->add_option("--summary", opt->summary,
                    "summary.json of the run (default: the one beside identifications.csv); its "
                    "SHA-256 names the run");
    cmd->add_option("--evidence", opt->evidence,
                    "evidence.txt of the run (default: the one beside identifications.csv): the "
                    "DNA evidence of each candidate, kept with its proposal for the "
                    "identification report");
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
