// Delimited text files (CSV and TSV) as docs/FORMATS.md describes them: UTF-8, comma- or
// tab-separated (detected from the header line), a header row, column names matched
// case-insensitively with surrounding spaces ignored, unknown columns ignored, RFC 4180 quoting
// ("a, b" and "say ""hi""", also across lines). Errors name the file, the line and the column.
//
// The readers of the exchange formats (allele_table.h, families_csv.h, remains_csv.h) are built on
// this; it knows nothing about their meaning.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace whereabouts::io {

// One data row: its cells and the (1-based) line of the file where it starts.
struct DelimitedRow {
  int line = 0;
  std::vector<std::string> cells;
};

// A parsed delimited file. Cells of unquoted fields have surrounding spaces removed; quoted fields
// are kept as written between the quotes. Blank lines are skipped; a UTF-8 byte-order mark and
// CRLF line ends are accepted. A row shorter than the header reads as empty cells.
class DelimitedTable {
 public:
  // Parses `text`; `source` names it in errors (usually the path).
  // Errors: kInvalidArgument for an empty file (no header), an empty or duplicate column name, an
  // unterminated quote or text after a closing quote (naming source:line).
  [[nodiscard]] static Result<DelimitedTable> Parse(std::string_view text,
                                                    const std::string& source);
  // Reads the file at `path` and parses it. Errors: kNotFound if it cannot be read; as Parse.
  [[nodiscard]] static Result<DelimitedTable> Read(const std::string& path);

  [[nodiscard]] const std::string& source() const { return source_; }
  [[nodiscard]] char delimiter() const { return delimiter_; }
  // Column names as written (surrounding spaces removed).
  [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
  [[nodiscard]] const std::vector<DelimitedRow>& rows() const { return rows_; }

  // Index of the column named `name` (case-insensitive, spaces around ignored), or -1.
  [[nodiscard]] int Column(std::string_view name) const;
  // As Column, but a missing column is an error: kInvalidArgument "source:1: missing column
  // 'name'".
  [[nodiscard]] Result<int> RequireColumn(std::string_view name) const;
  // The cell of `row` in `column`; empty when column < 0 or the row is shorter.
  [[nodiscard]] const std::string& Cell(const DelimitedRow& row, int column) const;
  // "source:line: Column Name" for errors about a cell (column < 0: "source:line").
  [[nodiscard]] std::string Where(const DelimitedRow& row, int column) const;
  [[nodiscard]] std::string Where(int line, int column) const;

 private:
  std::string source_;
  char delimiter_ = ',';
  std::vector<std::string> header_;
  std::vector<std::string> header_key_;  // lower case, for lookup
  std::vector<DelimitedRow> rows_;
};

// Lower-cases ASCII and trims surrounding spaces and tabs: the key column names are matched on.
[[nodiscard]] std::string ColumnKey(std::string_view name);

// `cell` quoted for a file separated by `delimiter` when it must be (it holds the delimiter, a
// quote, a line break, or surrounding spaces), else unchanged.
[[nodiscard]] std::string QuoteCell(std::string_view cell, char delimiter);

// Builds delimited text row by row, quoting where needed; lines end with '\n'.
class DelimitedWriter {
 public:
  explicit DelimitedWriter(char delimiter = ',') : delimiter_(delimiter) {}
  void Row(const std::vector<std::string>& cells);
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  char delimiter_;
  std::string text_;
};

// The delimiter for a path: '\t' for .tsv/.txt/.tab, ',' otherwise.
[[nodiscard]] char DelimiterForPath(const std::string& path);

// Writes `text` to `path`, replacing it. Errors: kIo naming the path.
[[nodiscard]] Status WriteTextFile(const std::string& path, std::string_view text);

}  // namespace whereabouts::io
