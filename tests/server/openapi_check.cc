#include "server/openapi_check.h"

// valijson's exceptions.hpp includes <stdexcept> inside its namespace when exceptions are on: the
// header must already be included (its guard then makes that include empty).
#include <stdexcept>
#ifndef VALIJSON_USE_EXCEPTIONS
#define VALIJSON_USE_EXCEPTIONS 1
#endif
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace whereabouts::testing {
namespace {

using nlohmann::json;

constexpr const char* kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch",
                                    "trace"};

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool IsParam(const std::string& seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

std::string StringOr(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// OpenAPI-only keywords that JSON Schema does not have (or that mean something else there).
bool IsOpenApiOnly(const std::string& key) {
  static const std::set<std::string> kKeys = {"nullable", "discriminator", "readOnly", "writeOnly",
                                              "xml",      "externalDocs",  "example",  "deprecated"};
  return kKeys.count(key) > 0 || key.rfind("x-", 0) == 0;
}

}  // namespace

std::string OpenApi::DefaultPath() {
  return std::string(WHEREABOUTS_SOURCE_DIR) + "/docs/openapi.json";
}

Result<OpenApi> OpenApi::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  json doc = json::parse(ss.str(), nullptr, false);
  if (doc.is_discarded()) return MakeError(ErrorCode::kInvalidArgument, "not JSON", path);
  auto api = FromJson(std::move(doc));
  if (!api) return tl::unexpected(WithContext(api.error(), path));
  return api;
}

const OpenApi& OpenApi::Shared() {
  static const Result<OpenApi> api = Load();
  if (!api) {
    std::fprintf(stderr, "docs/openapi.json: %s\n", api.error().ToString().c_str());
    std::abort();
  }
  return *api;
}

Result<OpenApi> OpenApi::FromJson(json doc) {
  if (!doc.is_object() || StringOr(doc, "openapi").rfind("3.0.", 0) != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "not an OpenAPI 3.0 document", "openapi");
  }
  if (!doc.contains("paths") || !doc["paths"].is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "has no paths", "paths");
  }
  return OpenApi(std::move(doc));
}

std::vector<ApiOperation> OpenApi::Operations() const {
  std::vector<ApiOperation> out;
  for (auto p = doc_["paths"].begin(); p != doc_["paths"].end(); ++p) {
    for (const char* m : kMethods) {
      auto op = p->find(m);
      if (op == p->end() || !op->is_object()) continue;
      out.push_back({Upper(m), p.key(), StringOr(*op, "x-permission"), StringOr(*op, "x-audit"),
                     StringOr(*op, "x-audit-action")});
    }
  }
  return out;
}

std::set<std::pair<std::string, std::string>> OpenApi::Routes() const {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& op : Operations()) out.emplace(op.method, op.path);
  return out;
}

Result<std::string> OpenApi::MatchPath(const std::string& method,
                                       const std::string& concrete) const {
  const std::string path = concrete.substr(0, concrete.find('?'));
  const std::vector<std::string> want = Segments(path);
  const std::string m = Lower(method);
  std::string best;
  int best_literals = -1;
  for (auto p = doc_["paths"].begin(); p != doc_["paths"].end(); ++p) {
    if (!p->contains(m)) continue;
    const std::vector<std::string> have = Segments(p.key());
    if (have.size() != want.size()) continue;
    int literals = 0;
    bool match = true;
    for (size_t i = 0; i < have.size() && match; ++i) {
      if (IsParam(have[i])) {
        match = !want[i].empty();
      } else {
        match = have[i] == want[i];
        ++literals;
      }
    }
    if (match && literals > best_literals) {
      best = p.key();
      best_literals = literals;
    }
  }
  if (best_literals < 0) {
    return MakeError(ErrorCode::kNotFound, "no operation " + Upper(method) + " " + path);
  }
  return best;
}

Result<const json*> OpenApi::FindOperation(const std::string& method,
                                           const std::string& concrete) const {
  WB_ASSIGN_OR_RETURN(const std::string tmpl, MatchPath(method, concrete));
  return &doc_["paths"][tmpl][Lower(method)];
}

