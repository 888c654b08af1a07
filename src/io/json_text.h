// Parsing JSON text with nlohmann::json without letting its exceptions out: every failure of
// json::parse (malformed text, a number beyond double such as 1e400, invalid UTF-8) becomes an
// Error naming the source and, where it can be found, the line. Shared by the JSON readers of
// src/io/ (kinship_case_json.cc, geojson.cc).
#pragma once

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "common/result.h"

namespace whereabouts::io {

// The 1-based line of byte `offset` of `text`.
[[nodiscard]] inline int LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// Parses `text` as one JSON document. Errors: kInvalidArgument "source:line" ("malformed JSON:
// ..."). Never throws (beyond std::bad_alloc).
[[nodiscard]] inline Result<nlohmann::json> ParseJsonText(std::string_view text,
                                                          const std::string& source) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte: the 1-based position just past the error.
    const size_t at = e.byte > 0 ? e.byte - 1 : 0;
    return MakeError(ErrorCode::kInvalidArgument, std::string("malformed JSON: ") + e.what(),
                     source + ":" + std::to_string(LineOfOffset(text, at)));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range 406 "number overflow parsing '1e400'": find the number to name its line.
    std::string where = source;
    const std::string what = e.what();
    const size_t q1 = what.find('\'');
    const size_t q2 = q1 == std::string::npos ? q1 : what.find('\'', q1 + 1);
    if (q2 != std::string::npos && q2 > q1 + 1) {
      const std::string token = what.substr(q1 + 1, q2 - q1 - 1);
      for (size_t p = text.find(token); p != std::string_view::npos; p = text.find(token, p + 1)) {
        const bool starts =
            p == 0 || std::string_view(":[, \t\r\n").find(text[p - 1]) != std::string_view::npos;
        const size_t e2 = p + token.size();
        const bool ends = e2 == text.size() ||
                          std::string_view(",]} \t\r\n").find(text[e2]) != std::string_view::npos;
        if (starts && ends) {
          where += ":" + std::to_string(LineOfOffset(text, p));
          break;
        }
      }
    }
    return MakeError(ErrorCode::kInvalidArgument, std::string("malformed JSON: ") + e.what(),
                     where);
  }
}

}  // namespace whereabouts::io
