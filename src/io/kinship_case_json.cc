#include "io/kinship_case_json.h"

#include <cmath>
#include <filesystem>

#include "io/frequency_tsv.h"
#include "io/json_text.h"

namespace whereabouts::io {
namespace {

using kinship::HypothesisPerson;
using nlohmann::json;

// Typed access to a member of a JSON object: every reader below goes through these, so that a
// value of the wrong type is an Error naming the member, never a nlohmann::json::type_error.
Result<std::optional<std::string>> OptString(const json& obj, const char* key,
                                             const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("\"") + key + "\" must be a string",
                     where);
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> StringOr(const json& obj, const char* key, std::string fallback,
                             const std::string& where) {
  WB_ASSIGN_OR_RETURN(auto v, OptString(obj, key, where));
  return v ? *v : std::move(fallback);
}

Result<double> Number(const json& v, const std::string& what, const std::string& where) {
  if (!v.is_number())
    return MakeError(ErrorCode::kInvalidArgument, what + " must be a number", where);
  return v.get<double>();
}

Result<double> NumberOr(const json& obj, const char* key, double fallback,
                        const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  return Number(*it, std::string("\"") + key + "\"", where);
}

Result<std::string> StringItem(const json& v, const std::string& what, const std::string& where) {
  if (!v.is_string())
    return MakeError(ErrorCode::kInvalidArgument, what + " must be a string", where);
  return v.get<std::string>();
}

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
    WB_ASSIGN_OR_RETURN(const std::string sex_text, StringOr(p, "sex", "unknown", pw));
    auto sex = kinship::ParseSex(sex_text);
    if (!sex) return MakeError(ErrorCode::kInvalidArgument, sex.error().message, pw);
    hp.individual.sex = *sex;
    WB_ASSIGN_OR_RETURN(auto father, OptString(p, "father", pw));
    WB_ASSIGN_OR_RETURN(auto mother, OptString(p, "mother", pw));
    if (father) hp.individual.father = *father;
    if (mother) hp.individual.mother = *mother;
    if (p.contains("samples")) {
      if (!p["samples"].is_array()) return MakeError(ErrorCode::kInvalidArgument, "\"samples\" must be an array", pw);
      for (const auto& s : p["samples"]) {
        WB_ASSIGN_OR_RETURN(std::string sample, StringItem(s, "each of \"samples\"", pw));
        hp.samples.push_back(std::move(sample));
      }
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
  WB_ASSIGN_OR_RETURN(const std::string model, StringItem(j["model"], "\"model\"", where));
  auto kind = kinship::ParseMutationKind(model);
  if (!kind) return MakeError(ErrorCode::kInvalidArgument, kind.error().message, where);
  spec.kind = *kind;
  WB_ASSIGN_OR_RETURN(spec.rate, NumberOr(j, "rate", 0.0, where));
  WB_ASSIGN_OR_RETURN(spec.rate2, NumberOr(j, "rate2", 0.0, where));
  WB_ASSIGN_OR_RETURN(spec.range, NumberOr(j, "range", 0.0, where));
  if (spec.kind != kinship::MutationKind::kNone && !j.contains("rate")) {
    return MakeError(ErrorCode::kInvalidArgument, "needs a \"rate\"", where);
  }
  if (spec.kind == kinship::MutationKind::kStepwise && (!j.contains("rate2") || !j.contains("range"))) {
    return MakeError(ErrorCode::kInvalidArgument, "the stepwise model needs \"rate2\" and \"range\"", where);
  }
  WB_RETURN_IF_ERROR(kinship::ValidateMutationSpec(spec).map_error([&](Error e) { return WithContext(e, where); }));
  return spec;
}

// A model for both sexes, or {"male": MODEL, "female": MODEL} (both needed).
Result<kinship::MarkerMutation> ParseSexModels(const json& mu, const std::string& where) {
  kinship::MarkerMutation out;
  if (mu.is_object() && (mu.contains("male") || mu.contains("female"))) {
    const json none = json::object();
    WB_ASSIGN_OR_RETURN(out.male,
                        ParseMutation(mu.contains("male") ? mu["male"] : none, where + ".male"));
    WB_ASSIGN_OR_RETURN(
        out.female, ParseMutation(mu.contains("female") ? mu["female"] : none, where + ".female"));
  } else {
    WB_ASSIGN_OR_RETURN(out.male, ParseMutation(mu, where));
    out.female = out.male;
  }
  return out;
}

bool IsAmelogenin(const std::string& canonical) {
  return canonical == "AMEL" || canonical == "AMELOGENIN";
}

Result<CaseEntry> ParseCase(const json& c, const std::string& path, size_t index) {
  std::string where = path + ": case #" + std::to_string(index + 1);
  if (!c.is_object()) return MakeError(ErrorCode::kInvalidArgument, "is not an object", where);
  CaseEntry entry;
  auto& k = entry.kinship_case;
  WB_ASSIGN_OR_RETURN(k.id, StringOr(c, "id", "case-" + std::to_string(index + 1), where));
  where = path + ": case " + k.id;
  WB_ASSIGN_OR_RETURN(k.description, StringOr(c, "description", "", where));
  if (!c.contains("frequencies") || !c["frequencies"].is_string()) {
    return MakeError(ErrorCode::kInvalidArgument, "needs \"frequencies\" (a file name)", where);
  }
  const std::filesystem::path base = std::filesystem::path(path).parent_path();
  entry.frequencies_path = (base / c["frequencies"].get<std::string>()).lexically_normal().string();
  if (!c.contains("markers") || !c["markers"].is_array() || c["markers"].empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "needs a non-empty \"markers\" array", where);
  }
  for (const auto& m : c["markers"]) {
    WB_ASSIGN_OR_RETURN(const std::string marker, StringItem(m, "each of \"markers\"", where));
    k.markers.push_back(kinship::CanonicalMarkerName(marker));
  }
  if (c.contains("mutation")) {
    WB_ASSIGN_OR_RETURN(const auto models, ParseSexModels(c["mutation"], where + ": mutation"));
    k.mutation.male = models.male;
    k.mutation.female = models.female;
  }
  if (c.contains("marker_mutation")) {
    // Per-marker models: {"D3S1358": MODEL or {"male": MODEL, "female": MODEL}, ...}; the other
    // markers use "mutation".
    const json& mm = c["marker_mutation"];
    if (!mm.is_object()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "\"marker_mutation\" must map markers to models", where);
    }
    for (const auto& [marker, model] : mm.items()) {
      WB_ASSIGN_OR_RETURN(k.mutation.per_marker[kinship::CanonicalMarkerName(marker)],
                          ParseSexModels(model, where + ": marker_mutation." + marker));
    }
  }
  WB_ASSIGN_OR_RETURN(k.theta, NumberOr(c, "theta", 0.0, where));
  if (c.contains("minimum_frequency")) {
    WB_ASSIGN_OR_RETURN(k.minimum_frequency,
                        Number(c["minimum_frequency"], "\"minimum_frequency\"", where));
  }
  if (c.contains("dropout")) {
    if (!c["dropout"].is_object()) return MakeError(ErrorCode::kInvalidArgument, "\"dropout\" must map samples to probabilities", where);
    for (const auto& [s, d] : c["dropout"].items()) {
      WB_ASSIGN_OR_RETURN(k.dropout[s],
                          Number(d, "a drop-out probability", where + ": sample " + s));
    }
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
    const json& ex = c["expected"];
    ExpectedLr e;
    WB_ASSIGN_OR_RETURN(e.lr, NumberOr(ex, "lr", 0.0, where + ": expected"));
    if (ex.contains("per_marker")) {
      if (!ex["per_marker"].is_object()) {
        return MakeError(ErrorCode::kInvalidArgument, "\"per_marker\" must map markers to LRs",
                         where + ": expected");
      }
      for (const auto& [m, v] : ex["per_marker"].items()) {
        WB_ASSIGN_OR_RETURN(e.per_marker[kinship::CanonicalMarkerName(m)],
                            Number(v, "an expected LR", where + ": expected, marker " + m));
      }
    }
    entry.expected = e;
  }
  return entry;
}

}  // namespace

