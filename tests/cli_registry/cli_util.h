// Runs the real `whereabouts` binary and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "store/temp_dir.h"

namespace whereabouts::testing {

struct RunResult {
  int rc = -1;
  std::string out;
  std::string err;
};

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `whereabouts ARGS` (a shell word list) in `dir`, with `env` ("NAME='value' ...", or "")
// set for it.
inline RunResult WbEnv(const TempDir& dir, const std::string& env, const std::string& args) {
  const std::string out = dir.File(".out");
  const std::string err = dir.File(".err");
  const std::string cmd = "cd '" + dir.path().string() + "' && " + env + (env.empty() ? "" : " ") +
                          "'" + WHEREABOUTS_BINARY + "' " + args + " >'" + out + "' 2>'" + err +
                          "'";
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(out);
  r.err = Slurp(err);
  return r;
}

// Runs `whereabouts ARGS` (a shell word list) in `dir`.
inline RunResult Wb(const TempDir& dir, const std::string& args) { return WbEnv(dir, "", args); }

// key -> value of `report figures --format csv`.
inline std::map<std::string, long> FiguresCsv(const std::string& csv) {
  std::map<std::string, long> out;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const size_t first = line.find(',');
    const size_t last = line.rfind(',');
    out[line.substr(0, first)] = std::stol(line.substr(last + 1));
  }
  return out;
}

// True when the command failed with exactly one line "whereabouts: ..." on stderr.
inline bool OneErrorLine(const RunResult& r) {
  return r.err.rfind("whereabouts: ", 0) == 0 && r.err.find('\n') == r.err.size() - 1;
}

// The day before today (UTC) as YYYY-MM-DD: "as of" it, nothing recorded by a test is visible
// (the register records every event on its clock's today). Take it before the first write.
inline std::string Yesterday() {
  const std::time_t t = std::time(nullptr) - 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// Today (UTC) as YYYY-MM-DD.
inline std::string Today() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

inline bool Has(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

}  // namespace whereabouts::testing
