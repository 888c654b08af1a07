#include "io/list_csv.h"

#include "common/numbers.h"
#include "io/delimited.h"

namespace whereabouts::io {

namespace {

std::string ToCsv(const std::vector<registry::ListEntry>& entries, Formulas formulas) {
  DelimitedWriter w(',', Quoting::kRfc4180, formulas);
  w.Row(registry::ListColumns());
  std::vector<std::string> cells;
  for (const registry::ListEntry& e : entries) {
    cells.clear();
    cells.push_back(std::to_string(e.id));
    for (const std::string* f : registry::ListEntryFields(e)) cells.push_back(*f);
    w.Row(cells);
  }
  return w.text();
}

}  // namespace

std::string ListToCsv(const std::vector<registry::ListEntry>& entries) {
  return ToCsv(entries, Formulas::kNeutralise);
}

std::string ListToCsvV1(const std::vector<registry::ListEntry>& entries) {
  return ToCsv(entries, Formulas::kKeep);
}

Result<std::vector<registry::ListEntry>> ListFromCsv(const std::string& text) {
  // Untrimmed: an unquoted cell may begin or end with spaces in a strict RFC 4180 file.
  auto table = DelimitedTable::Parse(text, "line", DelimitedOptions{',', false});
  if (!table) {
    // Errors of the table name "line:N"; this reader's name "line N".
    Error e = std::move(table).error();
    if (e.field.rfind("line:", 0) == 0) e.field = "line " + e.field.substr(5);
    return tl::unexpected(std::move(e));
  }
  if (table->header() != registry::ListColumns()) {
    return MakeError(ErrorCode::kInvalidArgument, "not a list of persons sought (header differs)",
                     "line 1");
  }
  std::vector<registry::ListEntry> out;
  out.reserve(table->rows().size());
  for (const DelimitedRow& row : table->rows()) {
    registry::ListEntry e;
    const std::string where = "line " + std::to_string(row.line) + ": id";
    WB_ASSIGN_OR_RETURN(e.id, ParseEntityId(row.cells[0], where));
    auto fields = registry::ListEntryFields(e);
    for (size_t k = 0; k < fields.size(); ++k) *fields[k] = RestoreFormulaCell(row.cells[k + 1]);
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace whereabouts::io
