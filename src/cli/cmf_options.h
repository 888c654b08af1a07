// The header of a CMF file a command writes (`convert to-cmf`, `remains profile export --cmf`):
// who sends it to whom, and when. Options in, an io::CmfFile with its header filled out.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "common/result.h"
#include "io/cmf.h"

namespace whereabouts::cli {

struct CmfHeaderOptions {
  std::string destination_ori, source_lab, submitted_by, submitted_at, batch_id, kit;
};

// Adds --destination-ori, --source-lab, --submitted-by (required), --submitted-at (default: now,
// UTC), --batch-id and --kit.
void AddCmfHeaderOptions(CLI::App* cmd, CmfHeaderOptions* opt);

// An empty CMF file with the header of `opt`. Errors: kInvalidArgument naming the option whose
// value the schema refuses (too long, not a date and time).
[[nodiscard]] Result<io::CmfFile> CmfHeaderOf(const CmfHeaderOptions& opt);

}  // namespace whereabouts::cli
