#include "cli/registry_common.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "io/frequency_tsv.h"
#include "io/vocabularies.h"
#include "store/geos_geometry.h"
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/system_clock.h"

namespace whereabouts::cli {

namespace {

Status MakeRegistry(OpenedRegistry& r, RecordedDates dates) {
  // The closed vocabularies, as the commission extended them (data folder's vocabularies.json).
  WB_ASSIGN_OR_RETURN(
      registry::Vocabularies vocabularies,
      io::ReadVocabularies((std::filesystem::path(DataDir()) / "vocabularies.json").string()));
  r.geometry = store::MakeGeometry();
  if (dates == RecordedDates::kLegacyHistory) {
    r.registry =
        std::make_unique<registry::Registry>(*r.store, *r.geometry, registry::LegacyHistory{});
  } else {
    r.clock = std::make_unique<store::SystemClock>();
    r.registry = std::make_unique<registry::Registry>(*r.store, *r.geometry, *r.clock);
  }
  r.registry->SetVocabularies(std::move(vocabularies));
  return {};
}

}  // namespace

Result<OpenedRegistry> OpenRegistry(const std::string& path, bool create, RecordedDates dates,
                                    bool migrate) {
  if (store::PostgresStore::IsUri(path)) {
    OpenedRegistry r;
    WB_ASSIGN_OR_RETURN(
        r.store,
        store::PostgresStore::Open(path, migrate ? store::PostgresStore::Schema::kMigrate
                                                 : store::PostgresStore::Schema::kRequireCurrent));
    WB_RETURN_IF_ERROR(MakeRegistry(r, dates));
    return r;
  }
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    return MakeError(ErrorCode::kNotFound,
                     "no register at " + path +
                         " (create one with 'whereabouts demo' or 'whereabouts person add', or "
                         "pass --db PATH)");
  }
  OpenedRegistry r;
  WB_ASSIGN_OR_RETURN(r.store, store::SqliteStore::Open(path));
  WB_RETURN_IF_ERROR(MakeRegistry(r, dates));
  return r;
}

std::string DbDisplayName(const std::string& db) {
  return store::PostgresStore::IsUri(db) ? store::PostgresStore::DisplayName(db) : db;
}

void AddDbOption(CLI::App* cmd, std::string* db) {
  *db = kDefaultDb;
  cmd->add_option("--db", *db,
                  "the register: a SQLite database file, or a PostgreSQL database as "
                  "postgresql://USER@HOST:PORT/DBNAME")
      ->capture_default_str();
}

void AddEventMetaOptions(CLI::App* cmd, EventMeta* meta) {
  const char* user = std::getenv("USER");
  meta->by = user != nullptr && *user != '\0' ? user : "cli";
  cmd->add_option("--by", meta->by, "who records the change")->capture_default_str();
  cmd->add_option("--reason", meta->reason, "why: the source or the reason of a correction");
  cmd->add_option("--idempotency-key", meta->idempotency_key,
                  "a key naming this request: run again with the same key, the command records "
                  "nothing twice (for scripts that retry)");
  // Refused with the reason (not unknown to the parser), so that old scripts learn why.
  cmd->add_option("--recorded-on", meta->recorded_on)->group("");
}

Result<registry::Date> RecordedOn(const EventMeta& meta) {
  if (!meta.recorded_on.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the date a change is recorded on is the register's own (its clock), so that "
                     "figures for a past date cannot change; give the date the event happened in "
                     "its own field, or import a dated history with 'import persons "
                     "--legacy-history'",
                     "--recorded-on");
  }
  return Today();
}

Result<app::WriteMeta> WriteMetaOf(const EventMeta& meta) {
  WB_RETURN_IF_ERROR(RecordedOn(meta));
  return app::WriteMeta{meta.by, meta.reason, meta.idempotency_key};
}

registry::Date Today() { return store::SystemClock().Today(); }

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
    case ErrorCode::kConflict:
    case ErrorCode::kUnavailable:
    case ErrorCode::kTooManyRequests:
      return kExitRetry;
    case ErrorCode::kPermissionDenied:
    case ErrorCode::kUnauthenticated:
      return kExitDenied;
    default:
      return kExitFailure;
  }
}

void SetCallback(CLI::App* cmd, int& exit_code, std::function<Status()> body) {
  cmd->callback([&exit_code, body = std::move(body)] {
    if (auto s = body(); !s) exit_code = Fail(s.error());
  });
}

Result<std::string> ReadFile(const std::string& path) {
  auto text = io::ReadTextFile(path);
  // The registry commands' own wording of the one error ReadTextFile reports.
  if (!text) return MakeError(ErrorCode::kNotFound, "cannot read the file", path);
  return text;
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

}  // namespace whereabouts::cli
