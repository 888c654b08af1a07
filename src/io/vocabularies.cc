#include "io/vocabularies.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace whereabouts::io {

Result<registry::Vocabularies> ParseVocabularies(std::string_view text, const std::string& source) {
  registry::Vocabularies v = registry::Vocabularies::Defaults();
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "expected a JSON object of lists", source);
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::set<std::string, std::less<>>* target = nullptr;
    if (it.key() == "relationships") target = &v.relationships;
    if (it.key() == "site_kinds") target = &v.site_kinds;
    if (it.key() == "incident_categories") target = &v.incident_categories;
    if (target == nullptr) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "unknown key '" + it.key() + "' (known: relationships, site_kinds, incident_categories)",
          source);
    }
    if (!it.value().is_array()) {
      return MakeError(ErrorCode::kInvalidArgument, "expected a list of values",
                       source + ": " + it.key());
    }
    for (const auto& value : it.value()) {
      if (!value.is_string() || value.get<std::string>().empty()) {
        return MakeError(ErrorCode::kInvalidArgument, "expected non-empty strings",
                         source + ": " + it.key());
      }
      target->insert(value.get<std::string>());
    }
  }
  return v;
}

Result<registry::Vocabularies> ReadVocabularies(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return registry::Vocabularies::Defaults();
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseVocabularies(text.str(), path);
}

}  // namespace whereabouts::io
