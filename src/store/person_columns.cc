#include "store/person_columns.h"

#include <nlohmann/json.hpp>

namespace whereabouts::store {

std::string JoinNames(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '|';
    out += parts[i];
  }
  return out;
}

std::vector<std::string> SplitNames(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t bar = text.find('|', start);
    if (bar == std::string::npos) bar = text.size();
    if (bar > start) out.push_back(text.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

std::string PayloadToJson(const registry::Fields& fields) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : fields) j[k] = v;
  return j.dump();
}

Result<registry::Fields> PayloadFromJson(const std::string& text) {
  registry::Fields f;
  try {
    auto j = nlohmann::json::parse(text);
    for (auto it = j.begin(); it != j.end(); ++it) {
      f.emplace(it.key(),
                it.value().is_string() ? it.value().get<std::string>() : it.value().dump());
    }
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kIo, std::string("corrupt event payload: ") + e.what());
  }
  return f;
}

}  // namespace whereabouts::store
