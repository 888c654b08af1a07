// Fuzzes the CODIS CMF 3.2 reader (io/cmf.h): any text gives a file or an Error naming the file;
// a file read, written back with FormatCmf (unless it holds a locus without a CODIS name), reads
// back the same.
#include "fuzz/fuzz_util.h"
#include "io/cmf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = whereabouts::fuzz::Text(data, size);
  auto read = whereabouts::io::ParseCmf(text, "fuzz.xml");
  if (!read) {
    WB_FUZZ_CHECK(read.error().field.rfind("fuzz.xml", 0) == 0);
    return 0;
  }
  for (const auto& s : read->specimens) (void)whereabouts::io::CmfProfile(s, nullptr);
  auto written = whereabouts::io::FormatCmf(*read);
  if (!written) {
    WB_FUZZ_CHECK(written.error().message.find("no CODIS locus name") != std::string::npos);
    return 0;
  }
  auto back = whereabouts::io::ParseCmf(*written, "back.xml");
  if (!back || !(*back == *read)) {
    std::fprintf(stderr, "written CMF does not read back the same: %s\n",
                 back ? "different data" : back.error().ToString().c_str());
    std::abort();
  }
  return 0;
}
