// `whereabouts demo`: creates a synthetic register (see demo/demo.h) and prints its key
// figures today and as of the earlier date.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/accounts.h"
#include "cli/access_common.h"
#include "app/dna_register.h"
#include "cli/commands.h"
#include "cli/dna_files.h"
#include "cli/registry_common.h"
#include "demo/accounts.h"
#include "demo/demo.h"
#include "demo/dna.h"
#include "io/allele_table.h"
#include "io/delimited.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/remains_csv.h"
#include "kinship/simulate.h"
#include "store/postgres_store.h"

namespace whereabouts::cli {
namespace {

using demo::DemoDna;
using demo::LinkSimulatedFamilies;

struct DemoOptions {
  std::string db;
  std::string dna;
  bool force = false;
  bool accounts = false;
};

// Adds the demo's accounts (demo/accounts.h), one per role, through the accounts use case (hashed
// passwords, audited with address "cli" as by "demo").
Status AddDemoAccounts(const std::string& db) {
  WB_ASSIGN_OR_RETURN(OpenedAccess a, OpenAccess(db, false));
  for (const demo::DemoAccount& d : demo::kDemoAccounts) {
    app::AddAccountRequest req;
    req.origin = CliOrigin("demo");
    req.name = d.name;
    WB_ASSIGN_OR_RETURN(req.role, app::ParseRole(d.role));
    req.password = d.password;
    WB_RETURN_IF_ERROR(app::AddAccount(a.ctx(), req).map([](const app::Account&) {}));
  }
  fmt::print("added the demo accounts (synthetic; account / role / password):\n");
  for (const demo::DemoAccount& d : demo::kDemoAccounts) {
    fmt::print("  {:<15} {:<15} {}\n", d.name, d.role, d.password);
  }
  return {};
}

// Simulates families with DNA references with the kinship engine (kinship::Simulate), links each
// simulated missing person to a register person of the same sex with an open case, and returns
// what to record in the register: the relatives with their pedigree, reference samples and
// profiles, and the remains samples and profiles on the register's bags and graves
// (demo::LinkSimulatedFamilies). Writes the frequency database to `dir`.
Result<DemoDna> SimulateDna(const std::vector<registry::Event>& demo, const std::string& dir,
                            kinship::SimulationSummary* summary) {
  const std::string freq_path =
      (std::filesystem::path(DataDir()) / "NorwegianFrequencies.tsv").string();
  WB_ASSIGN_OR_RETURN(std::string freq_text, io::ReadTextFile(freq_path));
  WB_ASSIGN_OR_RETURN(auto db, io::ParseFrequencyTsv(freq_text, freq_path));
  kinship::SimulationOptions sim;
  sim.seed = 20200115;
  WB_ASSIGN_OR_RETURN(kinship::SimulatedScenario scenario, kinship::Simulate(sim, db));
  DemoDna dna = LinkSimulatedFamilies(demo, scenario);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  WB_RETURN_IF_ERROR(
      io::WriteTextFile((std::filesystem::path(dir) / "frequencies.tsv").string(), freq_text));
  *summary = scenario.summary;
  return dna;
}

// Writes the register's DNA data (app::CollectRegisterDna) as the files of docs/FORMATS.md.
Result<app::RegisterDna> ExportDna(OpenedRegistry& reg, const std::string& dir) {
  WB_ASSIGN_OR_RETURN(app::RegisterDna dna, app::CollectRegisterDna(*reg.registry, *reg.store));
  for (const auto& [name, text] : RegisterDnaFiles(dna)) {
    WB_RETURN_IF_ERROR(io::WriteTextFile((std::filesystem::path(dir) / name).string(), text));
  }
  return dna;
}

Status RunDemo(const DemoOptions& opt) {
  const bool sqlite = !store::PostgresStore::IsUri(opt.db);
  std::error_code ec;
  if (sqlite && std::filesystem::exists(opt.db, ec) && !opt.force) {
    return MakeError(ErrorCode::kAlreadyExists,
                     opt.db +
                         " already exists; pass --force to replace it with the demo, or "
                         "--db PATH for another file");
  }
  std::vector<registry::Event> demo = demo::DemoEvents(opt.dna.empty());
  std::vector<registry::Event> relatives;
  int linked = 0;
  size_t remains_events = 0;
  kinship::SimulationSummary summary;
  if (!opt.dna.empty()) {
    WB_ASSIGN_OR_RETURN(DemoDna dna, SimulateDna(demo, opt.dna, &summary));
    linked = dna.linked;
    relatives = std::move(dna.relatives);
    relatives.insert(relatives.end(), dna.reference_profiles.begin(), dna.reference_profiles.end());
    remains_events = dna.remains.size();
    demo.insert(demo.end(), dna.remains.begin(), dna.remains.end());
  }
  // A SQLite demo is built in a temporary file beside the target and renamed into place once
  // complete: a killed demo leaves no half-built register (and nothing that blocks the next demo).
  const std::string build_path =
      sqlite ? opt.db + ".demo-tmp-" + std::to_string(::getpid()) : opt.db;
  const auto remove_sqlite = [&](const std::string& path) {
    for (const std::string suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path + suffix, ec);
  };
  if (sqlite) {
    // What a killed demo left: temporary registers of processes that no longer run.
    const auto target = std::filesystem::absolute(opt.db, ec);
    const std::string prefix = target.filename().string() + ".demo-tmp-";
    for (const auto& entry : std::filesystem::directory_iterator(target.parent_path(), ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind(prefix, 0) != 0) continue;
      const std::string rest = name.substr(prefix.size());
      const long pid = std::strtol(rest.c_str(), nullptr, 10);
      if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
        std::filesystem::remove(entry.path(), ec);
      }
    }
  }
  size_t stored_count = 0;
  size_t relative_count = 0;
  for (const auto& e : relatives) relative_count += e.type == "relative.registered";
  {
    // The demo's history is dated (registrations over the years): it is recorded through the
    // explicit path for a dated history, never by overriding the clock of normal commands.
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg,
                        OpenRegistry(build_path, true, RecordedDates::kLegacyHistory,
                                     /*migrate=*/true));
    if (!sqlite) {
      // A PostgreSQL database cannot be replaced like a file, and its history cannot be deleted.
      WB_ASSIGN_OR_RETURN(const registry::ChainHead head, reg.registry->Head(std::nullopt));
      if (head.seq > 0) {
        return MakeError(ErrorCode::kAlreadyExists,
                         DbDisplayName(opt.db) +
                             " already holds a register; the demo needs an empty database "
                             "(--force replaces only a SQLite file)");
      }
    }
    demo.insert(demo.end(), std::make_move_iterator(relatives.begin()),
                std::make_move_iterator(relatives.end()));
    std::stable_sort(demo.begin(), demo.end(),
                     [](const auto& a, const auto& b) { return a.recorded_on < b.recorded_on; });
    auto stored = reg.registry->RecordBatch(std::move(demo));
    if (!stored) {
      if (sqlite) {
        reg = OpenedRegistry{};
        remove_sqlite(build_path);
      }
      return tl::unexpected(stored.error());
    }
    stored_count = stored->size();
  }  // closed: SQLite checkpoints its WAL into the file
  if (sqlite) {
    if (opt.force) remove_sqlite(opt.db);
    std::filesystem::rename(build_path, opt.db, ec);
    if (ec) {
      remove_sqlite(build_path);
      return MakeError(ErrorCode::kIo, "cannot put the demo register in place: " + ec.message(),
                       opt.db);
    }
  }
  WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt.db, false));
  const size_t stored_size = stored_count;
  fmt::print("created the demo register {} ({} events, synthetic names)\n", DbDisplayName(opt.db),
             stored_size);
  if (!opt.dna.empty()) {
    WB_ASSIGN_OR_RETURN(const app::RegisterDna dna, ExportDna(reg, opt.dna));
    fmt::print(
        "simulated DNA with the kinship engine: {} families, {} references, {} remains "
        "samples; {} missing persons linked to register ids with an open case, {} relatives "
        "registered with their reference profiles, {} remains events (samples and profiles on "
        "the register's bags, body bags at its graves); exported from the register: {} "
        "families, {} references, {} remains samples in {} (families.csv, references.tsv, "
        "remains.csv, remains-alleles.tsv, frequencies.tsv)\n"
        "next: whereabouts identify --db {} --out {}/out\n",
        summary.families, summary.references, summary.remains_samples, linked, relative_count,
        remains_events, dna.input.families.size(), dna.input.references.size(),
        dna.input.remains.size(), opt.dna, opt.db, opt.dna);
  }
  for (const registry::AsOf as_of :
       {registry::AsOf{}, registry::AsOf{*registry::Date::Parse(demo::kDemoEarlierDate)}}) {
    WB_ASSIGN_OR_RETURN(const registry::Figures f,
                        reg.registry->ComputeFigures(as_of, registry::AgeLimits{}));
    fmt::print(
        "{}: {} registered missing ({} civilians: {} children, {} women, {} elderly); "
        "{} captured alive ({} servicemen, {} civilians)\n",
        as_of ? "as of " + as_of->ToString() : std::string("today"), f.Value("missing"),
        f.Value("missing.civilian"), f.Value("missing.civilian.child"),
        f.Value("missing.civilian.woman"), f.Value("missing.civilian.elderly"), f.Value("captured"),
        f.Value("captured.serviceman"), f.Value("captured.civilian"));
  }
  if (opt.accounts) WB_RETURN_IF_ERROR(AddDemoAccounts(opt.db));
  fmt::print("next: whereabouts report figures [--as-of {}]\n", demo::kDemoEarlierDate);
  return {};
}

}  // namespace

void RegisterDemo(CLI::App& root, int& exit_code) {
  auto opt = std::make_shared<DemoOptions>();
  CLI::App* cmd = root.add_subcommand("demo", "create a synthetic demonstration register");
  AddDbOption(cmd, &opt->db);
  cmd->add_flag("--force", opt->force, "replace an existing database file");
  cmd->add_option("--dna", opt->dna,
                  "also simulate families with DNA references (kinship engine) and write the "
                  "identification input files to this folder");
  cmd->add_flag("--accounts", opt->accounts,
                "also add one synthetic account per role for `whereabouts serve` (their names "
                "and published passwords: demo/accounts.h, docs/web.md)");
  SetCallback(cmd, exit_code, [opt] { return RunDemo(*opt); });
}

}  // namespace whereabouts::cli