Result<CaseFile> ParseCaseFile(const std::string& text, const std::string& path) {
  // Every nlohmann exception of parsing: parse_error, but also out_of_range for a number beyond
  // double ("1e400").
  WB_ASSIGN_OR_RETURN(json doc, ParseJsonText(text, path));
  CaseFile file;
  // The readers above check every type before they read a value; this catch is a last guard, so
  // that a missed check still ends as an Error naming the file rather than an exception.
  try {
    if (doc.is_object() && doc.contains("cases")) {
      if (doc.contains("format") && doc["format"] != "whereabouts-kinship-cases/1") {
        return MakeError(ErrorCode::kInvalidArgument,
                         "unsupported format " +
                             doc["format"].dump(-1, ' ', false, json::error_handler_t::replace),
                         path);
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
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("unexpected JSON: ") + e.what(),
                     path);
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
  nlohmann::ordered_json rest = nlohmann::ordered_json::object();
  for (const auto& m : result.per_marker) {
    pm[m.marker] = m.lr;
    if (!m.added_alleles.empty()) added[m.marker] = m.added_alleles;
    if (!m.rest_alleles.empty()) rest[m.marker] = m.rest_alleles;
  }
  j["per_marker"] = pm;
  if (!added.empty()) j["added_alleles"] = added;
  if (!rest.empty()) j["rest_alleles"] = rest;
  return j;
}

}  // namespace whereabouts::io
