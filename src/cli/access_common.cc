#include "cli/access_common.h"

#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <iostream>

#include "store/access_store.h"

namespace whereabouts::cli {
namespace {

// Reads one line from stdin; false at end of input with nothing read.
bool ReadLine(std::string* line) {
  line->clear();
  if (!std::getline(std::cin, *line) && line->empty()) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// Prompts on stderr and reads a line with the terminal's echo off.
bool PromptHidden(const char* prompt, std::string* line) {
  std::cerr << prompt << std::flush;
  termios old{};
  const bool tty = tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  const bool ok = ReadLine(line);
  if (tty) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << "\n";
  return ok;
}

}  // namespace

Result<OpenedAccess> OpenAccess(const std::string& db, bool create) {
  OpenedAccess out;
  WB_ASSIGN_OR_RETURN(out.reg, OpenRegistry(db, create));
  WB_ASSIGN_OR_RETURN(out.access, store::OpenAccessStore(*out.reg.store));
  out.clock = std::make_unique<store::SystemAccessClock>();
  return out;
}

void AddByOption(CLI::App* cmd, std::string* by) {
  cmd->add_option("--by", *by, "who acts, for the audit trail (default: cli:$USER)");
}

app::Origin CliOrigin(const std::string& by) {
  if (!by.empty()) return {by, "cli"};
  const char* user = std::getenv("USER");
  return {std::string("cli:") + (user != nullptr && *user != '\0' ? user : "unknown"), "cli"};
}

Result<std::string> ReadPassword() {
  std::string first;
  if (isatty(STDIN_FILENO) == 0) {
    if (!ReadLine(&first) || first.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "no password on standard input (one line)",
                       "password");
    }
    return first;
  }
  std::string second;
  if (!PromptHidden("password: ", &first) || !PromptHidden("password again: ", &second)) {
    return MakeError(ErrorCode::kInvalidArgument, "no password given", "password");
  }
  if (first != second) {
    return MakeError(ErrorCode::kInvalidArgument, "the two passwords differ", "password");
  }
  return first;
}

std::string UtcTime(int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace whereabouts::cli
