// Shared plumbing of the registry subcommands (person, site, remains, custody, incident, source,
// import, report, list, demo): the --db option, opening the register, --as-of, the who/when/why of
// an event, recording one event, and turning an Error into the CLI's one-line message and exit
// code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <string>

#include "app/request.h"
#include "common/result.h"
#include "registry/registry.h"
#include "registry/store_port.h"

namespace whereabouts::cli {

inline constexpr const char* kDefaultDb = "whereabouts.db";

// The open register of one command.
struct OpenedRegistry {
  std::unique_ptr<registry::RegistryStore> store;  // SqliteStore or PostgresStore
  std::unique_ptr<registry::Geometry> geometry;
  std::unique_ptr<registry::Clock> clock;  // the system clock (null for a legacy history)
  std::unique_ptr<registry::Registry> registry;
};

// Where the recorded dates of a command's events come from.
enum class RecordedDates {
  kClock,          // today, from the system clock (every normal command)
  kLegacyHistory,  // the events' own dates, appended after everything recorded (import of a
                   // dated history: --legacy-history)
};

// Opens the register `path` names: a postgresql:// or postgres:// URI opens the PostgreSQL store
// (the database must exist); anything else is a SQLite file, created (and migrated) when
// `create`, else required to exist.
// Errors: kNotFound when a SQLite file is missing and not `create`; those of SqliteStore::Open and
// PostgresStore::Open.
// A PostgreSQL schema is created or migrated only when `migrate` (`whereabouts db migrate`, and
// `demo`, which needs an empty database); otherwise a schema that is not this build's is refused
// with that advice, so that a clerk's database role needs no right to change the schema.
[[nodiscard]] Result<OpenedRegistry> OpenRegistry(const std::string& path, bool create,
                                                  RecordedDates dates = RecordedDates::kClock,
                                                  bool migrate = false);

// Today's date (UTC), from the clock.
[[nodiscard]] registry::Date Today();
// "" -> now; else a YYYY-MM-DD date.
[[nodiscard]] Result<registry::AsOf> ParseAsOf(const std::string& text);

// How `db` is shown in messages: a SQLite path as it is, a PostgreSQL URI without its password.
[[nodiscard]] std::string DbDisplayName(const std::string& db);

// Adds --db PATH|URI (default ./whereabouts.db) to `cmd`.
void AddDbOption(CLI::App* cmd, std::string* db);

// Options every recording command takes: --by WHO, --reason WHY, --idempotency-key KEY. The
// recorded date is the register's (its clock), never an option: --recorded-on is refused with the
// reason.
struct EventMeta {
  std::string by;
  std::string reason;
  std::string recorded_on;      // set only to refuse it
  std::string idempotency_key;  // "" none: a retried command with the same key records nothing
};
void AddEventMetaOptions(CLI::App* cmd, EventMeta* meta);
// Today (the date the register will record, unless its last event is later). Errors:
// kInvalidArgument when --recorded-on was given.
[[nodiscard]] Result<registry::Date> RecordedOn(const EventMeta& meta);
// What a use case (src/app/) takes of `meta`: --by, --reason, --idempotency-key. Errors: as
// RecordedOn (kInvalidArgument when --recorded-on was given).
[[nodiscard]] Result<app::WriteMeta> WriteMetaOf(const EventMeta& meta);

// Prints the error as "whereabouts: ..." and returns the exit code for it (2 for bad input and
// refused changes, 1 otherwise).
int Fail(const Error& e);

// Makes `body` the callback of `cmd`. An Error it returns is printed (Fail) and sets `exit_code`;
// on success `exit_code` is left as it is (kExitOk, unless the body set another for a run that
// completed but found a problem). REQUIRES: `exit_code` outlives `cmd`.
void SetCallback(CLI::App* cmd, int& exit_code, std::function<Status()> body);

// The bytes of the file at `path`. Errors: kNotFound "cannot read the file" naming the path.
[[nodiscard]] Result<std::string> ReadFile(const std::string& path);

// Parses "key=value" pairs into fields. Errors: kInvalidArgument naming the malformed pair.
[[nodiscard]] Result<registry::Fields> ParseAssignments(const std::vector<std::string>& pairs);

}  // namespace whereabouts::cli
