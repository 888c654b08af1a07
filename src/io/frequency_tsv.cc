#include "io/frequency_tsv.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace whereabouts::io {
namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, '\t')) out.push_back(cell);
  if (!line.empty() && line.back() == '\t') out.emplace_back();
  return out;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  return s;
}

}  // namespace

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<kinship::FrequencyDatabase> ParseFrequencyTsv(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  int col_marker = -1, col_allele = -1, col_freq = -1;
  std::vector<kinship::MarkerFrequencies> markers;
  std::map<std::string, size_t> index;
  auto where = [&](int l) { return source + ":" + std::to_string(l); };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    auto cells = SplitTabs(line);
    if (col_marker < 0) {
      for (size_t i = 0; i < cells.size(); ++i) {
        const std::string h = Lower(cells[i]);
        if (h == "marker") col_marker = static_cast<int>(i);
        if (h == "allele") col_allele = static_cast<int>(i);
        if (h == "frequency") col_freq = static_cast<int>(i);
      }
      if (col_marker < 0 || col_allele < 0 || col_freq < 0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "header must name the tab-separated columns marker, allele, frequency",
                         where(line_no));
      }
      continue;
    }
    const int need = std::max({col_marker, col_allele, col_freq});
    if (static_cast<int>(cells.size()) <= need) {
      return MakeError(ErrorCode::kInvalidArgument, "expected 3 tab-separated columns", where(line_no));
    }
    const std::string name = kinship::CanonicalMarkerName(cells[col_marker]);
    if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty marker name", where(line_no));
    auto allele = kinship::CanonicalAllele(cells[col_allele]);
    if (!allele) return MakeError(ErrorCode::kInvalidArgument, allele.error().message, where(line_no) + ": allele");
    errno = 0;
    char* end = nullptr;
    const std::string ftext = cells[col_freq];
    const double f = std::strtod(ftext.c_str(), &end);
    if (ftext.empty() || errno != 0 || (end != nullptr && *end != '\0' && *end != ' ')) {
      return MakeError(ErrorCode::kInvalidArgument, "frequency '" + ftext + "' is not a number",
                       where(line_no) + ": frequency");
    }
    auto [it, inserted] = index.emplace(name, markers.size());
    if (inserted) markers.push_back(kinship::MarkerFrequencies{name, {}, {}, {}});
    auto& m = markers[it->second];
    if (m.IndexOf(*allele) >= 0) {
      return MakeError(ErrorCode::kInvalidArgument, "allele " + *allele + " of marker " + name + " is listed twice",
                       where(line_no));
    }
    m.alleles.push_back(*allele);
    m.frequencies.push_back(f);
  }
  if (col_marker < 0) return MakeError(ErrorCode::kInvalidArgument, "file is empty", source);
  auto db = kinship::FrequencyDatabase::Create(std::move(markers));
  if (!db) return tl::unexpected(WithContext(db.error(), source));
  return db;
}

Result<kinship::FrequencyDatabase> ReadFrequencyFile(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseFrequencyTsv(text, path);
}

}  // namespace whereabouts::io
