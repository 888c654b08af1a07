// The small helpers over libpq that the PostgreSQL stores share (the register's and the access
// store's): text parameters, a result that clears itself, running a statement, and the Error of a
// failed one (by its SQLSTATE).
#pragma once

#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "registry/date.h"

namespace whereabouts::store::pg_util {

using registry::Date;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Res = std::unique_ptr<PGresult, ResultDeleter>;

// Text parameters of one statement; a null entry is SQL NULL.
class Params {
 public:
  Params& Add(int64_t v) {
    values_.push_back(std::to_string(v));
    null_.push_back(false);
    return *this;
  }
  Params& Add(std::string_view v) {
    values_.emplace_back(v);
    null_.push_back(false);
    return *this;
  }
  Params& Add(const char* v) { return Add(std::string_view(v)); }
  Params& Add(bool v) { return Add(std::string_view(v ? "true" : "false")); }
  Params& Add(const std::optional<Date>& d) {
    return d ? Add(static_cast<int64_t>(d->days)) : AddNull();
  }
  Params& Add(const std::optional<int>& v) { return v ? Add(static_cast<int64_t>(*v)) : AddNull(); }
  Params& AddNull() {
    values_.emplace_back();
    null_.push_back(true);
    return *this;
  }
  [[nodiscard]] int size() const { return static_cast<int>(values_.size()); }
  // Pointers into this object: valid until it changes.
  [[nodiscard]] std::vector<const char*> Pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (size_t i = 0; i < values_.size(); ++i)
      out.push_back(null_[i] ? nullptr : values_[i].c_str());
    return out;
  }

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
};

// libpq's and the server's messages on one line (they end in a newline and may hold several).
inline std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The error of a failed statement, by its SQLSTATE: unique -> kAlreadyExists, foreign key ->
// kNotFound, another integrity constraint -> kInvalidArgument, anything else kIo with the server's
// message. `what` says which record or step.
inline Error DbError(const PGresult* r, pg_conn* conn, const std::string& what) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string code = state ? state : "";
  const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const std::string msg = OneLine(primary ? primary : PQerrorMessage(conn));
  if (code == "23505") {
    return Error{ErrorCode::kAlreadyExists, what + ": already exists (" + msg + ")", ""};
  }
  if (code == "23503") {
    return Error{ErrorCode::kNotFound, what + ": refers to a record that does not exist", ""};
  }
  if (code.rfind("23", 0) == 0) return Error{ErrorCode::kInvalidArgument, what + ": " + msg, ""};
  return Error{ErrorCode::kIo, what + ": PostgreSQL: " + msg, ""};
}

// Runs a parameterised statement (or a prepared one when `prepared`). Errors: DbError.
inline Result<Res> Run(pg_conn* conn, const std::string& sql, const Params& params,
                       const std::string& what, bool prepared = false) {
  const std::vector<const char*> values = params.Pointers();
  PGresult* raw = prepared ? PQexecPrepared(conn, sql.c_str(), params.size(), values.data(),
                                            nullptr, nullptr, 0)
                           : PQexecParams(conn, sql.c_str(), params.size(), nullptr, values.data(),
                                          nullptr, nullptr, 0);
  Res r(raw);
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return tl::unexpected(DbError(r.get(), conn, what));
  }
  return r;
}

// A constant statement without values (BEGIN, COMMIT, the DDL of a migration), possibly several.
inline Status RunConstant(pg_conn* conn, const char* sql, const std::string& what) {
  Res r(PQexec(conn, sql));
  const ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return tl::unexpected(DbError(r.get(), conn, what));
  }
  return {};
}

inline int64_t Int(const PGresult* r, int row, int c) {
  return std::strtoll(PQgetvalue(r, row, c), nullptr, 10);
}
inline bool Null(const PGresult* r, int row, int c) { return PQgetisnull(r, row, c) != 0; }
inline std::string Text(const PGresult* r, int row, int c) {
  return std::string(PQgetvalue(r, row, c), static_cast<size_t>(PQgetlength(r, row, c)));
}
inline std::optional<Date> OptDate(const PGresult* r, int row, int c) {
  if (Null(r, row, c)) return std::nullopt;
  return Date{static_cast<int32_t>(Int(r, row, c))};
}
inline std::optional<int> OptInt(const PGresult* r, int row, int c) {
  if (Null(r, row, c)) return std::nullopt;
  return static_cast<int>(Int(r, row, c));
}

}  // namespace whereabouts::store::pg_util
