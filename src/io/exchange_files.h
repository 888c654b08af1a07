// The identification input as the exchange files of docs/FORMATS.md, named as the laboratory
// names them: what a run on the register writes for its run id (app/identify_run.h) and what
// `export dna` writes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kinship/identify.h"

namespace whereabouts::io {

// (file name, bytes) of families.csv, references.tsv, remains.csv and remains-alleles.tsv, in that
// order. The frequency database is not among them (it has its own file).
[[nodiscard]] std::vector<std::pair<std::string, std::string>> ExchangeFiles(
    const kinship::IdentifyInput& input);

}  // namespace whereabouts::io
