// `whereabouts kinship lr FILE.json [--json]`: likelihood ratios of kinship cases.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "io/frequency_tsv.h"
#include "io/kinship_case_json.h"
#include "kinship/lr.h"

namespace whereabouts::cli {
namespace {

std::string Full(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

struct LrOptions {
  std::string file;
  bool json = false;
  double minimum_frequency = 0.0;
  bool minimum_frequency_from_size = false;  // --minimum-frequency 5/2N
};

void PrintTable(const io::CaseEntry& entry, const kinship::LrResult& r, const std::string& freq_file) {
  const auto& k = entry.kinship_case;
  std::cout << "Case " << k.id << "\n";
  if (!k.description.empty()) std::cout << "  " << k.description << "\n";
  std::cout << "  frequencies: " << freq_file << "\n";
  std::cout << "  mutation: ";
  if (k.mutation.male.ToString() == k.mutation.female.ToString()) {
    std::cout << k.mutation.male.ToString();
  } else {
    std::cout << "male " << k.mutation.male.ToString() << ", female " << k.mutation.female.ToString();
  }
  std::cout << "; theta: " << k.theta;
  for (const auto& [s, d] : k.dropout) std::cout << "; drop-out " << s << ": " << d;
  std::cout << "\n\n";
  std::printf("  %-12s %26s\n", "marker", "LR");
  for (const auto& m : r.per_marker) {
    std::printf("  %-12s %26s", m.marker.c_str(), Full(m.lr).c_str());
    if (!m.added_alleles.empty()) {
      std::printf("   (added at minimum frequency:");
      for (const auto& a : m.added_alleles) std::printf(" %s", a.c_str());
      std::printf(")");
    }
    if (!m.rest_alleles.empty()) {
      std::printf("   (not in the table, given the rest allele's frequency:");
      for (const auto& a : m.rest_alleles) std::printf(" %s", a.c_str());
      std::printf(")");
    }
    std::printf("\n");
  }
  std::printf("  %-12s %26s\n", "total LR", Full(r.lr).c_str());
  std::printf("  %-12s %26s\n\n", "log10 LR",
              std::isfinite(r.log10_lr) ? Full(r.log10_lr).c_str() : "-inf (LR = 0)");
}

int RunLr(const LrOptions& opt) {
  auto file = io::ReadCaseFile(opt.file);
  if (!file) {
    PrintError(file.error().ToString());
    return kExitBadInput;
  }
  std::map<std::string, kinship::FrequencyDatabase> databases;
  std::vector<std::pair<const io::CaseEntry*, kinship::LrResult>> results;
  for (auto& entry : file->cases) {
    if (opt.minimum_frequency > 0.0) entry.kinship_case.minimum_frequency = opt.minimum_frequency;
    if (opt.minimum_frequency_from_size) entry.kinship_case.minimum_frequency_from_size = true;
    auto it = databases.find(entry.frequencies_path);
    if (it == databases.end()) {
      auto db = io::ReadFrequencyFile(entry.frequencies_path);
      if (!db) {
        PrintError(opt.file + ": case " + entry.kinship_case.id + ": frequency file: " + db.error().ToString());
        return kExitBadInput;
      }
      it = databases.emplace(entry.frequencies_path, std::move(*db)).first;
    }
    auto r = kinship::ComputeLr(entry.kinship_case, it->second);
    if (!r) {
      PrintError(opt.file + ": " + r.error().ToString());
      return kExitBadInput;
    }
    results.emplace_back(&entry, std::move(*r));
  }
  if (opt.json) {
    if (file->collection) {
      nlohmann::ordered_json arr = nlohmann::ordered_json::array();
      for (const auto& [entry, r] : results) arr.push_back(io::LrResultToJson(r));
      std::cout << arr.dump(2) << "\n";
    } else {
      std::cout << io::LrResultToJson(results.front().second).dump(2) << "\n";
    }
  } else {
    for (const auto& [entry, r] : results) PrintTable(*entry, r, entry->frequencies_path);
  }
  return kExitOk;
}

}  // namespace

void RegisterKinship(CLI::App& root, int& exit_code) {
  auto* kinship = root.add_subcommand("kinship", "Kinship likelihood ratios on pedigrees");
  kinship->require_subcommand(1);
  auto opt = std::make_shared<LrOptions>();
  auto* lr = kinship->add_subcommand(
      "lr", "Compute LR = L(H1)/L(H2) for the case(s) in a whereabouts-kinship-cases/1 JSON file");
  lr->add_option("file", opt->file, "Case file: one case object, or {\"cases\": [...]}")->required();
  lr->add_flag("--json", opt->json, "Print JSON: one object per case (an array for a collection)");
  lr->add_option_function<std::string>(
      "--minimum-frequency",
      [opt](const std::string& text) {
        auto v = ParseMinimumFrequency(text, /*zero_allowed=*/false);
        if (!v) throw CLI::ValidationError("--minimum-frequency", v.error().message);
        opt->minimum_frequency_from_size = !v->has_value();
        if (v->has_value()) opt->minimum_frequency = **v;
      },
      "Add alleles absent from the database with this frequency (marker rescaled), or 5/2N: "
      "each marker's 5/(2N) from the database size N the table gives (an error at a marker "
      "without N); default: such an allele is an error. A marker with a rest allele gives them "
      "its frequency instead (stated)");
  lr->callback([opt, &exit_code] { exit_code = RunLr(*opt); });
}

}  // namespace whereabouts::cli
