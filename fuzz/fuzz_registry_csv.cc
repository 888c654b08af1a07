// Fuzzes the register's CSV readers (io/registry_csv.h: persons and relatives; io/list_csv.h: the
// list of persons sought): any text gives events or an Error naming the file. Every accepted
// payload must survive what the store does with it next (nlohmann::json::dump, which throws on
// invalid UTF-8: the "internal error" fuzzing found once), ids must be in range.
#include <nlohmann/json.hpp>

#include "common/numbers.h"
#include "fuzz/fuzz_util.h"
#include "io/list_csv.h"
#include "io/registry_csv.h"

namespace {

void CheckEvents(const whereabouts::Result<std::vector<whereabouts::registry::Event>>& events) {
  if (!events) {
    WB_FUZZ_CHECK(events.error().field.rfind("fuzz.csv", 0) == 0);
    return;
  }
  for (const auto& e : *events) {
    WB_FUZZ_CHECK(e.entity_id >= 0 && e.entity_id <= whereabouts::kMaxEntityId);
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : e.payload) j[k] = v;
    (void)j.dump();  // throws (a crash here) if a value is not UTF-8
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = whereabouts::fuzz::Text(data, size);
  (void)whereabouts::io::ListFromCsv(std::string(text));
  auto t = whereabouts::io::DelimitedTable::Parse(text, "fuzz.csv");
  if (!t) return 0;
  const auto day = whereabouts::registry::Date::Parse("2020-01-01");
  WB_FUZZ_CHECK(day.has_value());
  CheckEvents(whereabouts::io::PersonsFromCsv(*t, *day, "fuzzer", "fuzz"));
  CheckEvents(whereabouts::io::RelativesFromCsv(*t, *day, "fuzzer", "fuzz"));
  return 0;
}
