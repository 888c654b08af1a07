// Entry point of the `whereabouts` command.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

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
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  } catch (const std::exception& e) {
    PrintError(std::string("internal error: ") + e.what());
    return kExitFailure;
  }
  return exit_code;
}
