// Test support (never linked into the product): docs/openapi.json read as data, so that tests can
// compare it with the server's route table and check what the server answers against the
// documented schemas. Schemas are OpenAPI 3.0 Schema Objects; they are turned into JSON Schema
// (draft 7) before valijson validates: `$ref`s to #/components/... are inlined and
// `nullable: true` becomes a type that also admits null.
// Thread-safety: a loaded OpenApi is immutable; concurrent const calls are safe.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace whereabouts::testing {

// One operation of the document.
struct ApiOperation {
  std::string method;        // upper case: GET, POST, PATCH, PUT, DELETE
  std::string path;          // as in the document: /api/v1/persons/{id}
  std::string permission;    // x-permission ("" when absent)
  std::string audit;         // x-audit ("" when absent)
  std::string audit_action;  // x-audit-action ("" when absent)
};

class OpenApi {
 public:
  // WHEREABOUTS_SOURCE_DIR "/docs/openapi.json".
  [[nodiscard]] static std::string DefaultPath();

  // Reads and parses the document. Errors: kNotFound (no file), kInvalidArgument (not JSON, not
  // an OpenAPI 3.0 document with `paths`).
  [[nodiscard]] static Result<OpenApi> Load(const std::string& path = DefaultPath());
  // DefaultPath() loaded once for the whole test program; a document that does not load stops
  // the program with the reason on stderr (every test would fail anyway).
  [[nodiscard]] static const OpenApi& Shared();
  // The same from a parsed document (tests of this library).
  [[nodiscard]] static Result<OpenApi> FromJson(nlohmann::json doc);

  [[nodiscard]] const nlohmann::json& Document() const { return doc_; }

  // Every operation, in path then method order.
  [[nodiscard]] std::vector<ApiOperation> Operations() const;
  // (METHOD, path template) of every operation.
  [[nodiscard]] std::set<std::pair<std::string, std::string>> Routes() const;

  // The path template that `concrete` (/api/v1/persons/12, a query string is ignored) matches for
  // `method`; the one with the most literal segments wins. Errors: kNotFound.
  [[nodiscard]] Result<std::string> MatchPath(const std::string& method,
                                              const std::string& concrete) const;

  // `schema` (an OpenAPI Schema Object, possibly a $ref) as a self-contained JSON Schema.
  // Errors: kNotFound (a $ref to nothing), kInvalidArgument (a $ref outside this document, or
  // nested deeper than 64: a cycle).
  [[nodiscard]] Result<nlohmann::json> ToJsonSchema(const nlohmann::json& schema) const;

  // Validates `value` against a JSON Schema made by ToJsonSchema. Errors: kInvalidArgument with
  // the first violation ("<where>: <what>", where is a JSON pointer into the value).
  [[nodiscard]] static Status ValidateAgainst(const nlohmann::json& json_schema,
                                              const nlohmann::json& value);

  // Validates `value` against components/schemas/NAME. Errors: as ValidateAgainst; kNotFound
  // when there is no such schema.
  [[nodiscard]] Status ValidateSchema(const std::string& name, const nlohmann::json& value) const;

  // Validates a response: the operation (method, concrete path) must document `status`, with
  // `content_type` (parameters such as "; charset=utf-8" ignored) among its media types, and
  // `body` must satisfy that media type's schema. A response documented without content (204)
  // must come with a null or empty body. Errors: kNotFound (no such operation, status or media
  // type), kInvalidArgument (the body's first violation).
  [[nodiscard]] Status ValidateResponse(const std::string& method, const std::string& concrete,
                                        int status, const std::string& content_type,
                                        const nlohmann::json& body) const;

  // Validates a request body against the operation's requestBody (application/json).
  // Errors: kNotFound (no operation or no request body documented), kInvalidArgument.
  [[nodiscard]] Status ValidateRequest(const std::string& method, const std::string& concrete,
                                       const nlohmann::json& body) const;

 private:
  explicit OpenApi(nlohmann::json doc) : doc_(std::move(doc)) {}
  [[nodiscard]] Result<const nlohmann::json*> FindOperation(const std::string& method,
                                                            const std::string& concrete) const;
  [[nodiscard]] Result<nlohmann::json> Convert(const nlohmann::json& s, int depth) const;

  nlohmann::json doc_;
};

}  // namespace whereabouts::testing
