#include "registry/payload.h"

#include <charconv>
#include <string>

namespace whereabouts::registry {

Result<int64_t> ParseId(std::string_view text, std::string_view field) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || v < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "expected an id", std::string(field));
  }
  return v;
}

Result<std::optional<Date>> ParseDateField(std::string_view text, std::string_view field) {
  auto d = ParseOptionalDate(text);
  if (!d) return tl::unexpected(WithContext(d.error(), std::string(field)));
  return *d;
}

}  // namespace whereabouts::registry
