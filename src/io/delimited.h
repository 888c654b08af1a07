// Delimited text files (CSV and TSV) as docs/FORMATS.md describes them: UTF-8, comma- or
// tab-separated (detected from the header line), a header row, column names matched
// case-insensitively with surrounding spaces ignored, RFC 4180 quoting ("a, b" and
// "say ""hi""", also across lines). Errors name the file, the line and the column.
//
// This is the one CSV/TSV reader and writer of Whereabouts: every reader of a delimited file
// (allele_table.h, families_csv.h, remains_csv.h, frequency_tsv.h, registry_csv.h, list_csv.h)
// and every CSV the CLI prints is built on it; it knows nothing about their meaning. It never
// throws.
#pragma once

#include <istream>
#include <memory>
#include <optional>
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

// How a delimited file is read.
struct DelimitedOptions {
  // ',' or '\t'; 0: detected from the header line (tab if it has one outside quotes, else comma).
  char delimiter = 0;
  // Remove spaces (and, in CSV, tabs) around unquoted cells. Off for files written with
  // Quoting::kRfc4180, whose unquoted cells may begin or end with spaces.
  bool trim = true;
  // The line number of the text's first line (a chunk of a file read in pieces).
  int first_line = 1;
};

// A parsed delimited file. Cells of unquoted fields have surrounding spaces removed (unless
// options.trim is off); quoted fields are kept exactly as written between the quotes, CR and LF
// included. Blank lines are skipped; a UTF-8 byte-order mark and CRLF line ends are accepted.
// Every row has the header's width: a shorter row, or a longer one with a non-empty cell beyond
// the last column, is refused (empty cells beyond it, from a trailing delimiter, are accepted).
class DelimitedTable {
 public:
  // Parses `text`; `source` names it in errors (usually the path).
  // Errors (kInvalidArgument, naming source:line and where known the column): text that is not
  // UTF-8 or holds a NUL byte, an empty file (no header), an empty or duplicate column name, an
  // unterminated quote, text after a closing quote, a row of the wrong width.
  // Never throws. Complexity: linear in the size of `text`.
  [[nodiscard]] static Result<DelimitedTable> Parse(std::string_view text,
                                                    const std::string& source,
                                                    const DelimitedOptions& options = {});
  // Reads the file at `path` and parses it. Errors: kNotFound if it cannot be read; as Parse.
  [[nodiscard]] static Result<DelimitedTable> Read(const std::string& path,
                                                   const DelimitedOptions& options = {});

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
  // Refuses a header with a column that is not in `known` (matched as Column matches), naming
  // each unknown column, the closest known name ("did you mean 'birth_date'?") and the expected
  // ones. For formats whose columns are fixed (the register's CSV files).
  // Errors: kInvalidArgument "source:line: column".
  [[nodiscard]] Status RequireKnownColumns(const std::vector<std::string>& known) const;
  // The cell of `row` in `column`; empty when column < 0 or out of the header.
  [[nodiscard]] const std::string& Cell(const DelimitedRow& row, int column) const;
  // "source:line: Column Name" for errors about a cell (column < 0: "source:line").
  [[nodiscard]] std::string Where(const DelimitedRow& row, int column) const;
  [[nodiscard]] std::string Where(int line, int column) const;

 private:
  std::string source_;
  char delimiter_ = ',';
  int header_line_ = 1;
  std::vector<std::string> header_;
  std::vector<std::string> header_key_;  // lower case, for lookup
  std::vector<DelimitedRow> rows_;
};

// Reads a delimited file in bounded memory, a chunk of rows at a time: each chunk is the header
// and up to `max_rows` complete records (a quoted cell may span lines), parsed as DelimitedTable
// does, with the file's own line numbers. Thread-compatible (one reader per thread).
class DelimitedChunkReader {
 public:
  // Opens `path` and reads its header. Errors: kNotFound if it cannot be read.
  [[nodiscard]] static Result<std::unique_ptr<DelimitedChunkReader>> Open(
      const std::string& path, const DelimitedOptions& options = {});
  // The next chunk (the first always, even with no rows: the header's checks run on it), or
  // nullopt after the last. Errors: as DelimitedTable::Parse, naming the file's lines; kIo when
  // the file cannot be read on.
  [[nodiscard]] Result<std::optional<DelimitedTable>> Next(size_t max_rows);

 private:
  DelimitedChunkReader() = default;
  // Appends the next line (with its '\n', if any) to `out`; false at the end of the file.
  bool ReadLine(std::string& out);

  std::unique_ptr<std::istream> in_;
  std::string path_;
  DelimitedOptions options_;
  std::string header_text_;  // the header record's text, blank lines before it included
  int header_lines_ = 0;
  int next_line_ = 1;  // the file's line number of the next line to read
  bool first_ = true;
  bool at_end_ = false;
};

// The SHA-256 of the file at `path`, read block by block (bounded memory). Errors: kNotFound.
[[nodiscard]] Result<std::string> Sha256OfFile(const std::string& path);

