// Documents as PDF (issue 12): a small document model (title, headings, paragraphs, key-value
// tables, tables with a header row, bar charts, pedigrees) laid out on A4 pages with margins, page
// breaks and "page N of M", and rendered with cairo's PDF surface and pango layouts. Pango shapes
// text with HarfBuzz and chooses each paragraph's direction from its first strong character, so
// Latin, Cyrillic, Armenian, Georgian and Arabic (right to left) render in one document; the fonts
// are the Noto families found through fontconfig (Debian's fonts-noto-core), embedded as subsets.
//
// Reproducible: the same Document gives the same bytes. The PDF's creation and modification
// dates are Document::date (the register's date, never the clock); nothing else variable is
// written (cairo 1.16 would otherwise date the file with the clock).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"

namespace whereabouts::io::pdf {

struct Heading {
  std::string text;
};
struct Paragraph {
  std::string text;  // plain text (no markup); '\n' breaks a line
};
// Two columns: a key (bold) and its value.
struct KeyValueTable {
  std::vector<std::pair<std::string, std::string>> rows;
};
// A header row and body rows; a row shorter than the header leaves its last cells empty.
// Columns whose index is in `numeric` are right-aligned.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<size_t> numeric;
  std::vector<int> indent;  // per row: indentation level of its first cell (may be empty)
  // The first column's share of the width relative to the other text columns (1: equal), for a
  // first column that names the row and should not wrap.
  double first_column_weight = 1.0;
};
// Horizontal bars, one per (label, value), scaled to the largest value.
struct BarChart {
  std::string title;
  std::vector<std::pair<std::string, int64_t>> bars;
};
// A family's pedigree drawn as genealogists do: squares for men, circles for women, diamonds for
// unknown sex; a line joins two parents, and a line from it descends to their children.
// Generations are rows (founders who married into the family sit beside their mate). A marked
// member (the missing person) is drawn with a thick double outline and an arrow; a shaded one
// (typed: a reference profile was compared) is filled grey. Each member is labelled below with
// `label` (may hold '\n').
struct PedigreeMember {
  std::string id;
  std::string sex;             // "male", "female", anything else: unknown
  std::string father, mother;  // ids of other members, or empty
  std::string label;
  bool marked = false;
  bool shaded = false;
};
struct PedigreeDrawing {
  std::vector<PedigreeMember> members;
};
using Block = std::variant<Heading, Paragraph, KeyValueTable, Table, BarChart, PedigreeDrawing>;

struct Document {
  std::string title;    // the first page's title and the PDF's Title
  std::string subject;  // the PDF's Subject ("" none)
  std::string date;     // YYYY-MM-DD: the PDF's creation and modification date ("" none)
  std::string footer;   // on every page, beside "page N of M" ("" none)
  std::vector<Block> blocks;
};

// The PDF bytes of `doc`. Errors: kInvalidArgument when `date` is not YYYY-MM-DD; kInternal when
// cairo fails. Thread-safety: safe to call concurrently (each call has its own surface); the
// fontconfig/pango font map is pango's, which is thread-safe. Complexity: linear in the text
// (laid out twice: once to count the pages).
[[nodiscard]] Result<std::string> RenderPdf(const Document& doc);

}  // namespace whereabouts::io::pdf
