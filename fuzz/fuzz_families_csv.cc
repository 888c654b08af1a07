// Fuzzes the families reader (io/families_csv.h): any text gives families (and skipped ones, each
// with an Error) or an Error naming the file. Families read, written back with FormatFamilies,
// read back as the same number of families with nothing skipped.
#include "fuzz/fuzz_util.h"
#include "io/families_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto f = whereabouts::io::ParseFamilies(whereabouts::fuzz::Text(data, size), "fuzz.csv");
  if (!f) {
    WB_FUZZ_CHECK(f.error().field.rfind("fuzz.csv", 0) == 0);
    return 0;
  }
  for (const auto& e : f->skipped) WB_FUZZ_CHECK(e.field.rfind("fuzz.csv", 0) == 0);
  auto back =
      whereabouts::io::ParseFamilies(whereabouts::io::FormatFamilies(f->families, ','), "back.csv");
  WB_FUZZ_CHECK(back.has_value());
  WB_FUZZ_CHECK(back->skipped.empty());
  WB_FUZZ_CHECK(back->families.size() == f->families.size());
  return 0;
}
