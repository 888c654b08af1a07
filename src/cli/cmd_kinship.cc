// `whereabouts kinship lr FILE.json|FILE.fam [--json]`: likelihood ratios of kinship cases (our
// JSON cases, or the pedigrees of a Familias file against its reference pedigree), and
// `whereabouts kinship export-fam CASE.json --out F.fam`: a case as a Familias file.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>

#include "cli/commands.h"
#include "io/familias.h"
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
  std::string reference;  // .fam: the reference pedigree (empty: the last)
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
    std::cout << "male " << k.mutation.male.ToString() << ", female "
              << k.mutation.female.ToString();
  }
  for (const auto& [marker, m] : k.mutation.per_marker) {
    std::cout << "; " << marker << ": ";
    if (m.male == m.female) {
      std::cout << m.male.ToString();
    } else {
      std::cout << "male " << m.male.ToString() << ", female " << m.female.ToString();
    }
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

bool IsFamFile(const std::string& path) {
  if (path.size() < 4) return false;
  std::string ext = path.substr(path.size() - 4);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext == ".fam";
}

// A Familias file: every pedigree against the reference pedigree (io::FamToCases).
Result<io::CaseFile> ReadFamCases(const LrOptions& opt, kinship::FrequencyDatabase& db) {
  WB_ASSIGN_OR_RETURN(const auto fam, io::ReadFam(opt.file));
  WB_ASSIGN_OR_RETURN(db, io::FamDatabase(fam, opt.file));
  WB_ASSIGN_OR_RETURN(auto cases, io::FamToCases(fam, opt.reference, opt.file));
  io::CaseFile file;
  file.collection = true;
  for (auto& k : cases) {
    io::CaseEntry entry;
    entry.kinship_case = std::move(k);
    entry.frequencies_path = opt.file;
    file.cases.push_back(std::move(entry));
  }
  return file;
}

int RunLr(const LrOptions& opt) {
  std::map<std::string, kinship::FrequencyDatabase> databases;
  const bool fam = IsFamFile(opt.file);
  if (!fam && !opt.reference.empty()) {
    PrintError("--reference: only for a Familias .fam file");
    return kExitBadInput;
  }
  auto file = fam ? ReadFamCases(opt, databases[opt.file]) : io::ReadCaseFile(opt.file);
  if (!file) {
    PrintError(file.error().ToString());
    return kExitBadInput;
  }
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

struct ExportOptions {
  std::string file, out, case_id;
};

int RunExportFam(const ExportOptions& opt) {
  auto file = io::ReadCaseFile(opt.file);
  if (!file) {
    PrintError(file.error().ToString());
    return kExitBadInput;
  }
  const io::CaseEntry* entry = nullptr;
  for (const auto& e : file->cases) {
    if (opt.case_id.empty() ? file->cases.size() == 1 : e.kinship_case.id == opt.case_id)
      entry = &e;
  }
  if (entry == nullptr) {
    PrintError(opt.file + ": " +
               (opt.case_id.empty()
                    ? "holds " + std::to_string(file->cases.size()) + " cases; name one with --case"
                    : "no case '" + opt.case_id + "'"));
    return kExitBadInput;
  }
  auto db = io::ReadFrequencyFile(entry->frequencies_path);
  if (!db) {
    PrintError(opt.file + ": frequency file: " + db.error().ToString());
    return kExitBadInput;
  }
  auto fam = io::CaseToFam(entry->kinship_case, *db);
  if (!fam) {
    PrintError(opt.file + ": " + fam.error().ToString());
    return kExitBadInput;
  }
  if (auto st = io::WriteFam(opt.out, *fam); !st) {
    PrintError(opt.out + ": " + st.error().ToString());
    return st.error().code == ErrorCode::kIo ? kExitFailure : kExitBadInput;
  }
  std::cout << "wrote " << opt.out << " (case " << entry->kinship_case.id
            << ": pedigrees h1 and h2; `whereabouts kinship lr " << opt.out
            << "` gives L(h1)/L(h2))\n";
  return kExitOk;
}

}  // namespace

void RegisterKinship(CLI::App& root, int& exit_code) {
  auto* kinship = root.add_subcommand("kinship", "Kinship likelihood ratios on pedigrees");
  kinship->require_subcommand(1);
  auto opt = std::make_shared<LrOptions>();
  auto* lr = kinship->add_subcommand(
      "lr", "Compute LR = L(H1)/L(H2) for the case(s) in a whereabouts-kinship-cases/1 JSON file");
  lr->add_option("file", opt->file,
                 "Case file: one case object, or {\"cases\": [...]}; or a Familias .fam file "
                 "(every pedigree against the reference pedigree)")
      ->required();
  lr->add_option("--reference", opt->reference,
                 "For a .fam file: the name of the reference pedigree, the denominator of every LR "
                 "(default: the last pedigree)");
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
  auto ex = std::make_shared<ExportOptions>();
  auto* export_fam = kinship->add_subcommand(
      "export-fam", "Write a case of a whereabouts-kinship-cases/1 file as a Familias .fam file");
  export_fam->add_option("file", ex->file, "Case file")->required();
  export_fam->add_option("--out", ex->out, "The .fam file to write")->required();
  export_fam->add_option("--case", ex->case_id,
                         "The case's id (needed for a file of several cases)");
  export_fam->callback([ex, &exit_code] { exit_code = RunExportFam(*ex); });
}

}  // namespace whereabouts::cli
