// Fuzzes the allele table reader (io/allele_table.h), strict, skipping bad samples and with
// warnings (GeneMapper exports): any text gives profiles or an Error naming the file; the strict
// reader fails exactly when the one with warnings left a sample out. Profiles read strictly,
// written back with FormatAlleleTable, read back without error.
#include "fuzz/fuzz_util.h"
#include "io/allele_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = whereabouts::fuzz::Text(data, size);
  auto skipping = whereabouts::io::ParseAlleleTableSkippingBadSamples(text, "fuzz.tsv");
  auto with_warnings = whereabouts::io::ParseAlleleTableWithWarnings(text, "fuzz.tsv");
  auto strict = whereabouts::io::ParseAlleleTable(text, "fuzz.tsv");
  if (with_warnings) {
    WB_FUZZ_CHECK(strict.has_value() == with_warnings->skipped.empty());
  }
  if (!strict) {
    WB_FUZZ_CHECK(strict.error().field.rfind("fuzz.tsv", 0) == 0);
    return 0;
  }
  WB_FUZZ_CHECK(skipping.has_value());
  auto back = whereabouts::io::ParseAlleleTable(whereabouts::io::FormatAlleleTable(*strict, '\t'),
                                                "back.tsv");
  if (!back) {
    std::fprintf(stderr, "written table does not parse: %s\n", back.error().ToString().c_str());
    std::abort();
  }
  return 0;
}
