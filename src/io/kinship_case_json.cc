#include "io/kinship_case_json.h"

#include <cmath>
#include <filesystem>

#include "io/frequency_tsv.h"

namespace whereabouts::io {
namespace {

using nlohmann::json;
using kinship::HypothesisPerson;

Result<std::vector<HypothesisPerson>> ParsePersons(const json& j, const std::string& where) {
  if (!j.is_array()) return MakeError(ErrorCode::kInvalidArgument, "must be an array of persons", where);
  std::vector<HypothesisPerson> out;
  for (const auto& p : j) {
    if (!p.is_object() || !p.contains("id") || !p["id"].is_string()) {
      return MakeError(ErrorCode::kInvalidArgument, "each person needs a string \"id\"", where);
    }
    HypothesisPerson hp;
    hp.individual.id = p["id"].get<std::string>();
    const std::string pw = where + ", individual " + hp.individual.id;
    auto sex = kinship::ParseSex(p.value("sex", std::string("unknown")));
    if (!sex) return MakeError(ErrorCode::kInvalidArgument, sex.error().message, pw);
    hp.individual.sex = *sex;
    if (p.contains("father") && !p["father"].is_null()) hp.individual.father = p["father"].get<std::string>();
    if (p.contains("mother") && !p["mother"].is_null()) hp.individual.mother = p["mother"].get<std::string>();
    if (p.contains("samples")) {
      if (!p["samples"].is_array()) return MakeError(ErrorCode::kInvalidArgument, "\"samples\" must be an array", pw);
      for (const auto& s : p["samples"]) hp.samples.push_back(s.get<std::string>());
    }
    out.push_back(std::move(hp));
  }
  return out;
}

Result<kinship::MutationSpec> ParseMutation(const json& j, const std::string& where) {
  kinship::MutationSpec spec;
  if (!j.is_object() || !j.contains("model")) {
    return MakeError(ErrorCode::kInvalidArgument, "needs a \"model\"", where);
  }
  auto kind = kinship::ParseMutationKind(j["model"].get<std::string>());
  if (!kind) return MakeError(ErrorCode::kInvalidArgument, kind.error().message, where);
  spec.kind = *kind;
  spec.rate = j.value("rate", 0.0);
  spec.rate2 = j.value("rate2", 0.0);
  spec.range = j.value("range", 0.0);
  if (spec.kind != kinship::MutationKind::kNone && !j.contains("rate")) {
    return MakeError(ErrorCode::kInvalidArgument, "needs a \"rate\"", where);
  }
  if (spec.kind == kinship::MutationKind::kStepwise && (!j.contains("rate2") || !j.contains("range"))) {
    return MakeError(ErrorCode::kInvalidArgument, "the stepwise model needs \"rate2\" and \"range\"", where);
  }
  WB_RETURN_IF_ERROR(kinship::ValidateMutationSpec(spec).map_error([&](Error e) { return WithContext(e, where); }));
  return spec;
}

bool IsAmelogenin(const std::string& canonical) {
  return canonical == "AMEL" || canonical == "AMELOGENIN";
}

Result<CaseEntry> ParseCase(const json& c, const std::string& path, size_t index) {
  std::string where = path + ": case #" + std::to_string(index + 1);
  if (!c.is_object()) return MakeError(ErrorCode::kInvalidArgument, "is not an object", where);
  CaseEntry entry;
  auto& k = entry.kinship_case;
  k.id = c.value("id", "case-" + std::to_string(index + 1));
  where = path + ": case " + k.id;
  k.description = c.value("description", "");
  if (!c.contains("frequencies") || !c["frequencies"].is_string()) {
    return MakeError(ErrorCode::kInvalidArgument, "needs \"frequencies\" (a file name)", where);
  }
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  entry.frequencies_path = (base / c["frequencies"].get<std::string>()).lexically_normal().string();
  if (!c.contains("markers") || !c["markers"].is_array() || c["markers"].empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "needs a non-empty \"markers\" array", where);
  }
  for (const auto& m : c["markers"]) k.markers.push_back(kinship::CanonicalMarkerName(m.get<std::string>()));
  if (c.contains("mutation")) {
    if (c["mutation"].is_object() && (c["mutation"].contains("male") || c["mutation"].contains("female"))) {
      WB_ASSIGN_OR_RETURN(k.mutation.male, ParseMutation(c["mutation"].value("male", json::object()), where + ": mutation.male"));
      WB_ASSIGN_OR_RETURN(k.mutation.female, ParseMutation(c["mutation"].value("female", json::object()), where + ": mutation.female"));
    } else {
      WB_ASSIGN_OR_RETURN(auto spec, ParseMutation(c["mutation"], where + ": mutation"));
      k.mutation = kinship::MutationModel::Same(spec);
    }
  }
  k.theta = c.value("theta", 0.0);
  if (c.contains("minimum_frequency")) k.minimum_frequency = c["minimum_frequency"].get<double>();
  if (c.contains("dropout")) {
    if (!c["dropout"].is_object()) return MakeError(ErrorCode::kInvalidArgument, "\"dropout\" must map samples to probabilities", where);
    for (const auto& [s, d] : c["dropout"].items()) k.dropout[s] = d.get<double>();
  }
  if (!c.contains("h1") || !c.contains("h2")) return MakeError(ErrorCode::kInvalidArgument, "needs \"h1\" and \"h2\"", where);
  WB_ASSIGN_OR_RETURN(k.h1, ParsePersons(c["h1"], where + ": h1"));
  WB_ASSIGN_OR_RETURN(k.h2, ParsePersons(c["h2"], where + ": h2"));
  if (!c.contains("genotypes") || !c["genotypes"].is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "needs a \"genotypes\" object", where);
  }
  for (const auto& [sample, markers] : c["genotypes"].items()) {
    if (!markers.is_object()) {
      return MakeError(ErrorCode::kInvalidArgument, "must map markers to genotypes", where + ": sample " + sample);
    }
    auto& calls = k.genotypes[sample];
    for (const auto& [marker, g] : markers.items()) {
      const std::string mw = where + ": sample " + sample + ", marker " + marker;
      const std::string name = kinship::CanonicalMarkerName(marker);
      if (IsAmelogenin(name)) continue;
      if (!g.is_string()) return MakeError(ErrorCode::kInvalidArgument, "genotype must be a string like \"12/14\"", mw);
      auto call = kinship::ParseGenotype(g.get<std::string>());
      if (!call) return MakeError(ErrorCode::kInvalidArgument, call.error().message, mw);
      calls[name] = *call;
    }
  }
  for (const auto& [s, d] : k.dropout) {
    if (k.genotypes.count(s) == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "drop-out is given for a sample without genotypes",
                       where + ": sample " + s);
    }
  }
  if (c.contains("expected") && c["expected"].is_object()) {
    ExpectedLr e;
    e.lr = c["expected"].value("lr", 0.0);
    if (c["expected"].contains("per_marker")) {
      for (const auto& [m, v] : c["expected"]["per_marker"].items()) e.per_marker[kinship::CanonicalMarkerName(m)] = v.get<double>();
    }
    entry.expected = e;
  }
  return entry;
}

}  // namespace