Result<json> OpenApi::Convert(const json& s, int depth) const {
  if (depth > 64) {
    return MakeError(ErrorCode::kInvalidArgument, "schemas nested deeper than 64 (a $ref cycle?)");
  }
  if (!s.is_object()) return s;  // true/false schemas, or a malformed one valijson will refuse
  if (auto r = s.find("$ref"); r != s.end()) {
    const std::string target = r->is_string() ? r->get<std::string>() : "";
    if (target.rfind("#/", 0) != 0) {
      return MakeError(ErrorCode::kInvalidArgument, "only local references are supported", target);
    }
    const json::json_pointer ptr(target.substr(1));
    if (!doc_.contains(ptr)) return MakeError(ErrorCode::kNotFound, "no such schema", target);
    // OpenAPI 3.0 ignores a $ref's siblings, except that a nullable one is common in practice.
    WB_ASSIGN_OR_RETURN(json inner, Convert(doc_.at(ptr), depth + 1));
    if (s.value("nullable", false)) return json{{"anyOf", {inner, {{"type", "null"}}}}};
    return inner;
  }
  json out = json::object();
  for (auto it = s.begin(); it != s.end(); ++it) {
    const std::string& k = it.key();
    if (IsOpenApiOnly(k)) continue;
    if (k == "properties" && it->is_object()) {
      json props = json::object();
      for (auto p = it->begin(); p != it->end(); ++p) {
        WB_ASSIGN_OR_RETURN(props[p.key()], Convert(*p, depth + 1));
      }
      out[k] = std::move(props);
    } else if ((k == "items" || k == "not") && it->is_object()) {
      WB_ASSIGN_OR_RETURN(out[k], Convert(*it, depth + 1));
    } else if (k == "additionalProperties" && it->is_object()) {
      WB_ASSIGN_OR_RETURN(out[k], Convert(*it, depth + 1));
    } else if ((k == "allOf" || k == "anyOf" || k == "oneOf") && it->is_array()) {
      json list = json::array();
      for (const auto& sub : *it) {
        WB_ASSIGN_OR_RETURN(json c, Convert(sub, depth + 1));
        list.push_back(std::move(c));
      }
      out[k] = std::move(list);
    } else {
      out[k] = *it;
    }
  }
  if (s.value("nullable", false)) {
    // OpenAPI 3.0's nullable: null is also a value. With a single type, add "null" to it (and to
    // an enum); otherwise (anyOf, oneOf, no type) admit null beside the whole schema.
    // valijson applies `format` to null too, so a formatted type gets the anyOf form.
    auto t = out.find("type");
    if (t != out.end() && t->is_string() && !out.contains("anyOf") && !out.contains("oneOf") &&
        !out.contains("allOf") && !out.contains("format")) {
      out["type"] = json::array({t->get<std::string>(), "null"});
      if (auto e = out.find("enum"); e != out.end() && e->is_array()) e->push_back(nullptr);
    } else {
      out = json{{"anyOf", {out, {{"type", "null"}}}}};
    }
  }
  return out;
}

Result<json> OpenApi::ToJsonSchema(const json& schema) const { return Convert(schema, 0); }

