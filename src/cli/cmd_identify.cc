// `whereabouts identify`: batch identification of remains against family pedigrees
// (docs/identify.md). Reads the files of docs/FORMATS.md, runs kinship::Identify and writes
// individuals.csv, matches.csv, identifications.csv, candidates.csv, targets.csv and summary.json
// (with the run id, app/identify_run.h) into the output folder, each file atomically.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "app/dna_register.h"
#include "app/identification_evidence.h"
#include "app/identify_run.h"
#include "cli/commands.h"
#include "cli/dna_files.h"
#include "cli/registry_common.h"
#include "io/allele_table.h"
#include "io/atomic_file.h"
#include "io/delimited.h"
#include "io/exchange_files.h"
#include "io/familias.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/identify_results.h"
#include "io/mutation_models.h"
#include "io/remains_csv.h"
#include "kinship/identify.h"
#include "registry/sha256.h"

namespace whereabouts::cli {

std::vector<std::pair<std::string, std::string>> RegisterDnaFiles(const app::RegisterDna& dna) {
  return io::ExchangeFiles(dna.input);
}

namespace {

struct IdentifyCliOptions {
  std::string families, references, remains, remains_alleles, frequencies, out, identified;
  std::string fam;                 // --fam: a Familias file's DVI section instead of the five files
  std::string write_fam;           // --write-fam: the inputs as a Familias DVI file
  std::string mutation_models;     // --mutation-models: per-marker models
  std::vector<std::string> given;  // options given on the command line (for --fam's checks)
  std::string db;                  // --db: the register's own data instead of the four files
  EventMeta meta;
  kinship::IdentifyOptions run;
  std::string mutation = "equal";
  double mutation_rate = 0.005, mutation_rate2 = 0.0, mutation_range = 0.1;
  std::string screen_mutation = "auto";
  double screen_mutation_rate = -1.0;  // < 0: --mutation-rate
  double prior_none = -1.0;
  double y_loss = -1.0;
  bool json = false;
  bool quiet = false;
};

std::string Num(double v) { return io::FormatResultNumber(v); }

// A progress bar on stderr, drawn only when stderr is a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO) != 0) {}
  void Update(const std::string& stage, double fraction) {
    if (!enabled_) return;
    const int width = 30;
    const int filled = static_cast<int>(fraction * width + 0.5);
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r%-15s [%s] %3d%%", stage.c_str(), bar.c_str(),
                 static_cast<int>(fraction * 100 + 0.5));
    if (fraction >= 1.0) std::fprintf(stderr, "\n");
    std::fflush(stderr);
  }

 private:
  bool enabled_;
};

// One result file: its name in the output folder and its text.
struct OutputFile {
  const char* name;
  std::string text;
};

// The result files of the run, without summary.json (its text comes last, with the run id).
std::vector<OutputFile> ResultFiles(const kinship::IdentifyReport& rep) {
  io::DelimitedWriter ind(',');
  ind.Row({"individual", "sample", "bag", "amelogenin"});
  for (const auto& r : rep.individuals) ind.Row({r.individual, r.sample, r.bag, r.amelogenin});
  io::DelimitedWriter matches(',');
  matches.Row({"individual", "family", "missing", "lr", "log10_lr", "posterior", "markers_compared",
               "inconsistent_markers", "screen_lr", "sex_check", "joint_lr", "lr_given_family",
               "glr", "conditioned_on", "excluded"});
  for (const auto& m : rep.matches) {
    matches.Row({m.individual, m.family, m.missing, Num(m.lr), Num(m.log10_lr), Num(m.posterior),
                 std::to_string(m.markers_compared), std::to_string(m.inconsistent_markers),
                 Num(m.screen_lr), kinship::SexCheckName(m.sex_check), Num(m.joint_lr),
                 Num(m.conditional_lr), m.glr > 0 ? Num(m.glr) : "", m.conditioned_on,
                 m.excluded_inconsistent                       ? "inconsistent markers"
                 : m.sex_check == kinship::SexCheck::kExcluded ? "amelogenin"
                                                               : ""});
  }
  io::DelimitedWriter ids(',');
  ids.Row({"individual", "family", "missing", "lr", "posterior", "decision", "reason", "sex",
           "sex_check", "decision_lr", "joint_lr", "glr", "conditioned_on", "set_individuals",
           "set_missing", "set_posterior", "given"});
  // Only `reason` is free text for people and never read back: it alone is neutralised against
  // spreadsheet formulas (io::NeutraliseFormulaCell). The ids and numbers are read back by
  // `import identifications` and matched with the lab's files, so they are written as they are.
  for (const auto& r : rep.identifications) {
    ids.Row({r.individual, r.family, r.missing, Num(r.lr), Num(r.posterior),
             kinship::DecisionName(r.decision), io::NeutraliseFormulaCell(r.reason), r.sex,
             r.missing.empty() ? "" : kinship::SexCheckName(r.sex_check),
             r.missing.empty() ? "" : Num(r.decision_lr), r.missing.empty() ? "" : Num(r.joint_lr),
             r.glr > 0 ? Num(r.glr) : "", r.conditioned_on, r.set_individuals, r.set_missing,
             r.set_individuals.empty() ? "" : Num(r.set_posterior), r.given ? "yes" : ""});
  }
  return {{"individuals.csv", ind.text()},
          {"matches.csv", matches.text()},
          {"identifications.csv", ids.text()},
          {"candidates.csv", io::FormatCandidates(rep.identifications)},
          {"targets.csv", io::FormatTargets(rep.targets)}};
}

