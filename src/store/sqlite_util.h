// The small helpers over SQLite's C API that the SQLite stores share (the register's and the
// access store's): a prepared statement that finalises itself, and the Error of a failed call.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "registry/date.h"

namespace whereabouts::store::sqlite_util {

using registry::Date;

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr);
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  [[nodiscard]] Status Ok() const {
    if (rc_ == SQLITE_OK) return {};
    return MakeError(ErrorCode::kIo, std::string("database: ") + sqlite3_errmsg(db_));
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, const std::optional<Date>& d) {
    if (d)
      sqlite3_bind_int64(s_, i, d->days);
    else
      sqlite3_bind_null(s_, i);
  }
  void Bind(int i, const std::optional<int>& v) {
    if (v)
      sqlite3_bind_int64(s_, i, *v);
    else
      sqlite3_bind_null(s_, i);
  }
  void BindNull(int i) { sqlite3_bind_null(s_, i); }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return sqlite3_step(s_); }
  void Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  sqlite3_stmt* raw() const { return s_; }
  int64_t Int(int c) const { return sqlite3_column_int64(s_, c); }
  bool Null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::string_view View(int c) const {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return t ? std::string_view(t, static_cast<size_t>(sqlite3_column_bytes(s_, c)))
             : std::string_view();
  }
  std::string Text(int c) const {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return t ? std::string(t, static_cast<size_t>(sqlite3_column_bytes(s_, c))) : std::string();
  }
  std::optional<Date> OptDate(int c) const {
    if (Null(c)) return std::nullopt;
    return Date{static_cast<int32_t>(Int(c))};
  }
  std::optional<int> OptInt(int c) const {
    if (Null(c)) return std::nullopt;
    return static_cast<int>(Int(c));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_OK;
};

inline Error DbError(sqlite3* db, const std::string& what) {
  const int code = sqlite3_extended_errcode(db);
  const std::string msg = sqlite3_errmsg(db);
  if (code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE) {
    return Error{ErrorCode::kAlreadyExists, what + ": already exists (" + msg + ")", ""};
  }
  if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
    return Error{ErrorCode::kNotFound, what + ": refers to a record that does not exist", ""};
  }
  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED) {
    return Error{ErrorCode::kUnavailable,
                 what + ": the register is busy (another writer held it too long); try again", ""};
  }
  if ((code & 0xff) == SQLITE_CONSTRAINT) {
    return Error{ErrorCode::kInvalidArgument, what + ": " + msg, ""};
  }
  return Error{ErrorCode::kIo, what + ": " + msg, ""};
}

}  // namespace whereabouts::store::sqlite_util
