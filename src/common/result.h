// One vocabulary of errors for every layer of Whereabouts.
//
// The pure core returns Result<T>; adapters turn an Error into an exit code (CLI), an HTTP status
// (server) or a message in the UI. Codes map 1:1 to HTTP statuses (see HttpStatus()).
// Messages name the problem and where it is (file, line, case, individual, marker) and never carry
// personal data.
#pragma once

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace whereabouts {

enum class ErrorCode {
  kInvalidArgument,     // malformed input: bad allele, bad JSON, three alleles (400)
  kNotFound,            // unknown marker, missing file, unknown id (404)
  kFailedPrecondition,  // a rule forbids it: impossible pedigree, excavation in a minefield (409)
  kPermissionDenied,    // a request without rights (403)
  kAlreadyExists,       // duplicate id (409)
  kUnimplemented,       // a model this build cannot compute exactly (501)
  kResourceExhausted,   // a computation too large to do exactly (507)
  kInternal,            // a bug (500)
  kIo,                  // the disk or database failed (500)
  kConflict,            // a stale edit, or a concurrent writer won: retry on fresh data (409)
  kUnavailable,         // the database is locked or unreachable for now: retry later (503)
  kUnauthenticated,     // no valid session or token (401)
  kTooManyRequests,     // too many failed attempts: wait and retry (429)
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string field;  // where: "case pair_PC, marker TH01", "families.csv:12: sex", ...

  // "field: message", or just message when field is empty.
  [[nodiscard]] std::string ToString() const {
    return field.empty() ? message : field + ": " + message;
  }
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

[[nodiscard]] inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message,
                                                     std::string field = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(field)});
}

// Prefixes the error's location with an outer context ("case X" + ", marker Y").
[[nodiscard]] inline Error WithContext(Error e, const std::string& context) {
  e.field = e.field.empty() ? context : context + ", " + e.field;
  return e;
}

[[nodiscard]] inline int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kUnimplemented: return 501;
    case ErrorCode::kResourceExhausted: return 507;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kIo: return 500;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kTooManyRequests: return 429;
  }
  return 500;
}

}  // namespace whereabouts

// Early return of an error from a Result/Status expression.
#define WB_RETURN_IF_ERROR(expr)                                      \
  do {                                                                \
    auto wb_status_ = (expr);                                         \
    if (!wb_status_) return tl::unexpected(std::move(wb_status_).error()); \
  } while (0)

#define WB_CONCAT_INNER(a, b) a##b
#define WB_CONCAT(a, b) WB_CONCAT_INNER(a, b)
// ASSIGN_OR_RETURN: `WB_ASSIGN_OR_RETURN(auto x, Compute());`
#define WB_ASSIGN_OR_RETURN(lhs, expr) WB_ASSIGN_OR_RETURN_IMPL(WB_CONCAT(wb_r_, __LINE__), lhs, expr)
#define WB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)           \
  auto tmp = (expr);                                       \
  if (!tmp) return tl::unexpected(std::move(tmp).error()); \
  lhs = std::move(*tmp)