// Writes every file into `dir` atomically (io/atomic_file.h): all are written and flushed to
// temporary files first, then renamed in order, so that a run killed before the renames leaves
// the previous results whole, and one killed during them leaves each file whole.
Status WriteOutputs(const std::string& dir, const std::vector<OutputFile>& files) {
  std::vector<io::AtomicFile> out;
  for (const auto& f : files) {
    WB_ASSIGN_OR_RETURN(io::AtomicFile file,
                        io::AtomicFile::Create((std::filesystem::path(dir) / f.name).string()));
    WB_RETURN_IF_ERROR(file.Write(f.text));
    WB_RETURN_IF_ERROR(file.Sync());
    out.push_back(std::move(file));
  }
  for (auto& file : out) WB_RETURN_IF_ERROR(file.Commit());
  return {};
}

// The bytes of an input file, for the run id. Errors: kNotFound naming the path.
Result<std::string> InputBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read the file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kIo, "reading failed", path);
  return ss.str();
}

// The engine names the fields of IdentifyOptions in its errors; the user knows the options.
Error WithOptionNames(Error e) {
  static const std::pair<std::string_view, std::string_view> kOptionOf[] = {
      {"remains_dropout", "--dropout"},
      {"minimum_frequency", "--minimum-frequency"},
      {"prior_none", "--prior-none"},
      {"amelogenin_y_loss", "--amelogenin-y-loss"},
      {"screen_mutation", "--screen-mutation"},
      {"posterior_threshold", "--posterior"},
      {"lr_threshold", "--lr"},
      {"screen_lr_threshold", "--screen-lr"},
      {"reassociation_lr", "--reassociation-lr"},
      {"theta", "--theta"},
      {"top_k", "--top-k"},
      {"threads", "--threads"},
  };
  for (const auto& [field, option] : kOptionOf) {
    if (e.field == field || e.field.rfind(std::string(field) + ", ", 0) == 0) {
      e.field = std::string(option) + e.field.substr(field.size());
      break;
    }
  }
  return e;
}

// Per-marker models for summary.json: {marker: {"male": model, "female": model}}.
nlohmann::ordered_json MarkerModelsJson(const kinship::MutationModel& m) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [marker, mm] : m.per_marker) {
    out[marker] = {{"male", mm.male.ToString()}, {"female", mm.female.ToString()}};
  }
  return out;
}

