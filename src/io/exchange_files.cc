#include "io/exchange_files.h"

#include "io/allele_table.h"
#include "io/families_csv.h"
#include "io/remains_csv.h"

namespace whereabouts::io {

std::vector<std::pair<std::string, std::string>> ExchangeFiles(
    const kinship::IdentifyInput& input) {
  return {{"families.csv", FormatFamilies(input.families)},
          {"references.tsv", FormatAlleleTable(input.references)},
          {"remains.csv", FormatRemains(input.remains)},
          {"remains-alleles.tsv", FormatAlleleTable(input.remains_profiles)}};
}

}  // namespace whereabouts::io
