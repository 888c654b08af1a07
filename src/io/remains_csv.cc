#include "io/remains_csv.h"

#include <map>

#include "io/delimited.h"
#include "io/frequency_tsv.h"

namespace whereabouts::io {

Result<std::vector<kinship::RemainsSample>> ParseRemains(std::string_view text,
                                                         const std::string& source) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, source));
  WB_ASSIGN_OR_RETURN(const int col_sample, t.RequireColumn("sample"));
  WB_ASSIGN_OR_RETURN(const int col_bag, t.RequireColumn("bag"));
  const int col_site = t.Column("site");
  std::vector<kinship::RemainsSample> out;
  out.reserve(t.rows().size());
  std::map<std::string, int> lines;
  for (const auto& row : t.rows()) {
    kinship::RemainsSample r{t.Cell(row, col_sample), t.Cell(row, col_bag), t.Cell(row, col_site)};
    if (r.sample.empty())
      return MakeError(ErrorCode::kInvalidArgument, "empty sample", t.Where(row, col_sample));
    if (r.bag.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "sample " + r.sample + " has no bag",
                       t.Where(row, col_bag));
    }
    auto [it, inserted] = lines.emplace(r.sample, row.line);
    if (!inserted) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "sample " + r.sample + " is listed twice (first on line " +
                           std::to_string(it->second) + ")",
                       t.Where(row, col_sample));
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<kinship::RemainsSample>> ReadRemains(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseRemains(text, path);
}

std::string FormatRemains(const std::vector<kinship::RemainsSample>& remains, char delimiter) {
  DelimitedWriter w(delimiter);
  w.Row({"sample", "bag", "site"});
  for (const auto& r : remains) w.Row({r.sample, r.bag, r.site});
  return w.text();
}

Status WriteRemains(const std::string& path, const std::vector<kinship::RemainsSample>& remains) {
  return WriteTextFile(path, FormatRemains(remains, DelimiterForPath(path)));
}

}  // namespace whereabouts::io
