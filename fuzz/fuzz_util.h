// Helpers shared by the libFuzzer targets of fuzz/ (one per parser of src/io/; see
// fuzz/README.md). A target returns normally for any input that gives a value or an Error; a
// thrown exception, a sanitizer report or a broken invariant (WB_FUZZ_CHECK) is a crash.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define WB_FUZZ_CHECK(cond)                                                             \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)

namespace whereabouts::fuzz {

inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace whereabouts::fuzz
