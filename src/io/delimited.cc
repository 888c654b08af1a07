#include "io/delimited.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <set>

#include "io/frequency_tsv.h"
#include "registry/sha256.h"

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

std::string At(const std::string& source, int line, size_t column) {
  return source + ":" + std::to_string(line) + ": column " + std::to_string(column);
}

// Splits `text` into records. Errors name source:line.
Result<std::vector<RawRecord>> Split(std::string_view text, char delim, bool trim,
                                     const std::string& source, int first_line) {
  std::vector<RawRecord> records;
  size_t i = 0;
  int line = first_line;
  const size_t n = text.size();
  while (i < n) {
    RawRecord rec;
    rec.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      // One field.
      size_t start = i;
      if (trim) {
        while (i < n && text[i] == ' ') ++i;
      }
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
          // Line breaks inside quotes belong to the cell as written (CR, LF or CRLF), so that a
          // cell holding a CR reads back as it was written.
          if (c == '\n') ++line;
          value.push_back(c);
          ++i;
        }
        if (!closed) {
          return MakeError(ErrorCode::kInvalidArgument, "quoted field is not closed",
                           At(source, quote_line, rec.cells.size() + 1));
        }
        if (trim) {
          while (i < n && text[i] == ' ') ++i;
        }
        if (i < n && text[i] != delim && text[i] != '\n' && text[i] != '\r') {
          return MakeError(ErrorCode::kInvalidArgument, "text after the closing quote of a field",
                           At(source, line, rec.cells.size() + 1));
        }
        rec.cells.push_back(std::move(value));
        rec.blank = false;
      } else {
        i = start;
        size_t e = i;
        while (e < n && text[e] != delim && text[e] != '\n' && text[e] != '\r') ++e;
        std::string cell =
            trim ? Trim(text.substr(i, e - i), delim) : std::string(text.substr(i, e - i));
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

// Edit distance (Levenshtein) of two short ASCII keys, for "did you mean".
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

size_t FindInvalidUtf8(std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // no overlong forms
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // no overlong forms
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
      if (b < l || b > h) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

Status CheckUtf8Text(std::string_view text, const std::string& source) {
  size_t bad = FindInvalidUtf8(text);
  const size_t nul = text.find('\0');
  if (bad == std::string_view::npos && nul == std::string_view::npos) return {};
  bad = std::min(bad, nul);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
  const std::string message =
      bad == nul
          ? "a NUL byte: not a text file"
          : std::string("byte ") + hex +
                " is not UTF-8 (save the file as UTF-8, e.g. not as Latin-1 or Windows-1252)";
  return MakeError(ErrorCode::kInvalidArgument, message, source + ":" + std::to_string(line));
}

std::string ColumnKey(std::string_view name) {
  size_t b = 0, e = name.size();
  while (b < e && IsSpace(name[b])) ++b;
  while (e > b && IsSpace(name[e - 1])) --e;
  std::string out(name.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<DelimitedTable> DelimitedTable::Parse(std::string_view text, const std::string& source,
                                             const DelimitedOptions& options) {
  if (auto utf8 = CheckUtf8Text(text, source); !utf8) {
    if (options.first_line == 1) return tl::unexpected(utf8.error());
    // A chunk: the line CheckUtf8Text counted is from the chunk's start.
    Error e = utf8.error();
    const size_t colon = e.field.rfind(':');
    int line = 0;
    std::from_chars(e.field.data() + colon + 1, e.field.data() + e.field.size(), line);
    e.field = source + ":" + std::to_string(line + options.first_line - 1);
    return tl::unexpected(std::move(e));
  }
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
  t.delimiter_ = options.delimiter != 0 ? options.delimiter : DetectDelimiter(text.substr(first));
  WB_ASSIGN_OR_RETURN(auto records,
                      Split(text, t.delimiter_, options.trim, source, options.first_line));
  if (records.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "file is empty: a header row is required",
                     source);
  }
  t.header_line_ = records[0].line;
  std::set<std::string> seen;
  for (size_t c = 0; c < records[0].cells.size(); ++c) {
    std::string name = Trim(records[0].cells[c], '\0');
    std::string key = ColumnKey(name);
    const std::string where = At(source, records[0].line, c + 1);
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
  const size_t width = t.header_.size();
  t.rows_.reserve(records.size() - 1);
  for (size_t r = 1; r < records.size(); ++r) {
    RawRecord& rec = records[r];
    if (rec.cells.size() < width) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "row has " + std::to_string(rec.cells.size()) + " cells, the header has " +
                           std::to_string(width) + " columns (a short row)",
                       source + ":" + std::to_string(rec.line));
    }
    for (size_t c = width; c < rec.cells.size(); ++c) {
      if (!rec.cells[c].empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "row has " + std::to_string(rec.cells.size()) + " cells, the header has " +
                             std::to_string(width) + " columns: cell " + std::to_string(c + 1) +
                             " is under no column",
                         At(source, rec.line, c + 1));
      }
    }
    rec.cells.resize(width);  // only empty cells after the last column are dropped
    t.rows_.push_back(DelimitedRow{rec.line, std::move(rec.cells)});
  }
  return t;
}

Result<std::unique_ptr<DelimitedChunkReader>> DelimitedChunkReader::Open(
    const std::string& path, const DelimitedOptions& options) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) return MakeError(ErrorCode::kNotFound, "cannot read the file", path);
  std::unique_ptr<DelimitedChunkReader> r(new DelimitedChunkReader());
  r->in_ = std::move(file);
  r->path_ = path;
  r->options_ = options;
  // The header: blank lines, then one record (its quotes balanced).
  bool in_quote = false;
  bool content = false;
  std::string line;
  while (r->ReadLine(line)) {
    ++r->header_lines_;
    for (char c : line) {
      if (c == '"') in_quote = !in_quote;
      if (c != ' ' && c != '\r' && c != '\n') content = true;
    }
    r->header_text_ += line;
    line.clear();
    if (content && !in_quote) break;
  }
  return r;
}

