// The one way Whereabouts reads a number or an id from text (a CSV cell, an event payload, a
// command-line value): std::from_chars, so it never throws, ignores the locale and never turns
// garbage into 0. Every reader in src/io/ uses these; std::stoi/stoll/stod and atoi are not used
// on input.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "common/result.h"

namespace whereabouts {

// The largest register id accepted from input: 2^53 - 1, the largest integer that a JSON number
// (an IEEE double, as browsers and most JSON libraries read it) holds exactly. Ids above it, such
// as 9223372036854775807, are refused: the next id would overflow int64 and lists exported as JSON
// would change the id on the way.
inline constexpr int64_t kMaxEntityId = (int64_t{1} << 53) - 1;

// A whole number in [min, max], written as decimal digits with an optional leading '-' and
// nothing else (no spaces, no '+', no fraction, no exponent).
// Errors: kInvalidArgument naming `field`: "is empty", "is not a whole number", or "is out of
// range (min..max)". Thread-safe (pure).
[[nodiscard]] inline Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max,
                                                  std::string_view field) {
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "is empty", std::string(field));
  int64_t v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec == std::errc::result_out_of_range && ptr == end) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")",
                     std::string(field));
  }
  if (ec != std::errc() || ptr != end) {
    return MakeError(ErrorCode::kInvalidArgument, "is not a whole number", std::string(field));
  }
  if (v < min || v > max) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "is out of range (" + std::to_string(min) + ".." + std::to_string(max) + ")",
                     std::string(field));
  }
  return v;
}

// A register id: a whole number from 1 to kMaxEntityId. Errors: as ParseInteger, the message
// saying that a register id was expected. Thread-safe (pure).
[[nodiscard]] inline Result<int64_t> ParseEntityId(std::string_view text, std::string_view field) {
  auto v = ParseInteger(text, 1, kMaxEntityId, field);
  if (!v) {
    Error e = std::move(v).error();
    e.message = "expected a register id (a whole number from 1 to " + std::to_string(kMaxEntityId) +
                "): " + e.message;
    return tl::unexpected(std::move(e));
  }
  return v;
}

// A finite decimal number ("0.25", "-3", "1e-4"), with nothing before or after it; "nan", "inf"
// and values beyond the range of double are refused. Errors: kInvalidArgument naming `field`.
// Thread-safe (pure).
[[nodiscard]] inline Result<double> ParseDecimal(std::string_view text, std::string_view field) {
  if (text.empty()) return MakeError(ErrorCode::kInvalidArgument, "is empty", std::string(field));
  double v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v, std::chars_format::general);
  if (ec == std::errc::result_out_of_range && ptr == end) {
    return MakeError(ErrorCode::kInvalidArgument, "is out of the range of numbers",
                     std::string(field));
  }
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) {
    return MakeError(ErrorCode::kInvalidArgument, "is not a number", std::string(field));
  }
  return v;
}

}  // namespace whereabouts
