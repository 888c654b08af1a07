#include "cli/registry_common.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "store/geos_geometry.h"

namespace whereabouts::cli {

Result<OpenedRegistry> OpenRegistry(const std::string& path, bool create) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     "no register at " + path +
                         " (create one with 'whereabouts demo' or 'whereabouts person add', or "
                         "pass --db PATH)");
  }
  OpenedRegistry r;
  WB_ASSIGN_OR_RETURN(r.store, store::SqliteStore::Open(path));
  r.geometry = store::MakeGeometry();
  r.registry = std::make_unique<registry::Registry>(*r.store, *r.geometry);
  return r;
}

void AddDbOption(CLI::App* cmd, std::string* db) {
  *db = kDefaultDb;
  cmd->add_option("--db", *db, "the register's database file")->capture_default_str();
}

void AddEventMetaOptions(CLI::App* cmd, EventMeta* meta) {
  const char* user = std::getenv("USER");
  meta->by = user != nullptr && *user != '\0' ? user : "cli";
  cmd->add_option("--by", meta->by, "who records the change")->capture_default_str();
  cmd->add_option("--reason", meta->reason, "why: the source or the reason of a correction");
  cmd->add_option("--recorded-on", meta->recorded_on,
                  "the date the register learned of it (YYYY-MM-DD, default today)");
}

Status ApplyMeta(const EventMeta& meta, registry::Event& e) {
  e.actor = meta.by;
  e.reason = meta.reason;
  if (meta.recorded_on.empty()) {
    e.recorded_on = Today();
  } else {
    auto d = registry::Date::Parse(meta.recorded_on);
    if (!d) return tl::unexpected(WithContext(d.error(), "--recorded-on"));
    e.recorded_on = *d;
  }
  return {};
}

registry::Date Today() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return registry::Date::FromCivil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

Result<registry::AsOf> ParseAsOf(const std::string& text) {
  if (text.empty()) return registry::AsOf{};
  auto d = registry::Date::Parse(text);
  if (!d) return tl::unexpected(WithContext(d.error(), "--as-of"));
  return registry::AsOf{*d};
}

int Fail(const Error& e) {
  PrintError(e.ToString());
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAlreadyExists:
      return kExitBadInput;
    default:
      return kExitFailure;
  }
}

Result<registry::Fields> ParseAssignments(const std::vector<std::string>& pairs) {
  registry::Fields f;
  for (const auto& p : pairs) {
    const size_t eq = p.find('=');
    if (eq == std::string::npos || eq == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "expected KEY=VALUE, got '" + p + "'", "--set");
    }
    f[p.substr(0, eq)] = p.substr(eq + 1);
  }
  return f;
}

std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace whereabouts::cli
