// Shared plumbing of `whereabouts user` and `whereabouts audit`: the register opened with its
// access store and the system clock, the acting origin of a command-line action (address "cli",
// actor --by or "cli:" + $USER), and reading a password from standard input.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/accounts.h"
#include "cli/registry_common.h"
#include "store/system_clock.h"

namespace whereabouts::cli {

// The register with its access store (ctx() refers to what the members own).
struct OpenedAccess {
  OpenedRegistry reg;
  std::unique_ptr<app::AccessStore> access;
  std::unique_ptr<store::SystemAccessClock> clock;
  [[nodiscard]] app::AccessContext ctx() const { return {*access, *reg.store, *clock}; }
};

// Opens `db` as OpenRegistry does and the access store on it.
[[nodiscard]] Result<OpenedAccess> OpenAccess(const std::string& db, bool create);

// Adds --by WHO (default: "cli:" + $USER) to `cmd`.
void AddByOption(CLI::App* cmd, std::string* by);
// The audit trail's origin of a command-line action by `by`.
[[nodiscard]] app::Origin CliOrigin(const std::string& by);

// One line of standard input (without its line end): when it is a terminal, prompted on stderr
// without echo and asked twice. Errors: kInvalidArgument when nothing was read or the two differ.
[[nodiscard]] Result<std::string> ReadPassword();

// "2026-12-02T20:24:00Z" for unix seconds.
[[nodiscard]] std::string UtcTime(int64_t seconds);

}  // namespace whereabouts::cli
