// The documents of `whereabouts report` (issue 12): certificates of absence and of death, the
// family's notification letter, and the figures report as PDF. The use cases of src/app/ decide
// whether the register supports a document (a refusal names its reason, and nothing is written);
// the templates come from DataDir()/templates; the layout and the rendering from src/io/pdf/.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "app/reports.h"
#include "common/result.h"

namespace whereabouts::cli {

// Adds `certificate absence|death PERSON --pdf FILE`, `identification PROPOSAL --pdf FILE` and
// `letter PROPOSAL --pdf FILE` to the `report` subcommand.
void AddDocumentCommands(CLI::App* report, int& exit_code);

// Writes the figures report of `report` as a PDF at `path` (template figures.LANG.txt).
// Errors: kNotFound for a missing template; kInvalidArgument for a malformed one; kIo.
[[nodiscard]] Status WriteFiguresPdf(const app::FiguresReport& report, const std::string& lang,
                                     const std::string& path);

}  // namespace whereabouts::cli
