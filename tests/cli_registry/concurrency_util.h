// Runs several `whereabouts` processes at the same time (real processes on one register), each
// with its own output files, and collects their exit codes and outputs.
#pragma once

#include <string>
#include <vector>

#include "cli_registry/cli_util.h"

namespace whereabouts::testing {

// Starts every command of `args` (whereabouts arguments) in the background in `dir` at once and
// waits for all. Returns their results in the order given.
inline std::vector<RunResult> WbConcurrently(const TempDir& dir,
                                             const std::vector<std::string>& args) {
  std::string script = "cd '" + dir.path().string() + "' || exit 1\n";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string n = std::to_string(i);
    script += "( '" + std::string(WHEREABOUTS_BINARY) + "' " + args[i] + " >.c" + n + ".out 2>.c" +
              n + ".err; echo $? >.c" + n + ".rc ) &\n";
  }
  script += "wait\n";
  std::ofstream(dir.File(".concurrent.sh")) << script;
  const int status = std::system(("bash '" + dir.File(".concurrent.sh") + "'").c_str());
  (void)status;
  std::vector<RunResult> out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string n = std::to_string(i);
    RunResult r;
    const std::string rc = Slurp(dir.File(".c" + n + ".rc"));
    r.rc = rc.empty() ? -1 : std::stoi(rc);
    r.out = Slurp(dir.File(".c" + n + ".out"));
    r.err = Slurp(dir.File(".c" + n + ".err"));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace whereabouts::testing
