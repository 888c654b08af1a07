// `whereabouts simulate --out DIR [...]`: a synthetic identification scenario with its truth, in
// the exchange formats of docs/FORMATS.md (see docs/simulate.md).
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "io/allele_table.h"
#include "io/delimited.h"
#include "io/families_csv.h"
#include "io/frequency_tsv.h"
#include "io/remains_csv.h"
#include "kinship/simulate.h"

namespace whereabouts::cli {
namespace {

struct SimulateOptions {
  std::string out;
  std::string frequencies;
  std::string markers;
  std::string relatives = "1,3";
  std::string bag_samples = "1,4";
  std::string grave_samples = "1,3";
  std::string household_missing = "2,6";
  std::string dropout = "0.02,0.2";
  std::string mutation = "stepwise";
  double mutation_rate = 0.002;
  double mutation_rate2 = 1e-6;
  double mutation_range = 0.1;
  kinship::SimulationOptions sim;
};

// "A,B" -> (A, B); a single number N -> (N, N).
template <typename T>
Result<std::pair<T, T>> ParseRange(const std::string& text, const std::string& option) {
  std::string a = text, b = text;
  if (const auto comma = text.find(','); comma != std::string::npos) {
    a = text.substr(0, comma);
    b = text.substr(comma + 1);
  }
  auto parse = [&](const std::string& s) -> Result<T> {
    std::istringstream in(s);
    T v{};
    in >> v;
    if (in.fail() || !(in >> std::ws).eof()) {
      return MakeError(ErrorCode::kInvalidArgument, "'" + text + "' is not MIN,MAX", option);
    }
    return v;
  };
  WB_ASSIGN_OR_RETURN(T lo, parse(a));
  WB_ASSIGN_OR_RETURN(T hi, parse(b));
  return std::make_pair(lo, hi);
}

std::string Join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) {
    if (!out.empty()) out += ' ';
    out += id;
  }
  return out;
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

Status WriteScenario(const kinship::SimulatedScenario& s, const std::string& frequency_text,
                     const std::filesystem::path& dir) {
  auto path = [&](const char* name) { return (dir / name).string(); };
  WB_RETURN_IF_ERROR(io::WriteFamilies(path("families.csv"), s.families));
  WB_RETURN_IF_ERROR(io::WriteAlleleTable(path("references.tsv"), s.references));
  WB_RETURN_IF_ERROR(io::WriteRemains(path("remains.csv"), s.remains));
  WB_RETURN_IF_ERROR(io::WriteAlleleTable(path("remains-alleles.tsv"), s.remains_profiles));
  WB_RETURN_IF_ERROR(io::WriteTextFile(path("frequencies.tsv"), frequency_text));
  io::DelimitedWriter truth(',');
  truth.Row({"sample", "bag", "site", "family", "missing", "individual", "dropout"});
  for (const auto& t : s.truth) {
    truth.Row({t.sample, t.bag, t.site, t.family.empty() ? "unrelated" : t.family, t.missing,
               t.individual, Fixed(t.dropout)});
  }
  WB_RETURN_IF_ERROR(io::WriteTextFile(path("truth.csv"), truth.text()));
  io::DelimitedWriter persons(',');
  persons.Row({"individual", "family", "missing", "sex", "remains_samples", "typed_relatives"});
  std::vector<kinship::Profile> genotypes;
  genotypes.reserve(s.persons.size());
  for (const auto& p : s.persons) {
    persons.Row({p.individual, p.family.empty() ? "unrelated" : p.family, p.missing,
                 kinship::SexName(p.sex), std::to_string(p.remains_samples),
                 Join(p.typed_relatives)});
    genotypes.push_back(p.genotype);
  }
  WB_RETURN_IF_ERROR(io::WriteTextFile(path("truth-persons.csv"), persons.text()));
  WB_RETURN_IF_ERROR(io::WriteAlleleTable(path("truth-alleles.tsv"), genotypes));
  return {};
}

int RunSimulate(SimulateOptions opt) {
  auto& sim = opt.sim;
  auto relatives = ParseRange<int>(opt.relatives, "--relatives");
  auto bag_samples = ParseRange<int>(opt.bag_samples, "--bag-samples");
  auto grave_samples = ParseRange<int>(opt.grave_samples, "--grave-samples");
  auto dropout = ParseRange<double>(opt.dropout, "--dropout");
  auto household_missing = ParseRange<int>(opt.household_missing, "--household-missing");
  auto kind = kinship::ParseMutationKind(opt.mutation);
  for (const Error* e :
       {relatives ? nullptr : &relatives.error(), bag_samples ? nullptr : &bag_samples.error(),
        grave_samples ? nullptr : &grave_samples.error(), dropout ? nullptr : &dropout.error(),
        kind ? nullptr : &kind.error(), household_missing ? nullptr : &household_missing.error()}) {
    if (e != nullptr) {
      PrintError(e->ToString());
      return kExitBadInput;
    }
  }
  std::tie(sim.min_relatives, sim.max_relatives) = *relatives;
  std::tie(sim.min_bag_samples, sim.max_bag_samples) = *bag_samples;
  std::tie(sim.min_grave_samples, sim.max_grave_samples) = *grave_samples;
  std::tie(sim.min_dropout, sim.max_dropout) = *dropout;
  std::tie(sim.min_household_missing, sim.max_household_missing) = *household_missing;
  sim.mutation = kinship::MutationModel::Same(
      {*kind, opt.mutation_rate, opt.mutation_rate2, opt.mutation_range});
  if (!opt.markers.empty()) {
    std::istringstream in(opt.markers);
    std::string m;
    while (std::getline(in, m, ',')) {
      if (!m.empty()) sim.markers.push_back(m);
    }
  }
  if (opt.frequencies.empty())
    opt.frequencies = (std::filesystem::path(DataDir()) / "NorwegianFrequencies.tsv").string();
  auto text = io::ReadTextFile(opt.frequencies);
  if (!text) {
    PrintError("frequency database: " + text.error().ToString());
    return kExitBadInput;
  }
  auto db = io::ParseFrequencyTsv(*text, opt.frequencies);
  if (!db) {
    PrintError(db.error().ToString());
    return kExitBadInput;
  }
  auto scenario = kinship::Simulate(sim, *db);
  if (!scenario) {
    PrintError("simulate: " + scenario.error().ToString());
    return kExitBadInput;
  }
  std::error_code ec;
  std::filesystem::create_directories(opt.out, ec);
  if (ec) {
    PrintError(opt.out + ": cannot create the output folder: " + ec.message());
    return kExitFailure;
  }
  if (auto written = WriteScenario(*scenario, *text, opt.out); !written) {
    PrintError(written.error().ToString());
    return kExitFailure;
  }
  const auto& s = scenario->summary;
  std::cout << "Simulated scenario (seed " << sim.seed << ", " << scenario->markers.size()
            << " markers, mutation " << sim.mutation.male.ToString() << ") in " << opt.out << "\n"
            << "  families:         " << s.families << " (" << s.families_with_two_missing
            << " with two missing brothers), " << s.references << " typed references\n"
            << "  missing persons:  " << s.missing_persons << "\n"
            << "  remains:          " << s.remains_samples << " samples in " << s.bags << " bags ("
            << s.commingled_bags << " commingled) from " << s.persons_with_remains << " persons ("
            << s.persons_in_several_bags << " in several bags); " << s.identifiable
            << " are missing persons, " << s.persons_with_remains - s.identifiable << " unrelated\n"
            << "  households:       " << s.households
            << " (missing persons killed together, each household in its own grave)\n"
            << "  files:            families.csv references.tsv remains.csv remains-alleles.tsv "
               "frequencies.tsv\n"
            << "  truth:            truth.csv (per sample) truth-persons.csv truth-alleles.tsv\n";
  return kExitOk;
}

}  // namespace

