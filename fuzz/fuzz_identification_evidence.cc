// Fuzzes the reader of identification evidence (registry/identification_evidence.h: the
// evidence.txt that `import identifications` reads): any text gives evidence or an Error; what
// was read, written back and read again, is written back the same.
#include "fuzz/fuzz_util.h"
#include "registry/identification_evidence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using whereabouts::registry::DecodeEvidenceList;
  using whereabouts::registry::EncodeEvidenceList;
  auto r = DecodeEvidenceList(whereabouts::fuzz::Text(data, size));
  if (!r) {
    WB_FUZZ_CHECK(r.error().ToString().find("evidence line") != std::string::npos);
    return 0;
  }
  const std::string once = EncodeEvidenceList(*r);
  auto back = DecodeEvidenceList(once);
  WB_FUZZ_CHECK(back.has_value());
  WB_FUZZ_CHECK(back->size() == r->size());
  WB_FUZZ_CHECK(EncodeEvidenceList(*back) == once);
  return 0;
}
