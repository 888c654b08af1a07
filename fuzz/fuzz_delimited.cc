// Fuzzes the one CSV/TSV reader (io/delimited.h): any text gives a table or an Error, and a table
// written back with DelimitedWriter reads back to the same header and cells (so cells with CR,
// quotes, delimiters and surrounding spaces round-trip). The first byte picks the options.
#include "fuzz/fuzz_util.h"
#include "io/delimited.h"

using whereabouts::io::DelimitedOptions;
using whereabouts::io::DelimitedTable;
using whereabouts::io::DelimitedWriter;
using whereabouts::io::Quoting;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string_view text = whereabouts::fuzz::Text(data + 1, size - 1);
  DelimitedOptions options;
  options.delimiter = (mode & 3) == 1 ? ',' : (mode & 3) == 2 ? '\t' : 0;
  options.trim = (mode & 4) == 0;
  auto t = DelimitedTable::Parse(text, "fuzz.csv", options);
  if (!t) {
    WB_FUZZ_CHECK(t.error().field.rfind("fuzz.csv", 0) == 0);
    return 0;
  }
  for (const auto& row : t->rows()) WB_FUZZ_CHECK(row.cells.size() == t->header().size());
  if (t->header().empty()) return 0;
  DelimitedWriter w(t->delimiter(), options.trim ? Quoting::kWhenNeeded : Quoting::kRfc4180);
  w.Row(t->header());
  for (const auto& row : t->rows()) w.Row(row.cells);
  DelimitedOptions again = options;
  again.delimiter = t->delimiter();
  auto back = DelimitedTable::Parse(w.text(), "back.csv", again);
  if (!back) {
    std::fprintf(stderr, "written text does not parse: %s\n", back.error().ToString().c_str());
    std::abort();
  }
  WB_FUZZ_CHECK(back->header() == t->header());
  WB_FUZZ_CHECK(back->rows().size() == t->rows().size());
  for (size_t r = 0; r < t->rows().size(); ++r) {
    WB_FUZZ_CHECK(back->rows()[r].cells == t->rows()[r].cells);
  }
  return 0;
}