bool DelimitedChunkReader::ReadLine(std::string& out) {
  if (at_end_) return false;
  std::string line;
  if (!std::getline(*in_, line)) {
    at_end_ = true;
    return false;
  }
  ++next_line_;
  out += line;
  if (!in_->eof()) out += '\n';
  return true;
}

Result<std::optional<DelimitedTable>> DelimitedChunkReader::Next(size_t max_rows) {
  if (in_->bad()) return MakeError(ErrorCode::kIo, "the file could not be read on", path_);
  const int first = next_line_;  // the file's line of the chunk's first record
  std::string records;
  size_t rows = 0;
  bool in_quote = false;
  bool content = false;
  std::string line;
  while (rows < max_rows && ReadLine(line)) {
    for (char c : line) {
      if (c == '"') in_quote = !in_quote;
      if (c != ' ' && c != '\r' && c != '\n') content = true;
    }
    records += line;
    line.clear();
    if (!in_quote) {
      if (content) ++rows;
      content = false;
    }
  }
  if (rows == 0 && records.find_first_not_of(" \r\n") == std::string::npos && !first_) {
    return std::optional<DelimitedTable>{};
  }
  first_ = false;
  DelimitedOptions o = options_;
  // The header's lines are counted before the chunk's first line.
  o.first_line = first - header_lines_;
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(header_text_ + records, path_, o));
  return std::optional<DelimitedTable>(std::move(t));
}

Result<std::string> Sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read the file", path);
  registry::Sha256Stream sha;
  std::string block(1 << 20, '\0');
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    sha.Update(std::string_view(block.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return MakeError(ErrorCode::kIo, "the file could not be read", path);
  return sha.HexDigest();
}

Result<DelimitedTable> DelimitedTable::Read(const std::string& path,
                                            const DelimitedOptions& options) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return Parse(text, path, options);
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

Status DelimitedTable::RequireKnownColumns(const std::vector<std::string>& known) const {
  std::string expected;
  for (const auto& k : known) expected += (expected.empty() ? "" : ", ") + k;
  for (size_t c = 0; c < header_key_.size(); ++c) {
    const bool ok = std::any_of(known.begin(), known.end(), [&](const std::string& k) {
      return ColumnKey(k) == header_key_[c];
    });
    if (ok) continue;
    std::string message = "unknown column '" + header_[c] + "'";
    size_t best = std::string::npos;
    std::string closest;
    for (const auto& k : known) {
      const size_t d = Distance(ColumnKey(k), header_key_[c]);
      if (d < best) {
        best = d;
        closest = k;
      }
    }
    if (best <= 3 && best < header_key_[c].size()) message += " (did you mean '" + closest + "'?)";
    message += "; the columns are: " + expected;
    return MakeError(ErrorCode::kInvalidArgument, message,
                     source_ + ":" + std::to_string(header_line_) + ": " + header_[c]);
  }
  return {};
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

std::string QuoteCell(std::string_view cell, char delimiter, Quoting quoting) {
  bool need = false;
  if (quoting == Quoting::kWhenNeeded) {
    need = (!cell.empty() && (IsSpace(cell.front()) || IsSpace(cell.back()))) ||
           cell.substr(0, 3) == "\xEF\xBB\xBF";
  }
  for (char c : cell) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') need = true;
    if (c == '\t' && quoting == Quoting::kWhenNeeded) need = true;
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

namespace {

// "-" followed by a decimal number (digits, an optional fraction, an optional exponent) or "inf".
bool IsNegativeNumber(std::string_view s) {
  if (s.size() < 2 || s[0] != '-') return false;
  s.remove_prefix(1);
  if (s == "inf") return true;
  size_t i = 0;
  const auto digits = [&] {
    const size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - from;
  };
  size_t n = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    n += digits();
  }
  if (n == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

}  // namespace

bool LooksLikeFormula(std::string_view cell) {
  const size_t start = cell.find_first_not_of('\'');
  if (start == std::string_view::npos) return false;
  const std::string_view rest = cell.substr(start);
  switch (rest.front()) {
    case '=':
    case '+':
    case '@':
    case '\t':
    case '\r':
      return true;
    case '-':
      return rest != "-" && !IsNegativeNumber(rest);
    default:
      return false;
  }
}

std::string NeutraliseFormulaCell(std::string_view cell) {
  if (!LooksLikeFormula(cell)) return std::string(cell);
  return "'" + std::string(cell);
}

std::string RestoreFormulaCell(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '\'' && LooksLikeFormula(cell.substr(1))) {
    return std::string(cell.substr(1));
  }
  return std::string(cell);
}

void DelimitedWriter::Row(const std::vector<std::string>& cells) {
  if (cells.size() == 1 && cells[0].empty()) {
    text_ += "\"\"\n";
    return;
  }
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) text_.push_back(delimiter_);
    const std::string cell =
        formulas_ == Formulas::kNeutralise ? NeutraliseFormulaCell(cells[i]) : cells[i];
    // A byte-order mark at the very start of the text would be taken for the file's: quote it.
    const bool bom_first = text_.empty() && cell.rfind("\xEF\xBB\xBF", 0) == 0;
    text_ += QuoteCell(cell, delimiter_, bom_first ? Quoting::kWhenNeeded : quoting_);
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