int RunIdentify(IdentifyCliOptions opt) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  auto bad = [](const Error& e) {
    PrintError(e.ToString());
    return kExitBadInput;
  };
  auto kind = kinship::ParseMutationKind(opt.mutation);
  if (!kind) return bad(WithContext(kind.error(), "--mutation"));
  opt.run.mutation = kinship::MutationModel::Same(
      {*kind, opt.mutation_rate, opt.mutation_rate2, opt.mutation_range});
  if (opt.screen_mutation != "auto") {
    auto screen_kind = kinship::ParseMutationKind(opt.screen_mutation);
    if (!screen_kind) return bad(WithContext(screen_kind.error(), "--screen-mutation"));
    opt.run.screen_mutation = kinship::MutationSpec{
        *screen_kind, opt.screen_mutation_rate >= 0 ? opt.screen_mutation_rate : opt.mutation_rate,
        opt.mutation_rate2, opt.mutation_range};
  } else if (opt.screen_mutation_rate >= 0) {
    return bad(Error{ErrorCode::kInvalidArgument,
                     "--screen-mutation-rate needs --screen-mutation (auto takes the exact model)",
                     "--screen-mutation-rate"});
  }
  if (opt.prior_none >= 0.0) opt.run.prior_none = opt.prior_none;
  if (opt.y_loss >= 0.0) opt.run.amelogenin_y_loss = opt.y_loss;
  auto given = [&](const char* name) {
    return std::find(opt.given.begin(), opt.given.end(), name) != opt.given.end();
  };
  kinship::IdentifyInput input;
  kinship::FrequencyDatabase database;
  io::FamiliesFile families;
  std::vector<io::AlleleTableFile> tables;  // the allele tables' skipped samples and warnings
  std::vector<std::pair<const char*, std::string>> input_paths;
  if (!opt.db.empty()) {
    // The register gives the families, references and remains (read below, in the run's own
    // transaction): only the frequency database is read here.
    if (given("--identified")) {
      return bad(Error{ErrorCode::kInvalidArgument,
                       "is not used with --db: a run on the register conditions on the "
                       "identifications confirmed in the register (whereabouts identification "
                       "confirm), not on a file that no reviewer confirmed",
                       "--identified"});
    }
    for (const char* o :
         {"--families", "--references", "--remains", "--remains-alleles", "--fam", "--write-fam"}) {
      if (given(o)) {
        return bad(Error{ErrorCode::kInvalidArgument,
                         "is not used with --db (a run on the register reads its own families, "
                         "references, remains and confirmed identifications)",
                         o});
      }
    }
    if (opt.frequencies.empty())
      opt.frequencies = (std::filesystem::path(DataDir()) / "NorwegianFrequencies.tsv").string();
    auto db = io::ReadFrequencyFile(opt.frequencies);
    if (!db) return bad(WithContext(db.error(), "frequency database " + opt.frequencies));
    database = std::move(*db);
    if (!opt.mutation_models.empty()) {
      auto models = io::ReadMutationModels(opt.mutation_models, opt.run.mutation);
      if (!models) return bad(models.error());
      opt.run.mutation.per_marker = std::move(*models);
    }
  } else if (!opt.fam.empty()) {
    // A Familias file gives the inputs, the database, the models per marker and theta.
    for (const char* o : {"--families", "--references", "--remains", "--remains-alleles",
                          "--frequencies", "--mutation", "--mutation-rate", "--mutation-rate2",
                          "--mutation-range", "--theta", "--mutation-models"}) {
      if (given(o)) {
        return bad(Error{ErrorCode::kInvalidArgument,
                         "is not used with --fam (the .fam file gives the inputs, the database, "
                         "the mutation models and theta)",
                         o});
      }
    }
    auto fam = io::ReadFam(opt.fam);
    if (!fam) return bad(fam.error());
    auto in = io::FamToIdentify(*fam, opt.fam);
    if (!in) return bad(in.error());
    database = std::move(in->database);
    input.families = std::move(in->families);
    input.references = std::move(in->references);
    input.remains = std::move(in->remains);
    input.remains_profiles = std::move(in->remains_profiles);
    opt.run.mutation = std::move(in->mutation);
    opt.run.theta = in->theta;
    if (in->dropout && !given("--dropout")) opt.run.remains_dropout = *in->dropout;
    input_paths = {{"fam", opt.fam}};
  } else {
    for (const auto& [o, path] :
         {std::pair<const char*, const std::string*>{"--families", &opt.families},
          {"--references", &opt.references},
          {"--remains", &opt.remains},
          {"--remains-alleles", &opt.remains_alleles}}) {
      if (path->empty()) {
        return bad(Error{ErrorCode::kInvalidArgument,
                         "is required (or give --fam FILE.fam, or --db REGISTER)", o});
      }
    }
    if (opt.frequencies.empty())
      opt.frequencies = (std::filesystem::path(DataDir()) / "NorwegianFrequencies.tsv").string();
    auto db = io::ReadFrequencyFile(opt.frequencies);
    if (!db) return bad(WithContext(db.error(), "frequency database " + opt.frequencies));
    database = std::move(*db);
    auto fam_file = io::ReadFamilies(opt.families);
    if (!fam_file) return bad(fam_file.error());
    families = std::move(*fam_file);
    auto references = io::ReadAlleleTableWithWarnings(opt.references);
    if (!references) return bad(references.error());
    auto remains = io::ReadRemains(opt.remains);
    if (!remains) return bad(remains.error());
    auto remains_profiles = io::ReadAlleleTableWithWarnings(opt.remains_alleles);
    if (!remains_profiles) return bad(remains_profiles.error());
    input.families = std::move(families.families);
    input.references = std::move(references->profiles);
    input.remains = std::move(*remains);
    input.remains_profiles = std::move(remains_profiles->profiles);
    tables.push_back(std::move(*references));
    tables.push_back(std::move(*remains_profiles));
    input_paths = {{"families", opt.families},
                   {"references", opt.references},
                   {"remains", opt.remains},
                   {"remains_alleles", opt.remains_alleles},
                   {"frequencies", opt.frequencies}};
    if (!opt.mutation_models.empty()) {
      auto models = io::ReadMutationModels(opt.mutation_models, opt.run.mutation);
      if (!models) return bad(models.error());
      opt.run.mutation.per_marker = std::move(*models);
      input_paths.emplace_back("mutation_models", opt.mutation_models);
    }
  }
  if (!opt.identified.empty()) {
    auto given_ids = io::ReadGivenIdentifications(opt.identified);
    if (!given_ids) return bad(given_ids.error());
    input.identified = std::move(*given_ids);
  }
  // Model combinations refused before any work (theta with stepwise: kinship/mutation.h).
  if (auto st = kinship::CheckThetaWithMutation(opt.run.mutation, opt.run.theta); !st) {
    return bad(WithOptionNames(st.error()));
  }
  input.database = &database;
  if (!opt.write_fam.empty()) {
    auto fam = io::IdentifyToFam(database, input.families, input.references, input.remains,
                                 input.remains_profiles, opt.run.mutation, opt.run.theta,
                                 opt.run.remains_dropout);
    if (!fam) return bad(WithContext(fam.error(), "--write-fam"));
    if (auto st = io::WriteFam(opt.write_fam, *fam); !st) {
      return bad(WithContext(st.error(), "--write-fam " + opt.write_fam));
    }
  }
  double read_s = std::chrono::duration<double>(Clock::now() - start).count();

  ProgressBar bar(!opt.quiet);
  std::map<std::string, double> stage_start;
  std::map<std::string, double> stage_seconds;
  opt.run.progress = [&](const std::string& stage, double f) {
    const double now = std::chrono::duration<double>(Clock::now() - start).count();
    if (f == 0.0) stage_start[stage] = now;
    if (f >= 1.0) stage_seconds[stage] = now - stage_start[stage];
    bar.Update(stage, f);
  };
  // The inputs' bytes, for the run id (read once more: the readers above keep no bytes).
  std::vector<std::pair<const char*, std::string>> input_bytes;
  kinship::IdentifyReport rep;
  // A run on the register: what it read, left out and recorded (else nullopt: a run on files).
  std::optional<app::RegisterIdentifyResult> on_register;
  if (!opt.db.empty()) {
    auto meta = WriteMetaOf(opt.meta);
    if (!meta) return bad(meta.error());
    auto reg = OpenRegistry(opt.db, false);
    if (!reg) return Fail(reg.error());
    auto dna = app::CollectRegisterDna(*reg->registry, *reg->store);
    if (!dna) return bad(dna.error());
    read_s = std::chrono::duration<double>(Clock::now() - start).count();
    app::RegisterIdentifyRequest req;
    req.meta = *meta;
    req.options = opt.run;
    req.frequencies = &database;
    for (auto& [name, text] : RegisterDnaFiles(*dna)) req.input_files.emplace_back(name, text);
    auto bytes = InputBytes(opt.frequencies);
    if (!bytes) return bad(bytes.error());
    req.input_files.emplace_back("frequencies", std::move(*bytes));
    auto res = app::IdentifyOnRegister(*reg->registry, *reg->store, req, std::move(*dna));
    if (!res) {
      if (res.error().code == ErrorCode::kInvalidArgument) return bad(WithOptionNames(res.error()));
      return Fail(res.error());
    }
    rep = res->run.report;
    on_register = std::move(*res);
  } else {
    for (const auto& [name, path] : input_paths) {
      auto bytes = InputBytes(path);
      if (!bytes) return bad(bytes.error());
      input_bytes.emplace_back(name, std::move(*bytes));
    }
    if (!opt.identified.empty()) {
      auto bytes = InputBytes(opt.identified);
      if (!bytes) return bad(bytes.error());
      input_bytes.emplace_back("identified", std::move(*bytes));
    }
    opt.run.candidate_evidence = true;  // evidence.txt: what the identification report shows
    auto report = kinship::Identify(input, opt.run);
    if (!report) return bad(WithOptionNames(report.error()));
    rep = std::move(*report);
  }
  for (const auto& e : families.skipped) rep.skipped.push_back({"families file", e.ToString()});
  for (const auto& w : families.warnings) {
    rep.warnings.push_back({"families file", w.ToString()});
    PrintError("warning: " + w.ToString());
  }
  // What the allele tables' reader left out or noted (GeneMapper exports: samples whose runs
  // disagree; markers not used, quality flags, merged runs): in summary.json and on stderr.
  for (const io::AlleleTableFile& t : tables) {
    const io::AlleleTableFile* table = &t;
    for (const auto& e : table->skipped) {
      rep.skipped.push_back({"allele table", e.ToString()});
      PrintError("skipped: " + e.ToString());
    }
    for (const auto& w : table->warnings) {
      rep.warnings.push_back({"allele table", w.ToString()});
      PrintError("warning: " + w.ToString());
    }
  }
  const double total_s = std::chrono::duration<double>(Clock::now() - start).count();

  nlohmann::ordered_json summary;
  summary["format"] = "whereabouts-identify-summary/1";
  summary["run"] = "";  // set below, from everything else but the paths and timings
  summary["software"] = {{"name", "whereabouts"}, {"version", WHEREABOUTS_VERSION}};
  summary["inputs"] = nlohmann::ordered_json::object();
  if (on_register) summary["inputs"]["register"] = DbDisplayName(opt.db);
  for (const auto& [name, path] : input_paths) summary["inputs"][name] = path;
  if (on_register) summary["inputs"]["frequencies"] = opt.frequencies;
  if (!opt.identified.empty()) summary["inputs"]["identified"] = opt.identified;
  summary["counts"] = {{"samples", rep.samples},
                       {"samples_used", rep.samples_used},
                       {"individuals", rep.individual_count},
                       {"mni", rep.mni},
                       {"families", rep.families},
                       {"families_used", rep.families_used},
                       {"missing_persons", rep.missing_persons},
                       {"missing_persons_tabulated", rep.missing_tabulated},
                       {"identified", rep.identified},
                       {"ambiguous", rep.ambiguous},
                       {"not_identified", rep.not_identified},
                       {"skipped", rep.skipped.size()},
                       {"warnings", rep.warnings.size()},
                       {"conflicts", rep.conflicts.size()}};
  summary["priors"] = {
      {"model", "each individual is one listed missing person or none of them"},
      {"none", rep.prior_none},
      {"each_missing_person", rep.prior_each},
      {"default", !opt.run.prior_none.has_value()},
      {"description", opt.run.prior_none ? "none: --prior-none; the rest uniform over the list"
                                         : "uniform over the list and none: 1/(N+1) each"}};
  summary["thresholds"] = {{"posterior", opt.run.posterior_threshold},
                           {"lr", opt.run.lr_threshold},
                           {"screen_lr", opt.run.screen_lr_threshold},
                           {"top_k", opt.run.top_k},
                           {"reassociation_lr", opt.run.reassociation_lr}};
  summary["models"] = {
      {"mutation", opt.run.mutation.male.ToString()},
      {"mutation_female", opt.run.mutation.female.ToString()},
      {"marker_mutation", MarkerModelsJson(opt.run.mutation)},
      {"screen_mutation_requested", rep.screen_mutation_requested.ToString()},
      {"screen_mutation", rep.screen_mutation.ToString()},
      {"screen_is_filter", rep.screen_is_filter},
      {"theta", opt.run.theta},
      {"remains_dropout", opt.run.remains_dropout},
      {"minimum_frequency", opt.run.minimum_frequency_from_size
                                ? nlohmann::ordered_json("5/2N")
                                : nlohmann::ordered_json(opt.run.minimum_frequency)},
      {"numbers",
       {{"lr",
         "matches.csv lr, log10_lr and identifications.csv lr: exact engine, mutation " +
             opt.run.mutation.male.ToString() +
             (opt.run.mutation.per_marker.empty() ? std::string()
                                                  : " (marker_mutation at the markers it lists)") +
             ", theta " + Num(opt.run.theta)},
        {"screen_lr", "matches.csv screen_lr: screen tables, mutation " +
                          rep.screen_mutation.ToString() + " at every marker, theta 0" +
                          (rep.screen_is_filter ? " (a filter: the requested " +
                                                      rep.screen_mutation_requested.ToString() +
                                                      " cannot be tabulated)"
                                                : std::string())},
        {"inconsistent_markers", "exact engine without mutation"},
        {"posterior", "exact LRs of the re-scored pairs, screen LRs of all other pairs"}}}};
  summary["amelogenin"] = {
      {"rule", opt.run.amelogenin_y_loss
                   ? "Y excludes a missing woman; X only weighs " +
                         Num(*opt.run.amelogenin_y_loss) +
                         " against a missing man (probability of Y loss in a man)"
                   : std::string("Y excludes a missing woman; X only is flagged for a missing "
                                 "man, never excluded")},
      {"individuals_y", rep.individuals_y},
      {"individuals_x_only", rep.individuals_x_only},
      {"individuals_samples_differ", rep.individuals_sex_differs},
      {"excluded_pairs", rep.sex_excluded_pairs},
      {"excluded_pairs_listed", rep.sex_excluded_listed},
      {"flagged_matches", rep.sex_flagged_matches}};
  summary["markers"] = rep.markers;
  summary["work"] = {{"screen_pairs", rep.screen_pairs},
                     {"reassociation_pairs_compared", rep.reassociation_pairs},
                     {"sample_links", rep.links},
                     {"rescored_pairs", rep.rescored},
                     {"pairs_without_common_markers", rep.pairs_without_common_markers},
                     {"joint_groups", rep.joint_groups},
                     {"largest_joint_group", rep.largest_joint_group},
                     {"joint_groups_not_enumerated", rep.joint_groups_not_enumerated},
                     {"joint_candidate_bar", rep.joint_bar},
                     {"families_scored_jointly", rep.family_tables},
                     {"family_assignments_computed", rep.family_assignments},
                     {"family_assignments_covered", rep.family_assignments_covered},
                     {"families_too_large_for_joint", rep.families_too_large},
                     {"max_family_assignments", opt.run.max_family_assignments},
                     {"family_budget", opt.run.family_budget},
                     {"families_with_raised_bar", rep.families_bar_raised},
                     {"family_individuals_left_out", rep.family_individuals_left_out},
                     {"family_individuals_lifted", rep.family_individuals_lifted},
                     {"family_lift_pairs_computed", rep.family_lift_evaluations},
                     {"family_left_out_posterior_max", rep.family_left_out_max},
                     {"assignments_summed", rep.assignments_summed}};
  summary["joint_model"] = {
      {"description",
       "families with several missing persons are scored jointly: each partial assignment of "
       "their candidates has the joint LR of one pedigree computation (memoised per marker, "
       "computed once per class of exchangeable missing persons); posteriors sum over all "
       "one-to-one assignments of each group (exact; impossible branches pruned)"},
      {"identifications_given", rep.identified_given},
      {"max_inconsistent_markers", opt.run.max_inconsistent_markers},
      {"pairs_excluded_inconsistent", rep.inconsistent_excluded},
      {"joint_min_posterior", opt.run.joint_min_posterior}};
  // The identifications conditioned on (given: --identified, or the register's confirmed ones):
  // each as the engine placed it, with the register's proposal and person on a run on the
  // register; those not used, with the reason (the engine's skipped items name the others).
  {
    nlohmann::ordered_json used = nlohmann::ordered_json::array();
    for (const auto& r : rep.identifications) {
      if (!r.given) continue;
      nlohmann::ordered_json g = {
          {"individual", r.individual}, {"family", r.family}, {"missing", r.missing}, {"lr", r.lr}};
      if (on_register) {
        for (const app::RegisterConditioning& c : on_register->dna.conditioning) {
          if (c.note.empty() && c.family == r.family && c.member == r.missing) {
            g["sample"] = c.sample;
            g["proposal"] = c.proposal;
            g["person"] = c.person.value;
          }
        }
      }
      used.push_back(std::move(g));
    }
    nlohmann::ordered_json not_used = nlohmann::ordered_json::array();
    if (on_register) {
      for (const app::RegisterConditioning& c : on_register->dna.conditioning) {
        if (c.note.empty()) continue;
        not_used.push_back(
            {{"proposal", c.proposal}, {"person", c.person.value}, {"reason", c.note}});
      }
    }
    summary["conditioning"] = {
        {"source", on_register              ? "the register's confirmed identifications"
                   : opt.identified.empty() ? "none"
                                            : "--identified"},
        {"given", on_register ? on_register->dna.input.identified.size() : input.identified.size()},
        {"used", used},
        {"not_used", not_used}};
  }
  nlohmann::ordered_json seconds = {{"read", read_s}};
  for (const auto& [stage, s] : stage_seconds) seconds[stage] = s;
  seconds["total"] = total_s;
  summary["seconds"] = seconds;
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const auto& s : rep.skipped) skipped.push_back({{"item", s.item}, {"reason", s.reason}});
  summary["skipped"] = skipped;
  nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
  for (const auto& s : rep.warnings) warnings.push_back({{"item", s.item}, {"reason", s.reason}});
  summary["warnings"] = warnings;
  summary["conflicts"] = rep.conflicts;

  // The run id (app/identify_run.h): the inputs' bytes, the options, the result files and the
  // summary without what may differ between two runs of the same input (run, software, paths,
  // timings).
  std::vector<OutputFile> files = ResultFiles(rep);
  {
    nlohmann::ordered_json summary_results = summary;
    for (const char* key : {"run", "software", "inputs", "seconds"}) summary_results.erase(key);
    const std::string summary_text = summary_results.dump();
    std::vector<app::RunPart> inputs, results;
    for (const auto& [name, bytes] : input_bytes) inputs.push_back({name, bytes});
    for (const auto& f : files) results.push_back({f.name, f.text});
    results.push_back({"summary", summary_text});
    summary["run"] = app::IdentifyRunId(inputs, opt.run, results, input.identified);
  }
  if (on_register) {
    // The run recorded in the register (its id covers the data read, the options and the
    // decisions: app::RunIdentificationOnRegister), what it left out and what it proposed.
    summary["run"] = on_register->run.run;
    nlohmann::ordered_json left_out = nlohmann::ordered_json::object();
    for (const auto& [reason, n] : on_register->dna.left_out) left_out[reason] = n;
    const app::ProposeFromRunResult& p = on_register->run.proposals;
    nlohmann::ordered_json without_site = nlohmann::ordered_json::object();
    for (const auto& [note, n] : p.without_site) without_site[note] = n;
    summary["register"] = {{"run_source", on_register->run.run_source},
                           {"families_considered", on_register->dna.families_considered},
                           {"left_out", left_out},
                           {"proposed", p.proposed},
                           {"proposed_ambiguous", p.ambiguous},
                           {"case_not_open", p.not_open},
                           {"already_proposed", p.repeated},
                           {"without_site", without_site}};
  }
  files.push_back({"summary.json", summary.dump(2) + "\n"});
  // The evidence of every candidate of a decision (registry/identification_evidence.h), recorded
  // with the proposals by `import identifications`. Not part of the run id: it follows from the
  // inputs and options.
  {
    app::EvidenceContext context;
    context.software = app::SoftwareName();
    for (const auto& [name, bytes] : input_bytes) {
      if (std::string_view(name) == "frequencies") {
        context.frequencies = std::filesystem::path(opt.frequencies).filename().string() +
                              ", SHA-256 " + registry::Sha256Hex(bytes);
      }
    }
    files.push_back(
        {"evidence.txt", registry::EncodeEvidenceList(app::EvidenceOfRun(rep, opt.run, context))});
  }

  std::error_code ec;
  std::filesystem::create_directories(opt.out, ec);
  if (ec) {
    PrintError(opt.out + ": cannot create the output folder: " + ec.message());
    return kExitFailure;
  }
  if (auto st = WriteOutputs(opt.out, files); !st) {
    PrintError(st.error().ToString());
    return kExitFailure;
  }
  if (opt.json) {
    std::cout << summary.dump(2) << "\n";
  } else {
    std::printf(
        "Identification of %d samples against %d families (%d missing persons), %zu markers\n",
        rep.samples, rep.families, rep.missing_persons, rep.markers.size());
    std::printf("  individuals:     %d (MNI %d) from %d usable samples; %zu conflicts noted\n",
                rep.individual_count, rep.mni, rep.samples_used, rep.conflicts.size());
    std::printf("  screened pairs:  %llu; re-scored exactly: %d\n",
                static_cast<unsigned long long>(rep.screen_pairs), rep.rescored);
    const std::string filter =
        rep.screen_is_filter ? " (a filter for " + rep.screen_mutation_requested.ToString() + ")"
                             : std::string();
    std::printf("  models:          exact LRs %s, theta %g; screen %s, theta 0%s\n",
                opt.run.mutation.male.ToString().c_str(), opt.run.theta,
                rep.screen_mutation.ToString().c_str(), filter.c_str());
    std::printf(
        "  amelogenin:      %llu pairs excluded (Y, missing woman), %d listed; %d matches "
        "flagged (X only, missing man)\n",
        static_cast<unsigned long long>(rep.sex_excluded_pairs), rep.sex_excluded_listed,
        rep.sex_flagged_matches);
    std::printf("  identified:      %d; ambiguous: %d; not identified: %d\n", rep.identified,
                rep.ambiguous, rep.not_identified);
    if (!summary["conditioning"]["used"].empty() || !summary["conditioning"]["not_used"].empty()) {
      std::printf(
          "  conditioned on:  %zu identifications given (%s), %zu not used (see "
          "summary.json conditioning)\n",
          summary["conditioning"]["used"].size(),
          summary["conditioning"]["source"].get<std::string>().c_str(),
          summary["conditioning"]["given"].get<size_t>() - summary["conditioning"]["used"].size() +
              summary["conditioning"]["not_used"].size());
    }
    std::printf("  skipped items:   %zu; warnings: %zu (see summary.json)\n", rep.skipped.size(),
                rep.warnings.size());
    std::printf("  time:            %.2f s\n", total_s);
    std::printf(
        "  results in %s: individuals.csv matches.csv identifications.csv candidates.csv "
        "targets.csv summary.json evidence.txt\n",
        opt.out.c_str());
    std::printf("  run:             %s\n", summary["run"].get<std::string>().c_str());
    if (on_register) {
      const app::ProposeFromRunResult& p = on_register->run.proposals;
      int without_site = 0;
      for (const auto& [note, n] : p.without_site) without_site += n;
      std::printf(
          "  register:        run recorded as source %lld; %d families considered; %d "
          "proposals recorded for review (%d ambiguous, %d without a site); skipped %d whose "
          "case is not open, %d already proposed from this run\n",
          static_cast<long long>(on_register->run.run_source), on_register->dna.families_considered,
          p.proposed, p.ambiguous, without_site, p.not_open, p.repeated);
      int left = 0;
      for (const auto& [reason, n] : on_register->dna.left_out) left += n;
      std::printf("  left out:        %d\n", left);
      for (const auto& [reason, n] : on_register->dna.left_out) {
        std::printf("    %d %s\n", n, reason.c_str());
      }
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterIdentify(CLI::App& root, int& exit_code) {
  auto opt = std::make_shared<IdentifyCliOptions>();
  auto& r = opt->run;
  auto* cmd = root.add_subcommand(
      "identify",
      "Identify remains against family pedigrees: re-associate samples into individuals, screen "
      "them against every missing person, re-score candidates exactly and assign identities "
      "jointly.\nAmelogenin (AMEL rows of the allele tables): an individual showing Y is never "
      "proposed for a missing woman (strong excluded pairs are listed in matches.csv with "
      "sex_check 'excluded'); X only is flagged for a missing man, never excluded (Y drop-out). "
      "Samples showing Y and X only are joined only if the X-only one may have lost its Y "
      "(--dropout > 0), and reported as a conflict");
  cmd->add_option("--families", opt->families,
                  "Families file (CSV/TSV: family, id, father, mother, sex, role, sample); "
                  "required unless --fam or --db");
  cmd->add_option("--references", opt->references,
                  "Allele table of the reference samples; one allele cell is a homozygote, '-' in "
                  "a cell an allele not designated ('12' and '-': 12 plus any allele); required "
                  "unless --fam");
  cmd->add_option("--remains", opt->remains,
                  "Remains file (sample, bag, site); required unless --fam or --db");
  cmd->add_option("--remains-alleles", opt->remains_alleles,
                  "Allele table of the remains samples; required unless --fam or --db");
  cmd->add_option("--db", opt->db,
                  "Run on the register's own data instead of files: its families (missing persons "
                  "with relatives as pedigrees), reference profiles whose consent allows "
                  "identification, and remains profiles (bags and sites of the register); the run "
                  "and its decisions are recorded as proposals for review (SQLite path or "
                  "postgresql:// URI)");
  AddEventMetaOptions(cmd, &opt->meta);
  cmd->add_option("--fam", opt->fam,
                  "A Familias .fam file with a DVI section instead of the five input files: "
                  "unidentified persons are the remains (one sample per bag), reference families "
                  "the families; its database, per-marker mutation models and theta are used, and "
                  "its [Advanced] drop-out unless --dropout is given (docs/formats.md)");
  cmd->add_option("--write-fam", opt->write_fam,
                  "Also write the inputs as a Familias DVI .fam file (remains samples as "
                  "unidentified persons; bags and sites are not written)");
  cmd->add_option("--mutation-models", opt->mutation_models,
                  "Per-marker mutation models (TSV/CSV: marker, model, rate, rate2, range, "
                  "optional sex both|male|female); other markers use --mutation");
  cmd->add_option("--frequencies", opt->frequencies,
                  "Frequency database (TSV marker, allele, frequency); default: "
                  "NorwegianFrequencies.tsv of the "
                  "data folder");
  cmd->add_option("--out", opt->out,
                  "Output folder (created if absent; its result files are replaced)")
      ->required();
  cmd->add_option("--dropout", r.remains_dropout,
                  "Drop-out probability of remains samples: one allele shown (also written with "
                  "'-') may hide a second one")
      ->check(CLI::Range(0.0, 0.999999))
      ->capture_default_str();
  cmd->add_option("--mutation", opt->mutation,
                  "Mutation model of the exact LRs: none, equal, proportional, stepwise")
      ->capture_default_str();
  cmd->add_option("--mutation-rate", opt->mutation_rate, "Mutation rate of the exact LRs")
      ->check(CLI::Range(0.0, 0.999999))
      ->capture_default_str();
  cmd->add_option("--mutation-rate2", opt->mutation_rate2,
                  "Stepwise: rate of changes to another allele class")
      ->capture_default_str();
  cmd->add_option("--mutation-range", opt->mutation_range,
                  "Stepwise: range (weight ratio per step)")
      ->capture_default_str();
  cmd->add_option("--theta", r.theta, "Subpopulation correction (Balding-Nichols) of the exact LRs")
      ->check(CLI::Range(0.0, 0.999999))
      ->capture_default_str();
  cmd->add_option("--screen-mutation", opt->screen_mutation,
                  "Mutation model of the screen: auto (the exact model), none, proportional, equal "
                  "or stepwise. The screen tabulates none and proportional exactly; for equal and "
                  "stepwise it uses proportional with the same total rate as a filter, and the "
                  "kept pairs are re-scored exactly (summary.json says which model each number "
                  "used). none loses true matches with a mutation unless they are in the top-k")
      ->capture_default_str();
  cmd->add_option("--screen-mutation-rate", opt->screen_mutation_rate,
                  "Mutation rate of the screen, with --screen-mutation (default: --mutation-rate)");
  cmd->add_option("--top-k", r.top_k,
                  "Candidates per individual re-scored exactly (besides those above --screen-lr)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--screen-lr", r.screen_lr_threshold,
                  "Re-score every pair whose screen LR is at least this")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--reassociation-lr", r.reassociation_lr,
                  "Same-person LR at which two remains samples are joined into one individual")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--posterior", r.posterior_threshold,
                  "Posterior probability needed to identify (more than 0, at most 1)")
      ->check(CLI::Range(1e-300, 1.0))
      ->capture_default_str();
  cmd->add_option("--lr", r.lr_threshold, "LR needed to identify (> 0)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option(
      "--prior-none", opt->prior_none,
      "Prior probability that an individual is none of the listed missing persons (the rest is "
      "uniform over the list); default: 1/(N+1), uniform over the list and none");
  cmd->add_option_function<std::string>(
         "--minimum-frequency",
         [&r](const std::string& text) {
           auto v = ParseMinimumFrequency(text, /*zero_allowed=*/true);
           if (!v) throw CLI::ValidationError("--minimum-frequency", v.error().message);
           r.minimum_frequency_from_size = !v->has_value();
           if (v->has_value()) r.minimum_frequency = **v;
         },
         "Frequency of alleles absent from the database (0: such alleles are refused and their "
         "marker skipped for that sample), or 5/2N: each marker's 5/(2N) from the database size N "
         "the table gives (a marker without N adds nothing, stated in the warnings). A marker with "
         "a rest allele gives them its frequency instead (warned)")
      ->default_str("0.001");
  cmd->add_option("--amelogenin-y-loss", opt->y_loss,
                  "Amelogenin as evidence: probability that a man's sample shows X only (Y "
                  "drop-out or AMELY deletion); an X-only individual then weighs this against "
                  "each missing man in the posteriors (default: X only is only flagged)");
  cmd->add_option("--identified", opt->identified,
                  "Identifications already confirmed (CSV: individual, family, missing; the "
                  "individual by its id or a sample name): they enter their family's pedigree as "
                  "typed members for everything else and are not scored again");
  cmd->add_option("--max-inconsistent", r.max_inconsistent_markers,
                  "dvir's exclusion rule: a pair with more than K markers inconsistent without "
                  "mutation is not a candidate (listed in matches.csv, posterior 0); -1: off")
      ->capture_default_str();
  cmd->add_option("--max-family-assignments", r.max_family_assignments,
                  "Partial assignments (pedigree computations) a family with several missing "
                  "persons may need to be scored jointly, at the highest family bar (0.01); "
                  "beyond, it is scored pairwise, with a warning (0: never jointly, the pairwise "
                  "model)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--family-budget", r.family_budget,
                  "A family whose table would hold more partial assignments than this keeps only "
                  "its candidates of individual posterior 10, 100, ... times the joint bar (up to "
                  "0.01; those lifted over it by a probable victim among them stay), each raised "
                  "bar warned; when no bar keeps it within this, the lowest whose table is at "
                  "most twice the one at 0.01, within --max-family-assignments")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000000));
  cmd->add_option("--joint-min-posterior", r.joint_min_posterior,
                  "Candidates whose individual posterior is below this stay out of the joint "
                  "enumeration of a group (0: every candidate joins; a posterior moves by at most "
                  "about this much per candidate left out)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 0.01));
  cmd->add_option("--threads", r.threads, "Threads (0: all cores); results do not depend on it")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str();
  cmd->add_flag("--json", opt->json, "Print summary.json on stdout instead of the short report");
  cmd->add_flag("--quiet", opt->quiet, "No progress bar");
  cmd->callback([opt, cmd, &exit_code] {
    for (const auto* o : cmd->get_options()) {
      if (o->count() > 0) opt->given.push_back(o->get_name());
    }
    exit_code = RunIdentify(*opt);
  });
}

