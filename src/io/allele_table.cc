#include "io/allele_table.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "io/delimited.h"
#include "io/frequency_tsv.h"
#include "kinship/frequencies.h"

namespace whereabouts::io {
namespace {

// Columns named "Allele N" (N = 1, 2, ...), in the order of N.
std::vector<int> AlleleColumns(const DelimitedTable& t) {
  std::vector<std::pair<int, int>> numbered;  // (N, column)
  for (size_t c = 0; c < t.header().size(); ++c) {
    const std::string key = ColumnKey(t.header()[c]);
    if (key.rfind("allele", 0) != 0) continue;
    std::string rest = ColumnKey(key.substr(6));
    if (rest.empty() || rest.size() > 3) continue;
    bool digits = true;
    for (char ch : rest) digits = digits && ch >= '0' && ch <= '9';
    if (!digits) continue;
    numbered.emplace_back(std::stoi(rest), static_cast<int>(c));
  }
  std::sort(numbered.begin(), numbered.end());
  std::vector<int> out;
  for (const auto& [n, c] : numbered) out.push_back(c);
  return out;
}

}  // namespace

bool IsAmelogenin(std::string_view canonical_marker) {
  return canonical_marker == "AMEL" || canonical_marker == "AMELOGENIN";
}

Result<std::vector<kinship::Profile>> ParseAlleleTable(std::string_view text, const std::string& source) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, source));
  WB_ASSIGN_OR_RETURN(const int col_sample, t.RequireColumn("Sample Name"));
  WB_ASSIGN_OR_RETURN(const int col_marker, t.RequireColumn("Marker"));
  WB_ASSIGN_OR_RETURN(const int col_first, t.RequireColumn("Allele 1"));
  (void)col_first;
  const std::vector<int> allele_cols = AlleleColumns(t);

  std::vector<kinship::Profile> profiles;
  std::map<std::string, size_t> index;                       // sample -> profiles[i]
  std::map<std::pair<std::string, std::string>, int> lines;  // (sample, marker) -> line
  for (const auto& row : t.rows()) {
    const std::string& sample = t.Cell(row, col_sample);
    if (sample.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty sample name", t.Where(row, col_sample));
    const std::string& marker_text = t.Cell(row, col_marker);
    const std::string marker = kinship::CanonicalMarkerName(marker_text);
    if (marker.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty marker name", t.Where(row, col_marker));
    auto [pit, new_sample] = index.emplace(sample, profiles.size());
    if (new_sample) profiles.push_back(kinship::Profile{sample, {}, std::nullopt});
    kinship::Profile& profile = profiles[pit->second];
    auto [lit, new_pair] = lines.emplace(std::make_pair(sample, marker), row.line);
    if (!new_pair) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "marker " + marker + " of sample " + sample + " is given twice (first on line " +
                           std::to_string(lit->second) + ")",
                       t.Where(row, col_marker));
    }
    // The distinct alleles seen, in column order.
    std::vector<std::string> alleles;
    for (int c : allele_cols) {
      const std::string& cell = t.Cell(row, c);
      if (cell.empty()) continue;
      std::string allele;
      if (IsAmelogenin(marker)) {
        allele = ColumnKey(cell);
        for (char& ch : allele) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (allele != "X" && allele != "Y") {
          return MakeError(ErrorCode::kInvalidArgument, "amelogenin allele '" + cell + "' is not X or Y",
                           t.Where(row, c));
        }
      } else {
        auto canonical = kinship::CanonicalAllele(cell);
        if (!canonical) {
          return MakeError(ErrorCode::kInvalidArgument, canonical.error().message, t.Where(row, c));
        }
        allele = std::move(*canonical);
      }
      if (std::find(alleles.begin(), alleles.end(), allele) != alleles.end()) continue;
      if (alleles.size() == 2) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "a third allele at marker " + marker + " of sample " + sample +
                             " (a single-source profile has at most two)",
                         t.Where(row, c));
      }
      alleles.push_back(std::move(allele));
    }
    if (alleles.empty()) continue;  // untyped
    if (IsAmelogenin(marker)) {
      const bool has_y = std::find(alleles.begin(), alleles.end(), "Y") != alleles.end();
      profile.amelogenin_sex = has_y ? kinship::Sex::kMale : kinship::Sex::kFemale;
      continue;
    }
    kinship::GenotypeCall call;
    call.first = alleles[0];
    call.second = alleles.size() > 1 ? alleles[1] : alleles[0];
    profile.markers[marker] = std::move(call);
  }
  return profiles;
}

Result<std::vector<kinship::Profile>> ReadAlleleTable(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseAlleleTable(text, path);
}

std::string FormatAlleleTable(const std::vector<kinship::Profile>& profiles, char delimiter) {
  DelimitedWriter w(delimiter);
  w.Row({"Sample Name", "Marker", "Allele 1", "Allele 2"});
  for (const auto& p : profiles) {
    for (const auto& [marker, call] : p.markers) {
      if (call.untyped()) continue;
      const std::string a = call.first ? *call.first : *call.second;
      std::string b = call.first && call.second ? *call.second : std::string();
      if (b == a) b.clear();
      w.Row({p.sample, marker, a, b});
    }
    if (p.amelogenin_sex && *p.amelogenin_sex != kinship::Sex::kUnknown) {
      w.Row({p.sample, "AMEL", "X", *p.amelogenin_sex == kinship::Sex::kMale ? "Y" : ""});
    }
  }
  return w.text();
}

Status WriteAlleleTable(const std::string& path, const std::vector<kinship::Profile>& profiles) {
  return WriteTextFile(path, FormatAlleleTable(profiles, DelimiterForPath(path)));
}

}  // namespace whereabouts::io
