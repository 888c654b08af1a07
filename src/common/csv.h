// CSV cells as RFC 4180 writes them, shared by the register's canonical list export and the CLI's
// CSV output (the list's SHA-256 is taken over these bytes: the rule must not change).
#pragma once

#include <string>

namespace whereabouts {

// `s` as one CSV cell: unchanged unless it holds a comma, a quote or a line break; then quoted,
// with its quotes doubled. Thread-safe (pure).
[[nodiscard]] inline std::string CsvCell(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace whereabouts
