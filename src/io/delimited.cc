#include "io/delimited.h"

#include <fstream>
#include <set>

#include "io/frequency_tsv.h"

namespace whereabouts::io {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string Trim(std::string_view s, char delimiter) {
  // Tabs are not trimmed in tab-separated files (they are the delimiter there).
  auto space = [&](char c) { return c == ' ' || (c == '\t' && delimiter != '\t'); };
  size_t b = 0, e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// Picks the delimiter from the first non-blank line: tab if it has a tab outside quotes, else
// comma.
char DetectDelimiter(std::string_view text) {
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\t') return '\t';
    if (c == '\n') {
      // Stop at the end of the first line that has content.
      return ',';
    }
  }
  return ',';
}

struct RawRecord {
  int line = 0;
  std::vector<std::string> cells;
  bool blank = true;
};

// Splits `text` into records. Errors name source:line.
Result<std::vector<RawRecord>> Split(std::string_view text, char delim, const std::string& source) {
  std::vector<RawRecord> records;
  size_t i = 0;
  int line = 1;
  const size_t n = text.size();
  while (i < n) {
    RawRecord rec;
    rec.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      // One field.
      size_t start = i;
      while (i < n && text[i] == ' ') ++i;
      if (i < n && text[i] == '"') {
        const int quote_line = line;
        ++i;
        std::string value;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              value.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          if (c == '\r' && i + 1 < n && text[i + 1] == '\n') {
            ++i;
            continue;
          }
          value.push_back(c);
          ++i;
        }
        if (!closed) {
          return MakeError(ErrorCode::kInvalidArgument, "quoted field is not closed",
                           source + ":" + std::to_string(quote_line) + ": column " +
                               std::to_string(rec.cells.size() + 1));
        }
        while (i < n && text[i] == ' ') ++i;
        if (i < n && text[i] != delim && text[i] != '\n' && text[i] != '\r') {
          return MakeError(ErrorCode::kInvalidArgument, "text after the closing quote of a field",
                           source + ":" + std::to_string(line) + ": column " +
                               std::to_string(rec.cells.size() + 1));
        }
        rec.cells.push_back(std::move(value));
        rec.blank = false;
      } else {
        i = start;
        size_t e = i;
        while (e < n && text[e] != delim && text[e] != '\n' && text[e] != '\r') ++e;
        std::string cell = Trim(text.substr(i, e - i), delim);
        if (!cell.empty()) rec.blank = false;
        rec.cells.push_back(std::move(cell));
        i = e;
      }
      if (i < n && text[i] == delim) {
        ++i;
        rec.blank = false;  // a line of delimiters is a row of empty cells, not a blank line
        continue;
      }
      // End of line or of text.
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      end_of_record = true;
    }
    if (!rec.blank) records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace

std::string ColumnKey(std::string_view name) {
  size_t b = 0, e = name.size();
  while (b < e && IsSpace(name[b])) ++b;
  while (e > b && IsSpace(name[e - 1])) --e;
  std::string out(name.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<DelimitedTable> DelimitedTable::Parse(std::string_view text, const std::string& source) {
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF) {
    text.remove_prefix(3);
  }
  // Skip blank lines before the header when detecting the delimiter.
  size_t first = 0;
  while (first < text.size() && (text[first] == '\n' || text[first] == '\r' || text[first] == ' '))
    ++first;
  DelimitedTable t;
  t.source_ = source;
  t.delimiter_ = DetectDelimiter(text.substr(first));
  WB_ASSIGN_OR_RETURN(auto records, Split(text, t.delimiter_, source));
  if (records.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "file is empty: a header row is required",
                     source);
  }
  std::set<std::string> seen;
  for (size_t c = 0; c < records[0].cells.size(); ++c) {
    std::string name = Trim(records[0].cells[c], '\0');
    std::string key = ColumnKey(name);
    const std::string where =
        source + ":" + std::to_string(records[0].line) + ": column " + std::to_string(c + 1);
    if (key.empty()) {
      // A trailing empty column (a line ending in a delimiter) is common in exports: ignore it.
      if (c + 1 == records[0].cells.size()) break;
      return MakeError(ErrorCode::kInvalidArgument, "empty column name in the header", where);
    }
    if (!seen.insert(key).second) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "column '" + name + "' appears twice in the header", where);
    }
    t.header_.push_back(std::move(name));
    t.header_key_.push_back(std::move(key));
  }
  t.rows_.reserve(records.size() - 1);
  for (size_t r = 1; r < records.size(); ++r) {
    t.rows_.push_back(DelimitedRow{records[r].line, std::move(records[r].cells)});
  }
  return t;
}

Result<DelimitedTable> DelimitedTable::Read(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return Parse(text, path);
}

int DelimitedTable::Column(std::string_view name) const {
  const std::string key = ColumnKey(name);
  for (size_t i = 0; i < header_key_.size(); ++i) {
    if (header_key_[i] == key) return static_cast<int>(i);
  }
  return -1;
}

Result<int> DelimitedTable::RequireColumn(std::string_view name) const {
  const int c = Column(name);
  if (c < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "missing column '" + std::string(name) + "' in the header",
                     source_ + ":1: " + std::string(name));
  }
  return c;
}

const std::string& DelimitedTable::Cell(const DelimitedRow& row, int column) const {
  static const std::string kEmpty;
  if (column < 0 || column >= static_cast<int>(row.cells.size())) return kEmpty;
  return row.cells[column];
}

std::string DelimitedTable::Where(int line, int column) const {
  std::string w = source_ + ":" + std::to_string(line);
  if (column >= 0 && column < static_cast<int>(header_.size())) w += ": " + header_[column];
  return w;
}

std::string DelimitedTable::Where(const DelimitedRow& row, int column) const {
  return Where(row.line, column);
}

std::string QuoteCell(std::string_view cell, char delimiter) {
  bool need = !cell.empty() && (IsSpace(cell.front()) || IsSpace(cell.back()));
  for (char c : cell) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') need = true;
  }
  if (!need) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void DelimitedWriter::Row(const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) text_.push_back(delimiter_);
    text_ += QuoteCell(cells[i], delimiter_);
  }
  text_.push_back('\n');
}

char DelimiterForPath(const std::string& path) {
  auto ends = [&](std::string_view suffix) {
    if (path.size() < suffix.size()) return false;
    return ColumnKey(path.substr(path.size() - suffix.size())) == suffix;
  };
  return ends(".tsv") || ends(".txt") || ends(".tab") ? '\t' : ',';
}

Status WriteTextFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return MakeError(ErrorCode::kIo, "cannot write file", path);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) return MakeError(ErrorCode::kIo, "writing failed", path);
  return {};
}

}  // namespace whereabouts::io
