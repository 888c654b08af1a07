// The register's DNA data as the exchange files of docs/FORMATS.md (`export dna`, `demo --dna`,
// and the inputs named in the id of a run on the register). Defined in cmd_identify.cc.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/dna_register.h"

namespace whereabouts::cli {

// families.csv, references.tsv, remains.csv, remains-alleles.tsv: name -> text, in that order.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> RegisterDnaFiles(
    const app::RegisterDna& dna);

}  // namespace whereabouts::cli
