// Fuzzes the frequency database reader (io/frequency_tsv.h): any text gives a database or an
// Error naming the file, never an exception.
#include "fuzz/fuzz_util.h"
#include "io/frequency_tsv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(whereabouts::fuzz::Text(data, size));
  auto db = whereabouts::io::ParseFrequencyTsv(text, "fuzz.tsv");
  if (!db) WB_FUZZ_CHECK(db.error().ToString().find("fuzz.tsv") != std::string::npos);
  return 0;
}
