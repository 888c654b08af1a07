#include "io/frequency_tsv.h"

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "common/numbers.h"
#include "io/delimited.h"

namespace whereabouts::io {

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<kinship::FrequencyDatabase> ParseFrequencyTsv(const std::string& text, const std::string& source) {
  // The one delimited reader, with the delimiter fixed: a frequency database is tab-separated.
  WB_ASSIGN_OR_RETURN(const DelimitedTable t,
                      DelimitedTable::Parse(text, source, DelimitedOptions{'\t', true}));
  const int col_marker = t.Column("marker"), col_allele = t.Column("allele"),
            col_freq = t.Column("frequency");
  if (col_marker < 0 || col_allele < 0 || col_freq < 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "header must name the tab-separated columns marker, allele, frequency",
                     source + ":1");
  }
  std::vector<kinship::MarkerFrequencies> markers;
  std::map<std::string, size_t> index;
  for (const DelimitedRow& row : t.rows()) {
    const std::string name = kinship::CanonicalMarkerName(t.Cell(row, col_marker));
    if (name.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "empty marker name", t.Where(row, col_marker));
    }
    auto allele = kinship::CanonicalAllele(t.Cell(row, col_allele));
    if (!allele) {
      return MakeError(ErrorCode::kInvalidArgument, allele.error().message,
                       t.Where(row, col_allele));
    }
    const std::string& ftext = t.Cell(row, col_freq);
    auto f = ParseDecimal(ftext, t.Where(row, col_freq));
    if (!f) {
      return MakeError(ErrorCode::kInvalidArgument, "frequency '" + ftext + "' is not a number",
                       f.error().field);
    }
    auto [it, inserted] = index.emplace(name, markers.size());
    if (inserted) markers.push_back(kinship::MarkerFrequencies{name, {}, {}, {}});
    auto& m = markers[it->second];
    if (m.IndexOf(*allele) >= 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "allele " + *allele + " of marker " + name + " is listed twice",
                       t.Where(row, -1));
    }
    m.alleles.push_back(*allele);
    m.frequencies.push_back(*f);
  }
  auto db = kinship::FrequencyDatabase::Create(std::move(markers));
  if (!db) return tl::unexpected(WithContext(db.error(), source));
  return db;
}

Result<kinship::FrequencyDatabase> ReadFrequencyFile(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseFrequencyTsv(text, path);
}

}  // namespace whereabouts::io
