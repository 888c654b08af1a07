// Entry point of the `whereabouts` command.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <regex>
#include <string>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace whereabouts::cli;
  CLI::App app{"Whereabouts: establishing the fate of missing persons with DNA and records"};
  app.set_version_flag("--version", std::string("whereabouts 0.1.0"));
  app.require_subcommand(1);
  int exit_code = kExitOk;
  int count = 0;
  const Registrar* registrars = Registrars(&count);
  for (int i = 0; i < count; ++i) registrars[i](app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // One line, as every other refusal: the option and what is wrong with it. CLI11 states the
    // upper bound of PositiveNumber and NonNegativeNumber as the largest double, in full.
    std::string what = e.what();
    what.erase(what.find_last_not_of(" \n") + 1);
    what = std::regex_replace(what, std::regex(R"( to 17976931348623157[0-9]*(\.[0-9]*)?)"),
                              " to 1.8e308");
    what = std::regex_replace(what, std::regex(R"(\s*\n\s*)"), "; ");
    PrintError(what + " (see --help)");
    return kExitBadInput;
  } catch (const std::exception& e) {
    PrintError(std::string("internal error: ") + e.what());
    return kExitFailure;
  }
  return exit_code;
}