Status OpenApi::ValidateAgainst(const json& json_schema, const json& value) {
  valijson::Schema schema;
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(json_schema);
    parser.populateSchema(schema_adapter, schema);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInvalidArgument, std::string("bad schema: ") + e.what());
  }
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(value);
  if (validator.validate(schema, target, &results)) return {};
  // valijson reports the enclosing failures too ("failed to validate against the schema of
  // property x"): the most specific one is the deepest, and among those the first.
  std::vector<valijson::ValidationResults::Error> errors;
  valijson::ValidationResults::Error e;
  while (results.popError(e)) errors.push_back(e);
  if (errors.empty()) return MakeError(ErrorCode::kInvalidArgument, "does not match the schema");
  const auto deepest = std::max_element(
      errors.begin(), errors.end(),
      [](const auto& a, const auto& b) { return a.context.size() < b.context.size(); });
  std::string where;
  for (const std::string& c : deepest->context) {
    if (c == "<root>") continue;
    std::string part = c;
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      part = part.substr(1, part.size() - 2);
      if (part.size() >= 2 && part.front() == '"' && part.back() == '"') {
        part = part.substr(1, part.size() - 2);
      }
    }
    where += "/" + part;
  }
  if (where.empty()) where = "/";
  std::string message = deepest->description;
  if (errors.size() > 1) message += " (" + std::to_string(errors.size()) + " messages in all)";
  return MakeError(ErrorCode::kInvalidArgument, message, where);
}

Status OpenApi::ValidateSchema(const std::string& name, const json& value) const {
  const json::json_pointer ptr("/components/schemas/" + name);
  if (!doc_.contains(ptr)) return MakeError(ErrorCode::kNotFound, "no schema " + name);
  WB_ASSIGN_OR_RETURN(const json schema, ToJsonSchema(doc_.at(ptr)));
  auto ok = ValidateAgainst(schema, value);
  if (!ok) return tl::unexpected(WithContext(ok.error(), name));
  return {};
}

Status OpenApi::ValidateResponse(const std::string& method, const std::string& concrete,
                                 int status, const std::string& content_type,
                                 const json& body) const {
  WB_ASSIGN_OR_RETURN(const json* op, FindOperation(method, concrete));
  const std::string what = Upper(method) + " " + concrete + " " + std::to_string(status);
  const json& responses = op->value("responses", json::object());
  auto r = responses.find(std::to_string(status));
  if (r == responses.end()) r = responses.find(std::string(1, std::to_string(status)[0]) + "XX");
  if (r == responses.end()) r = responses.find("default");
  if (r == responses.end()) {
    return MakeError(ErrorCode::kNotFound, "the status is not documented", what);
  }
  const json* response = &*r;
  if (auto ref = response->find("$ref"); ref != response->end() && ref->is_string()) {
    const json::json_pointer ptr(ref->get<std::string>().substr(1));
    if (!doc_.contains(ptr)) return MakeError(ErrorCode::kNotFound, "no such response", *ref);
    response = &doc_.at(ptr);
  }
  auto content = response->find("content");
  if (content == response->end() || content->empty()) {
    if (body.is_null() || (body.is_string() && body.get<std::string>().empty())) return {};
    return MakeError(ErrorCode::kInvalidArgument, "documented without a body, but has one", what);
  }
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  type = Lower(type);
  auto media = content->find(type);
  if (media == content->end()) {
    std::string known;
    for (auto it = content->begin(); it != content->end(); ++it) {
      known += (known.empty() ? "" : ", ") + it.key();
    }
    return MakeError(ErrorCode::kNotFound,
                     "content type '" + type + "' is not documented (documented: " + known + ")",
                     what);
  }
  if (!media->contains("schema")) return {};
  WB_ASSIGN_OR_RETURN(const json schema, ToJsonSchema((*media)["schema"]));
  auto ok = ValidateAgainst(schema, body);
  if (!ok) return tl::unexpected(WithContext(ok.error(), what));
  return {};
}

Status OpenApi::ValidateRequest(const std::string& method, const std::string& concrete,
                                const json& body) const {
  WB_ASSIGN_OR_RETURN(const json* op, FindOperation(method, concrete));
  const std::string what = Upper(method) + " " + concrete + " request";
  const json::json_pointer ptr("/requestBody/content/application~1json/schema");
  if (!op->contains(ptr)) return MakeError(ErrorCode::kNotFound, "no request body documented", what);
  WB_ASSIGN_OR_RETURN(const json schema, ToJsonSchema(op->at(ptr)));
  auto ok = ValidateAgainst(schema, body);
  if (!ok) return tl::unexpected(WithContext(ok.error(), what));
  return {};
}

}  // namespace whereabouts::testing
