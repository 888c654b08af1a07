// Fuzzes the remains reader (io/remains_csv.h): any text gives remains or an Error naming the
// file; remains written back with FormatRemains read back the same.
#include "fuzz/fuzz_util.h"
#include "io/remains_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = whereabouts::io::ParseRemains(whereabouts::fuzz::Text(data, size), "fuzz.csv");
  if (!r) {
    WB_FUZZ_CHECK(r.error().field.rfind("fuzz.csv", 0) == 0);
    return 0;
  }
  auto back = whereabouts::io::ParseRemains(whereabouts::io::FormatRemains(*r, ','), "back.csv");
  WB_FUZZ_CHECK(back.has_value());
  WB_FUZZ_CHECK(back->size() == r->size());
  for (size_t i = 0; i < r->size(); ++i) {
    WB_FUZZ_CHECK((*back)[i].sample == (*r)[i].sample);
    WB_FUZZ_CHECK((*back)[i].bag == (*r)[i].bag);
    WB_FUZZ_CHECK((*back)[i].site == (*r)[i].site);
  }
  return 0;
}
