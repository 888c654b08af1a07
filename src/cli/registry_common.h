// Shared plumbing of the registry subcommands (person, site, remains, custody, import, report,
// list, demo): the --db option, opening the register, --as-of, the who/when/why of an event, and
// turning an Error into the CLI's one-line message and exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "common/result.h"
#include "registry/registry.h"
#include "store/sqlite_store.h"

namespace whereabouts::cli {

inline constexpr const char* kDefaultDb = "whereabouts.db";

// The open register of one command.
struct OpenedRegistry {
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<registry::Geometry> geometry;
  std::unique_ptr<registry::Registry> registry;
};

// Opens (creating when `create`, else requiring it to exist) the database at `path`.
[[nodiscard]] Result<OpenedRegistry> OpenRegistry(const std::string& path, bool create);

// Adds --db PATH (default ./whereabouts.db) to `cmd`.
void AddDbOption(CLI::App* cmd, std::string* db);

// Options every recording command takes: --by WHO, --reason WHY, --recorded-on DATE.
struct EventMeta {
  std::string by;
  std::string reason;
  std::string recorded_on;  // empty: today
};
void AddEventMetaOptions(CLI::App* cmd, EventMeta* meta);
// Fills kind/actor/reason/recorded_on of `e` from `meta`.
[[nodiscard]] Status ApplyMeta(const EventMeta& meta, registry::Event& e);

// Today's date (UTC), from the clock.
[[nodiscard]] registry::Date Today();
// "" -> now; else a YYYY-MM-DD date.
[[nodiscard]] Result<registry::AsOf> ParseAsOf(const std::string& text);

// Prints the error as "whereabouts: ..." and returns the exit code for it (2 for bad input and
// refused changes, 1 otherwise).
int Fail(const Error& e);

// Parses "key=value" pairs into fields. Errors: kInvalidArgument naming the malformed pair.
[[nodiscard]] Result<registry::Fields> ParseAssignments(const std::vector<std::string>& pairs);

// Quotes a CSV cell when needed (RFC 4180).
[[nodiscard]] std::string CsvCell(const std::string& s);

}  // namespace whereabouts::cli