void RegisterSimulate(CLI::App& root, int& exit_code) {
  auto opt = std::make_shared<SimulateOptions>();
  auto& s = opt->sim;
  auto* cmd = root.add_subcommand("simulate",
                                  "Write a synthetic identification scenario (families, "
                                  "references, remains in bags and graves, "
                                  "frequencies) in the formats of FORMATS.md, with the truth "
                                  "beside it. Deterministic for a seed.");
  cmd->add_option("--out", opt->out, "Output folder (created if absent; files in it are replaced)")
      ->required();
  cmd->add_option("--seed", s.seed, "Random seed: the same seed and options give the same files")
      ->capture_default_str();
  cmd->add_option(
      "--frequencies", opt->frequencies,
      "Frequency database (TSV marker, allele, frequency); default: NorwegianFrequencies.tsv "
      "of the data folder (20 markers; NorwegianFrequencies35.tsv has 35)");
  cmd->add_option("--markers", opt->markers,
                  "Comma-separated markers to type; default: every marker of the database");
  cmd->add_option("--missing", s.missing_persons, "Missing persons over all families")
      ->capture_default_str();
  cmd->add_option(
         "--relatives", opt->relatives,
         "MIN,MAX typed relatives per family (parents, full siblings, children, half-siblings, "
         "uncles), drawn uniformly")
      ->capture_default_str();
  cmd->add_option("--households", s.households,
                  "Households: families whose 2-6 missing persons (father, mother, children) lie "
                  "together in their own grave, with 1-3 surviving relatives typed (after "
                  "--relatives, at most 4 kinds)")
      ->capture_default_str();
  cmd->add_option("--household-missing", opt->household_missing,
                  "MIN,MAX missing persons per household")
      ->capture_default_str();
  cmd->add_option("--two-brothers", s.two_brothers,
                  "Probability that a family has two missing brothers")
      ->capture_default_str();
  cmd->add_option("--bags", s.bags,
                  "Bags holding the remains of the bag persons (at most --bag-persons)")
      ->capture_default_str();
  cmd->add_option("--bag-persons", s.bag_persons, "Persons whose remains are spread over the bags")
      ->capture_default_str();
  cmd->add_option("--bag-samples", opt->bag_samples, "MIN,MAX samples per bag person")
      ->capture_default_str();
  cmd->add_option("--bag-spread", s.bag_spread,
                  "Probability that a bag person's second or later sample lies in another bag")
      ->capture_default_str();
  cmd->add_option("--grave-persons", s.grave_persons, "Persons whose remains come from the graves")
      ->capture_default_str();
  cmd->add_option("--graves", s.graves, "Graves (sites); each grave person has one body bag")
      ->capture_default_str();
  cmd->add_option("--grave-samples", opt->grave_samples, "MIN,MAX samples per grave person")
      ->capture_default_str();
  cmd->add_option(
         "--grave-spread", s.grave_spread,
         "Probability that a grave person's later sample lies in another body bag of that grave")
      ->capture_default_str();
  cmd->add_option(
         "--unrelated", s.unrelated,
         "How many of the bag and grave persons belong to no family (the rest are missing persons)")
      ->capture_default_str();
  cmd->add_option(
         "--dropout", opt->dropout,
         "MIN,MAX allele drop-out probability of a remains sample, drawn uniformly per sample")
      ->capture_default_str();
  cmd->add_option("--missing-markers", s.missing_marker_rate,
                  "Probability that a marker of a remains sample is not typed (degradation)")
      ->capture_default_str();
  cmd->add_option("--reference-missing-markers", s.reference_missing_marker_rate,
                  "Probability that a marker of a reference is not typed")
      ->capture_default_str();
  cmd->add_option("--mutation", opt->mutation,
                  "Mutation model of every transmission: none, equal, "
                  "proportional, stepwise")
      ->capture_default_str();
  cmd->add_option("--mutation-rate", opt->mutation_rate, "Mutation rate")->capture_default_str();
  cmd->add_option("--mutation-rate2", opt->mutation_rate2,
                  "Stepwise: rate of changes to another allele class")
      ->capture_default_str();
  cmd->add_option("--mutation-range", opt->mutation_range,
                  "Stepwise: range (weight ratio per step)")
      ->capture_default_str();
  cmd->callback([opt, &exit_code] { exit_code = RunSimulate(*opt); });
}

}  // namespace whereabouts::cli
