// Fuzzes the kinship case reader (io/kinship_case_json.h): any text gives cases or an Error
// naming the file, never an exception.
#include "fuzz/fuzz_util.h"
#include "io/kinship_case_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(whereabouts::fuzz::Text(data, size));
  auto c = whereabouts::io::ParseCaseFile(text, "fuzz/case.json");
  if (!c) WB_FUZZ_CHECK(c.error().ToString().find("fuzz/case.json") != std::string::npos);
  return 0;
}
