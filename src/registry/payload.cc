#include "registry/payload.h"

#include <limits>
#include <string>

#include "common/numbers.h"

namespace whereabouts::registry {

Result<int64_t> ParseId(std::string_view text, std::string_view field) {
  // The one number parser (common/numbers.h); the bounds of stored payloads stay as they were.
  auto v = ParseInteger(text, 0, std::numeric_limits<int64_t>::max(), field);
  if (!v) return MakeError(ErrorCode::kInvalidArgument, "expected an id", std::string(field));
  return v;
}

Result<std::optional<Date>> ParseDateField(std::string_view text, std::string_view field) {
  auto d = ParseOptionalDate(text);
  if (!d) return tl::unexpected(WithContext(d.error(), std::string(field)));
  return *d;
}

}  // namespace whereabouts::registry