Result<CaseFile> ParseCaseFile(const std::string& text, const std::string& path) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("malformed JSON: ") + e.what(), path);
  }
  CaseFile file;
  try {
    if (doc.is_object() && doc.contains("cases")) {
      if (doc.contains("format") && doc["format"] != "whereabouts-kinship-cases/1") {
        return MakeError(ErrorCode::kInvalidArgument, "unsupported format " + doc["format"].dump(), path);
      }
      if (!doc["cases"].is_array()) return MakeError(ErrorCode::kInvalidArgument, "\"cases\" must be an array", path);
      file.collection = true;
      for (size_t i = 0; i < doc["cases"].size(); ++i) {
        WB_ASSIGN_OR_RETURN(auto entry, ParseCase(doc["cases"][i], path, i));
        file.cases.push_back(std::move(entry));
      }
    } else {
      WB_ASSIGN_OR_RETURN(auto entry, ParseCase(doc, path, 0));
      file.cases.push_back(std::move(entry));
    }
  } catch (const json::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("unexpected JSON type: ") + e.what(), path);
  }
  return file;
}

Result<CaseFile> ReadCaseFile(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseCaseFile(text, path);
}

nlohmann::ordered_json LrResultToJson(const kinship::LrResult& result) {
  nlohmann::ordered_json j;
  j["id"] = result.id;
  j["lr"] = result.lr;
  j["log10_lr"] = std::isfinite(result.log10_lr) ? nlohmann::ordered_json(result.log10_lr) : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json pm = nlohmann::ordered_json::object();
  nlohmann::ordered_json added = nlohmann::ordered_json::object();
  for (const auto& m : result.per_marker) {
    pm[m.marker] = m.lr;
    if (!m.added_alleles.empty()) added[m.marker] = m.added_alleles;
  }
  j["per_marker"] = pm;
  if (!added.empty()) j["added_alleles"] = added;
  return j;
}

}  // namespace whereabouts::io
