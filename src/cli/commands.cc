#include "cli/commands.h"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "common/numbers.h"

namespace whereabouts::cli {

void RegisterKinship(CLI::App& root, int& exit_code);
void RegisterPerson(CLI::App& root, int& exit_code);
void RegisterReport(CLI::App& root, int& exit_code);
void RegisterDemo(CLI::App& root, int& exit_code);
void RegisterSimulate(CLI::App& root, int& exit_code);
void RegisterList(CLI::App& root, int& exit_code);
void RegisterKey(CLI::App& root, int& exit_code);
void RegisterSite(CLI::App& root, int& exit_code);
void RegisterRemains(CLI::App& root, int& exit_code);
void RegisterCustody(CLI::App& root, int& exit_code);
void RegisterReference(CLI::App& root, int& exit_code);
void RegisterExport(CLI::App& root, int& exit_code);
void RegisterImport(CLI::App& root, int& exit_code);
void RegisterIncident(CLI::App& root, int& exit_code);
void RegisterSource(CLI::App& root, int& exit_code);
void RegisterIdentify(CLI::App&, int&);
void RegisterIdentification(CLI::App& root, int& exit_code);
void RegisterServe(CLI::App& root, int& exit_code);
void RegisterUser(CLI::App& root, int& exit_code);
void RegisterAudit(CLI::App& root, int& exit_code);
void RegisterConvert(CLI::App& root, int& exit_code);
void RegisterVerify(CLI::App& root, int& exit_code);
void RegisterDb(CLI::App& root, int& exit_code);

namespace {
constexpr Registrar kRegistrars[] = {
    RegisterKinship,
    RegisterPerson,
    RegisterReport,
    RegisterDemo,
    RegisterSimulate,
    RegisterList,
    RegisterKey,
    RegisterSite,
    RegisterRemains,
    RegisterCustody,
    RegisterReference,
    RegisterExport,
    RegisterImport,
    RegisterIncident,
    RegisterSource,
    RegisterIdentify,
    RegisterIdentification,
    RegisterServe,
    RegisterUser,
    RegisterAudit,
    RegisterConvert,
    RegisterVerify,
    RegisterDb,
};
}  // namespace

const Registrar* Registrars(int* count) {
  *count = static_cast<int>(std::size(kRegistrars));
  return kRegistrars;
}

std::string DataDir() {
  if (const char* env = std::getenv("WHEREABOUTS_DATA"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::path(WHEREABOUTS_DATA_DIR) / "NorwegianFrequencies.tsv", ec)) {
    return WHEREABOUTS_DATA_DIR;
  }
  return WHEREABOUTS_SOURCE_DATA_DIR;
}

Result<std::optional<double>> ParseMinimumFrequency(const std::string& text, bool zero_allowed) {
  std::string upper;
  for (char c : text) {
    if (c != ' ') upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (upper == "5/2N") return std::optional<double>();
  auto v = ParseDecimal(text, "--minimum-frequency");
  if (!v || !((zero_allowed ? *v >= 0.0 : *v > 0.0) && *v < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("must be a frequency in ") + (zero_allowed ? "[0, 1)" : "(0, 1)") +
                         " or 5/2N (from each marker's database size N), not '" + text + "'",
                     "--minimum-frequency");
  }
  return std::optional<double>(*v);
}

void PrintError(const std::string& message) { std::cerr << "whereabouts: " << message << "\n"; }

}  // namespace whereabouts::cli
