// The subcommands of `whereabouts`. Each lives in its own file and adds itself to the root
// CLI11 app through a Register* function listed in commands.cc (a dispatch table, as in bcftools).
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "common/result.h"

namespace whereabouts::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;    // the run completed but found a problem (e.g. a check)
inline constexpr int kExitBadInput = 2;   // unusable input (or a rule refused it): nothing changed
inline constexpr int kExitRetry = 3;      // a conflict (stale edit) or a busy register: nothing
                                          // changed; run again on fresh data or later
inline constexpr int kExitDenied = 4;     // no rights or no valid session: nothing changed

// A subcommand sets `exit_code` from its callback; main returns it.
using Registrar = void (*)(CLI::App& root, int& exit_code);

// Every registrar, in the order `whereabouts --help` lists them.
const Registrar* Registrars(int* count);

// The folder holding the frequency databases and other run-time data: $WHEREABOUTS_DATA, else the
// installed share/whereabouts, else the source tree's data/ (for a build that was not installed).
std::string DataDir();

// The value of --minimum-frequency: a number in (0, 1) ([0, 1) when `zero_allowed`), or nullopt
// for "5/2N" (any case: each marker's 5/(2N) from its database size N).
// Errors: kInvalidArgument saying what is accepted.
[[nodiscard]] Result<std::optional<double>> ParseMinimumFrequency(const std::string& text,
                                                                  bool zero_allowed);

// Prints "whereabouts: <message>" on stderr.
void PrintError(const std::string& message);

}  // namespace whereabouts::cli
