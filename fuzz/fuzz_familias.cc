// Fuzzes the Familias .fam reader (io/familias.h): any text gives a file or an Error naming the
// file, never an exception; what is read converts to cases and identify inputs or to errors, and
// written back with FormatFam it reads back and writes the same text again.
#include "fuzz/fuzz_util.h"
#include "io/familias.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace whereabouts;
  auto fam = io::ParseFam(fuzz::Text(data, size), "fuzz.fam");
  if (!fam) {
    WB_FUZZ_CHECK(fam.error().field.find("fuzz.fam") != std::string::npos);
    return 0;
  }
  (void)io::FamDatabase(*fam, "fuzz.fam");
  (void)io::FamToCases(*fam, "", "fuzz.fam");
  (void)io::FamToIdentify(*fam, "fuzz.fam");
  auto text = io::FormatFam(*fam);
  if (text) {
    auto again = io::ParseFam(*text, "again.fam");
    WB_FUZZ_CHECK(again.has_value());
    auto text2 = io::FormatFam(*again);
    WB_FUZZ_CHECK(text2.has_value() && *text2 == *text);
  }
  return 0;
}
