#include "io/allele_table.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "common/numbers.h"
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
    auto n = ParseInteger(rest, 0, 999, "");
    if (!n) continue;  // "Allele" alone, "Allele X": not an allele column
    numbered.emplace_back(static_cast<int>(*n), static_cast<int>(c));
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

namespace {

// Parses a row into `profile`; errors name source:line: column.
Status ParseRow(const DelimitedTable& t, const DelimitedRow& row,
                const std::vector<int>& allele_cols, const std::string& sample,
                const std::string& marker, kinship::Profile& profile) {
  // The distinct alleles seen, in column order; "-": an allele present but not designated.
  std::vector<std::string> alleles;
  bool unknown = false;
  for (int c : allele_cols) {
    const std::string& cell = t.Cell(row, c);
    if (cell.empty()) continue;
    if (ColumnKey(cell) == "-") {
      unknown = true;
      continue;
    }
    std::string allele;
    if (IsAmelogenin(marker)) {
      allele = ColumnKey(cell);
      for (char& ch : allele) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      if (allele != "X" && allele != "Y") {
        return MakeError(ErrorCode::kInvalidArgument,
                         "amelogenin allele '" + cell + "' of sample " + sample + " is not X or Y",
                         t.Where(row, c));
      }
    } else {
      auto canonical = kinship::CanonicalAllele(cell);
      if (!canonical) {
        return MakeError(
            ErrorCode::kInvalidArgument,
            "sample " + sample + ", marker " + marker + ": " + canonical.error().message,
            t.Where(row, c));
      }
      // A repeat number (12, 9.3) or OL (off-ladder): anything else ("foo") is a typing or
      // export error, never an allele to be taken at the minimum frequency.
      if (!kinship::AlleleValue(*canonical) && *canonical != "OL") {
        return MakeError(ErrorCode::kInvalidArgument,
                         "sample " + sample + ", marker " + marker + ": allele '" + cell +
                             "' is not an STR allele designation (a repeat number such as 12 or "
                             "9.3, or OL for off-ladder)",
                         t.Where(row, c));
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
  if (alleles.empty()) return {};  // untyped ("-" alone included)
  if (unknown && alleles.size() == 2) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a third allele ('-') at marker " + marker + " of sample " + sample +
                         " (a single-source profile has at most two)",
                     t.Where(row, allele_cols.front()));
  }
  if (IsAmelogenin(marker)) {
    const bool has_y = std::find(alleles.begin(), alleles.end(), "Y") != alleles.end();
    if (has_y) {
      profile.amelogenin_sex = kinship::Sex::kMale;
    } else if (!unknown) {  // "X, -": the other may be Y; sex unknown
      profile.amelogenin_sex = kinship::Sex::kFemale;
    }
    return {};
  }
  kinship::GenotypeCall call;
  call.first = alleles[0];
  if (alleles.size() > 1) {
    call.second = alleles[1];
  } else if (!unknown) {
    call.second = alleles[0];  // one allele seen: "a/a" (drop-out where the sample has a model)
  }                            // else "a/-": a plus an allele not designated
  profile.markers[marker] = std::move(call);
  return {};
}

// Parses the table; with `skipped` == nullptr the first row error is returned, otherwise each
// sample with an error is left out and its first error recorded there.
Result<std::vector<kinship::Profile>> Parse(std::string_view text, const std::string& source,
                                            std::vector<Error>* skipped) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, source));
  WB_ASSIGN_OR_RETURN(const int col_sample, t.RequireColumn("Sample Name"));
  WB_ASSIGN_OR_RETURN(const int col_marker, t.RequireColumn("Marker"));
  const std::vector<int> allele_cols = AlleleColumns(t);
  if (allele_cols.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "missing column 'Allele 1' in the header",
                     source + ":1: Allele 1");
  }

  std::vector<kinship::Profile> profiles;
  std::vector<bool> bad;
  std::map<std::string, size_t> index;                       // sample -> profiles[i]
  std::map<std::pair<std::string, std::string>, int> lines;  // (sample, marker) -> line
  for (const auto& row : t.rows()) {
    const std::string& sample = t.Cell(row, col_sample);
    if (sample.empty()) {
      auto e =
          MakeError(ErrorCode::kInvalidArgument, "empty sample name", t.Where(row, col_sample));
      if (skipped == nullptr) return e;
      skipped->push_back(std::move(e).value());
      continue;
    }
    auto [pit, new_sample] = index.emplace(sample, profiles.size());
    if (new_sample) {
      profiles.push_back(kinship::Profile{sample, {}, std::nullopt});
      bad.push_back(false);
    }
    const size_t at = pit->second;
    Status status;
    const std::string marker = kinship::CanonicalMarkerName(t.Cell(row, col_marker));
    if (marker.empty()) {
      status = MakeError(ErrorCode::kInvalidArgument, "empty marker name for sample " + sample,
                         t.Where(row, col_marker));
    } else if (auto [lit, new_pair] = lines.emplace(std::make_pair(sample, marker), row.line);
               !new_pair) {
      status = MakeError(ErrorCode::kInvalidArgument,
                         "marker " + marker + " of sample " + sample +
                             " is given twice (first on line " + std::to_string(lit->second) + ")",
                         t.Where(row, col_marker));
    } else {
      status = ParseRow(t, row, allele_cols, sample, marker, profiles[at]);
    }
    if (!status) {
      if (skipped == nullptr) return tl::unexpected(std::move(status).error());
      if (!bad[at]) skipped->push_back(std::move(status).error());
      bad[at] = true;
    }
  }
  if (skipped != nullptr) {
    std::vector<kinship::Profile> good;
    good.reserve(profiles.size());
    for (size_t i = 0; i < profiles.size(); ++i) {
      if (!bad[i]) good.push_back(std::move(profiles[i]));
    }
    return good;
  }
  return profiles;
}

}  // namespace

Result<std::vector<kinship::Profile>> ParseAlleleTable(std::string_view text,
                                                       const std::string& source) {
  return Parse(text, source, nullptr);
}

Result<AlleleTableFile> ParseAlleleTableSkippingBadSamples(std::string_view text,
                                                           const std::string& source) {
  AlleleTableFile out;
  WB_ASSIGN_OR_RETURN(out.profiles, Parse(text, source, &out.skipped));
  return out;
}

Result<AlleleTableFile> ReadAlleleTableSkippingBadSamples(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseAlleleTableSkippingBadSamples(text, path);
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
      std::string b = call.first && call.second ? *call.second : std::string("-");
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