// Lower-cases ASCII and trims surrounding spaces and tabs: the key column names are matched on.
[[nodiscard]] std::string ColumnKey(std::string_view name);

// When the writer quotes a cell.
enum class Quoting {
  // Whenever DelimitedTable (trimming) would otherwise read it back differently: the cell holds
  // the delimiter, a quote, CR, LF or a tab, has surrounding spaces, or begins with a byte-order
  // mark.
  kWhenNeeded,
  // Strict RFC 4180: only when it holds the delimiter, a quote, CR or LF. The canonical list
  // export (list_csv.h) is written so and its SHA-256 is taken over these bytes: this rule must
  // not change. Read such files back with DelimitedOptions::trim off.
  kRfc4180,
};

// `cell` quoted for a file separated by `delimiter` when `quoting` says it must be (its quotes
// doubled), else unchanged. Thread-safe (pure).
[[nodiscard]] std::string QuoteCell(std::string_view cell, char delimiter,
                                    Quoting quoting = Quoting::kWhenNeeded);

// `cell` as one cell of a CSV line that is built by hand (Quoting::kRfc4180). Thread-safe (pure).
[[nodiscard]] inline std::string CsvCell(std::string_view cell) {
  return QuoteCell(cell, ',', Quoting::kRfc4180);
}

// Spreadsheet (CSV/formula) injection, as OWASP describes it: a spreadsheet takes a cell that
// begins with '=', '+', '-', '@', a tab or a carriage return for a formula. Files written for
// people (the list export, `person list --format csv`, `report figures --format csv`, the free
// text of identify's results) neutralise such cells by prefixing a single quote, which a
// spreadsheet shows as text and does not display.
//
// Exceptions, so that numbers stay numbers: a negative number ("-5", "-0.25", "-1e-3", "-inf")
// and a lone "-" are left as they are (neither can be a formula that calls anything).
// So that the neutralisation can be undone exactly (RestoreFormulaCell), a cell that already
// begins with quotes followed by such a character gets one quote more.
//
// Files our own readers read back with their exact cell text (allele tables, where '-' is a
// designation; families, remains, simulate's truth files; identify's ids and numbers) are NOT
// neutralised: use Formulas::kKeep (the default) for them.
enum class Formulas {
  kKeep,        // cells are written as given
  kNeutralise,  // NeutraliseFormulaCell on every cell (files for people)
};

// True when a spreadsheet would take `cell` (after any leading single quotes) for a formula.
// Thread-safe (pure).
[[nodiscard]] bool LooksLikeFormula(std::string_view cell);

// `cell` with a single quote prefixed when LooksLikeFormula(cell), else unchanged.
// Thread-safe (pure).
[[nodiscard]] std::string NeutraliseFormulaCell(std::string_view cell);

// The inverse of NeutraliseFormulaCell: one leading quote removed when the cell is "'" followed
// by what LooksLikeFormula takes for a formula. Thread-safe (pure).
[[nodiscard]] std::string RestoreFormulaCell(std::string_view cell);

// CsvCell(NeutraliseFormulaCell(cell)): a cell of a hand-built CSV line for people.
[[nodiscard]] inline std::string SafeCsvCell(std::string_view cell) {
  return QuoteCell(NeutraliseFormulaCell(cell), ',', Quoting::kRfc4180);
}

// Builds delimited text row by row, quoting where needed; lines end with '\n'. A row of one empty
// cell is written as "" so that it does not read back as a blank line. With Formulas::kNeutralise
// every cell is first passed through NeutraliseFormulaCell.
class DelimitedWriter {
 public:
  explicit DelimitedWriter(char delimiter = ',', Quoting quoting = Quoting::kWhenNeeded,
                           Formulas formulas = Formulas::kKeep)
      : delimiter_(delimiter), quoting_(quoting), formulas_(formulas) {}
  void Row(const std::vector<std::string>& cells);
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  char delimiter_;
  Quoting quoting_;
  Formulas formulas_;
  std::string text_;
};

// The delimiter for a path: '\t' for .tsv/.txt/.tab, ',' otherwise.
[[nodiscard]] char DelimiterForPath(const std::string& path);

// Writes `text` to `path`, replacing it. Errors: kIo naming the path.
[[nodiscard]] Status WriteTextFile(const std::string& path, std::string_view text);

// The offset of the first byte of `text` that is not part of well-formed UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF count as malformed), or std::string_view::npos when
// it is all UTF-8. Thread-safe (pure).
[[nodiscard]] size_t FindInvalidUtf8(std::string_view text);

// Refuses text that is not UTF-8 or holds a NUL byte: kInvalidArgument naming "source:line" and
// the offending byte. Every text reader of src/io/ checks its input with it first.
[[nodiscard]] Status CheckUtf8Text(std::string_view text, const std::string& source);

}  // namespace whereabouts::io
