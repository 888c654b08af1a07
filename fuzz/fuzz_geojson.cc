// Fuzzes the GeoJSON reader (io/geojson.h): any text gives sites and areas or an Error naming the
// file, never an exception.
#include "fuzz/fuzz_util.h"
#include "io/geojson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto g = whereabouts::io::ParseGeoJson(whereabouts::fuzz::Text(data, size), "fuzz.geojson");
  if (!g) WB_FUZZ_CHECK(g.error().ToString().find("fuzz.geojson") != std::string::npos);
  return 0;
}