void RegisterExport(CLI::App& root, int& exit_code) {
  CLI::App* exp = root.add_subcommand("export", "the register's data in exchange formats");
  exp->require_subcommand(1);
  struct Options {
    std::string db, out;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = exp->add_subcommand(
      "dna",
      "write the register's DNA data as the files of docs/FORMATS.md: families.csv (missing "
      "persons with their relatives as pedigrees), references.tsv (reference profiles whose "
      "consent allows identification), remains.csv (samples with the remains' labels as bags and "
      "their sites), remains-alleles.tsv");
  AddDbOption(cmd, &opt->db);
  cmd->add_option("--out", opt->out, "output folder (created if absent; the files are replaced)")
      ->required();
  SetCallback(cmd, exit_code, [opt]() -> Status {
    WB_ASSIGN_OR_RETURN(OpenedRegistry reg, OpenRegistry(opt->db, false));
    WB_ASSIGN_OR_RETURN(const app::RegisterDna dna,
                        app::CollectRegisterDna(*reg.registry, *reg.store));
    std::error_code ec;
    std::filesystem::create_directories(opt->out, ec);
    if (ec) {
      return MakeError(ErrorCode::kIo, "cannot create the output folder: " + ec.message(),
                       opt->out);
    }
    std::vector<OutputFile> files;
    const auto texts = RegisterDnaFiles(dna);
    for (const auto& [name, text] : texts) files.push_back({name.c_str(), text});
    WB_RETURN_IF_ERROR(WriteOutputs(opt->out, files));
    fmt::print(
        "wrote {} families, {} reference profiles, {} remains samples to {} (families.csv, "
        "references.tsv, remains.csv, remains-alleles.tsv)\n",
        dna.input.families.size(), dna.input.references.size(), dna.input.remains.size(), opt->out);
    for (const auto& [reason, n] : dna.left_out) fmt::print("left out: {} {}\n", n, reason);
    return {};
  });
}

}  // namespace whereabouts::cli
