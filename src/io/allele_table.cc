#include "io/allele_table.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <tuple>
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

// Quality-flag columns of GeneMapper ID-X (process quality values): reported, never used.
constexpr std::string_view kQualityFlags[] = {
    "an",  "shp", "os", "oba", "spu", "ado", "ae",  "bin", "phr", "lpk", "lph",
    "mph", "nbc", "gq", "cgq", "bd",  "ovl", "spk", "spa", "cc",  "me",  "sq"};
// Flags whose numeric values are scores, not raised/not raised (only their words are read).
constexpr std::string_view kScoreFlags[] = {"gq", "cgq", "sq"};

bool In(std::string_view key, const auto& list) {
  return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

// True for "Size 3", "Height 12", "Data Point 1", "Peak Area 2" (the export's per-peak columns).
bool IsPeakColumn(const std::string& key) {
  for (std::string_view prefix : {"size", "height", "data point", "peak area"}) {
    if (key.rfind(prefix, 0) != 0) continue;
    if (ParseInteger(ColumnKey(key.substr(prefix.size())), 0, 999, "")) return true;
  }
  return false;
}

// The columns of an allele table, and whether it is a GeneMapper ID-X export.
struct Layout {
  int sample = -1, marker = -1, file = -1, comment = -1;
  std::vector<int> alleles;
  std::vector<int> flags;
  bool genemapper = false;
};

Layout LayoutOf(const DelimitedTable& t) {
  Layout l;
  l.alleles = AlleleColumns(t);
  for (size_t c = 0; c < t.header().size(); ++c) {
    const std::string key = ColumnKey(t.header()[c]);
    if (In(key, kQualityFlags)) {
      l.flags.push_back(static_cast<int>(c));
      l.genemapper = true;
    } else if (key == "sample file") {
      l.file = static_cast<int>(c);
      l.genemapper = true;
    } else if (key == "sample comment") {
      l.comment = static_cast<int>(c);
      l.genemapper = true;
    } else if (key == "dye" || key == "panel" || IsPeakColumn(key)) {
      l.genemapper = true;
    }
  }
  return l;
}

// Whether the flag `flag_key` is raised by the cell `value`: "Pass", "0", "false", "NA", "-",
// empty or a negative number (not applicable) is not; a positive number, "Check", "Low Quality",
// "true" or any other word is. The numbers of score columns (GQ, CGQ, SQ) are not interpreted.
bool FlagRaised(std::string_view flag_key, const std::string& value) {
  const std::string v = ColumnKey(value);
  for (std::string_view ok : {"", "pass", "0", "false", "na", "n/a", "-", "no", "none"}) {
    if (v == ok) return false;
  }
  char* end = nullptr;
  const double x = std::strtod(v.c_str(), &end);
  if (end != v.c_str() && *end == '\0') {
    if (In(flag_key, kScoreFlags)) return false;
    return x > 0;
  }
  return true;
}

// For an allele cell that is not a designation: the designation and its suffix when the cell is
// one followed by a label ("12-NB", "9.3?", "OL*"), else nullopt.
std::optional<std::pair<std::string, std::string>> SplitSuffix(const std::string& cell) {
  const std::string trimmed = ColumnKey(cell);
  size_t cut = trimmed.find_first_of("-?* (");
  if (cut == 0 || cut == std::string::npos) return std::nullopt;
  auto designation =
      kinship::CanonicalAllele(std::string_view(cell).substr(cell.find_first_not_of(" \t"), cut));
  if (!designation) return std::nullopt;
  std::string suffix = std::string(cell).substr(cell.find_first_not_of(" \t") + cut);
  while (!suffix.empty() && (suffix.back() == ' ' || suffix.back() == '\t')) suffix.pop_back();
  return std::make_pair(*designation, suffix);
}

// What one row gives: a call into `profile`, or a reason not to use the marker (GeneMapper).
struct RowOutcome {
  std::string drop_reason;  // non-empty: the marker of this row is not used
  std::string drop_where;
};

// Parses a row into `profile`; errors name source:line: column. With `genemapper`, a possible
// mixture, a suffixed allele or an amelogenin allele other than X/Y is not an error: the marker is
// left out and `outcome` says why.
Status ParseRow(const DelimitedTable& t, const DelimitedRow& row,
                const std::vector<int>& allele_cols, const std::string& sample,
                const std::string& marker, bool genemapper, kinship::Profile& profile,
                RowOutcome& outcome) {
  // The distinct alleles seen, in column order; "-": an allele present but not designated.
  std::vector<std::string> alleles;
  bool unknown = false;
  size_t extra_ol = 0;
  auto drop = [&](std::string reason, int c) {
    if (!outcome.drop_reason.empty()) return;
    outcome.drop_reason = std::move(reason);
    outcome.drop_where = t.Where(row, c);
  };
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
        if (genemapper) {
          drop("amelogenin allele '" + cell + "' is not X or Y; sex not read from this row", c);
          continue;
        }
        return MakeError(ErrorCode::kInvalidArgument,
                         "amelogenin allele '" + cell + "' of sample " + sample + " is not X or Y",
                         t.Where(row, c));
      }
    } else {
      auto canonical = kinship::CanonicalAllele(cell);
      if (!canonical) {
        if (genemapper) {
          if (ColumnKey(cell) == "?") {
            drop("a peak GeneMapper did not call ('?'); marker not used", c);
            continue;
          }
          if (auto split = SplitSuffix(cell)) {
            drop("allele '" + cell + "' carries the suffix '" + split->second +
                     "' (a label added to the designation " + split->first +
                     ", e.g. a peak outside the bins): the call is not certain; marker not used",
                 c);
            continue;
          }
        }
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
    if (std::find(alleles.begin(), alleles.end(), allele) != alleles.end()) {
      if (allele == "OL") ++extra_ol;  // two off-ladder peaks may be two different alleles
      continue;
    }
    if (alleles.size() == 2 && !genemapper) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "a third allele at marker " + marker + " of sample " + sample +
                           " (a single-source profile has at most two)",
                       t.Where(row, c));
    }
    alleles.push_back(std::move(allele));
  }
  const size_t seen = alleles.size() + extra_ol + (unknown ? 1 : 0);
  if (genemapper && seen > 2) {
    std::string list;
    for (const auto& a : alleles) list += (list.empty() ? "" : ", ") + a;
    for (size_t i = 0; i < extra_ol; ++i) list += ", OL";
    if (unknown) list += ", -";
    drop(std::to_string(seen) + " alleles (" + list +
             "): a possible mixture (a single-source sample shows at most two); marker not used",
         allele_cols.front());
  }
  if (!outcome.drop_reason.empty()) return {};
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

// The same call, alleles in any order.
bool SameCall(const kinship::GenotypeCall& a, const kinship::GenotypeCall& b) {
  return (a.first == b.first && a.second == b.second) ||
         (a.first == b.second && a.second == b.first);
}

// One run of a sample (one `Sample File`; the whole file without that column).
struct Run {
  std::string file;
  kinship::Profile profile;
  std::map<std::string, int> line_of;  // marker -> its row's line
  std::set<std::string> dropped;       // markers not used
  int amel_line = 0;
  int first_line = 0;
  bool commented = false;
};

struct SampleRuns {
  std::vector<Run> runs;
  bool bad = false;
};

// Merges the runs of a sample. Errors: the first marker (or amelogenin) typed in two runs with
// different calls, naming the later run's row.
Result<kinship::Profile> Merge(const DelimitedTable& t, int col_marker, const std::string& sample,
                               const SampleRuns& s) {
  kinship::Profile out{sample, {}, std::nullopt};
  std::set<std::string> dropped;
  for (const Run& r : s.runs) dropped.insert(r.dropped.begin(), r.dropped.end());
  std::map<std::string, const Run*> from;  // marker -> run its call came from
  const Run* sex_from = nullptr;
  for (const Run& r : s.runs) {
    for (const auto& [marker, call] : r.profile.markers) {
      if (dropped.count(marker)) continue;
      auto [it, fresh] = out.markers.emplace(marker, call);
      if (fresh) {
        from[marker] = &r;
      } else if (!SameCall(it->second, call)) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "sample " + sample + ": its runs disagree at marker " + marker + " (" +
                             it->second.ToString() + " in " + from[marker]->file + ", " +
                             call.ToString() + " in " + r.file +
                             "); sample not used (check the runs for a mix-up or a drop-out)",
                         t.Where(r.line_of.at(marker), col_marker));
      }
    }
    if (r.profile.amelogenin_sex) {
      if (!out.amelogenin_sex) {
        out.amelogenin_sex = r.profile.amelogenin_sex;
        sex_from = &r;
      } else if (*out.amelogenin_sex != *r.profile.amelogenin_sex) {
        auto sex = [](kinship::Sex x) { return x == kinship::Sex::kMale ? "X,Y" : "X"; };
        return MakeError(ErrorCode::kInvalidArgument,
                         "sample " + sample + ": its runs disagree at AMEL (" +
                             sex(*out.amelogenin_sex) + " in " + sex_from->file + ", " +
                             sex(*r.profile.amelogenin_sex) + " in " + r.file +
                             "); sample not used (check the runs for a mix-up or a drop-out)",
                         t.Where(r.amel_line, col_marker));
      }
    }
  }
  return out;
}

// Parses the table. Row errors: with `skipped` == nullptr the first is returned, otherwise each
// sample with an error is left out and its first error recorded there. Runs that disagree: as a
// row error, but with `disagree` given, recorded there instead (the sample left out).
Result<std::vector<kinship::Profile>> Parse(std::string_view text, const std::string& source,
                                            std::vector<Error>* skipped,
                                            std::vector<AlleleTableWarning>* warnings,
                                            std::vector<Error>* disagree, bool* genemapper) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, source));
  WB_ASSIGN_OR_RETURN(const int col_sample, t.RequireColumn("Sample Name"));
  WB_ASSIGN_OR_RETURN(const int col_marker, t.RequireColumn("Marker"));
  const Layout layout = LayoutOf(t);
  if (genemapper != nullptr) *genemapper = layout.genemapper;
  const std::vector<int>& allele_cols = layout.alleles;
  if (allele_cols.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "missing column 'Allele 1' in the header",
                     source + ":1: Allele 1");
  }
  auto warn = [&](const std::string& sample, const std::string& marker, std::string where,
                  std::string message) {
    if (warnings != nullptr) {
      warnings->push_back({sample, marker, std::move(where), std::move(message)});
    }
  };

  std::vector<std::string> order;  // samples in the order they first appear
  std::map<std::string, SampleRuns> samples;
  // (sample, run, marker) -> line
  std::map<std::tuple<std::string, std::string, std::string>, int> lines;
  for (const auto& row : t.rows()) {
    const std::string& sample = t.Cell(row, col_sample);
    if (sample.empty()) {
      auto e =
          MakeError(ErrorCode::kInvalidArgument, "empty sample name", t.Where(row, col_sample));
      if (skipped == nullptr) return e;
      skipped->push_back(std::move(e).value());
      continue;
    }
    auto [sit, new_sample] = samples.try_emplace(sample);
    if (new_sample) order.push_back(sample);
    SampleRuns& s = sit->second;
    const std::string file = layout.file >= 0 ? t.Cell(row, layout.file) : std::string();
    auto rit =
        std::find_if(s.runs.begin(), s.runs.end(), [&](const Run& r) { return r.file == file; });
    if (rit == s.runs.end()) {
      s.runs.push_back(
          Run{file, kinship::Profile{sample, {}, std::nullopt}, {}, {}, 0, row.line, false});
      rit = std::prev(s.runs.end());
    }
    Run& run = *rit;
    const std::string in_run = layout.file >= 0 ? " (" + file + ")" : std::string();
    Status status;
    const std::string marker = kinship::CanonicalMarkerName(t.Cell(row, col_marker));
    if (marker.empty()) {
      status = MakeError(ErrorCode::kInvalidArgument, "empty marker name for sample " + sample,
                         t.Where(row, col_marker));
    } else if (auto [lit, new_triple] =
                   lines.emplace(std::make_tuple(sample, file, marker), row.line);
               !new_triple) {
      status = MakeError(ErrorCode::kInvalidArgument,
                         "marker " + marker + " of sample " + sample + in_run +
                             " is given twice (first on line " + std::to_string(lit->second) + ")",
                         t.Where(row, col_marker));
    } else {
      RowOutcome outcome;
      status =
          ParseRow(t, row, allele_cols, sample, marker, layout.genemapper, run.profile, outcome);
      if (status) {
        if (IsAmelogenin(marker)) {
          run.amel_line = row.line;
        } else {
          run.line_of[marker] = row.line;
        }
        if (!outcome.drop_reason.empty()) {
          if (!IsAmelogenin(marker)) run.dropped.insert(marker);
          warn(sample, marker, outcome.drop_where,
               "sample " + sample + ", marker " + marker + in_run + ": " + outcome.drop_reason);
        }
      }
      std::string raised;
      for (int c : layout.flags) {
        const std::string& v = t.Cell(row, c);
        if (FlagRaised(ColumnKey(t.header()[c]), v)) {
          raised += (raised.empty() ? "" : ", ") + t.header()[c] + "=" + v;
        }
      }
      if (!raised.empty()) {
        warn(sample, marker, t.Where(row, layout.flags.front()),
             "sample " + sample + ", marker " + marker + in_run +
                 ": quality flags raised by GeneMapper: " + raised);
      }
      if (layout.comment >= 0 && !run.commented && !t.Cell(row, layout.comment).empty()) {
        run.commented = true;
        warn(sample, "", t.Where(row, layout.comment),
             "sample " + sample + in_run +
                 ": has a Sample Comment (not repeated here; read it in the export before "
                 "relying on this sample)");
      }
    }
    if (!status) {
      if (skipped == nullptr) return tl::unexpected(std::move(status).error());
      if (!s.bad) skipped->push_back(std::move(status).error());
      s.bad = true;
    }
  }
  std::vector<kinship::Profile> profiles;
  profiles.reserve(order.size());
  for (const std::string& sample : order) {
    const SampleRuns& s = samples.at(sample);
    if (s.bad) continue;
    if (s.runs.size() == 1) {
      kinship::Profile p = s.runs.front().profile;
      for (const auto& m : s.runs.front().dropped) p.markers.erase(m);
      profiles.push_back(std::move(p));
      continue;
    }
    auto merged = Merge(t, col_marker, sample, s);
    if (!merged) {
      if (disagree != nullptr) {
        disagree->push_back(std::move(merged).error());
        continue;
      }
      if (skipped != nullptr) {
        skipped->push_back(std::move(merged).error());
        continue;
      }
      return tl::unexpected(std::move(merged).error());
    }
    std::string files;
    for (const Run& r : s.runs) files += (files.empty() ? "" : ", ") + r.file;
    warn(sample, "", t.Where(s.runs.front().first_line, layout.file),
         "sample " + sample + ": " + std::to_string(s.runs.size()) + " runs (" + files +
             ") agree at every marker typed in more than one; their consensus profile is used");
    profiles.push_back(std::move(*merged));
  }
  return profiles;
}

}  // namespace

Result<std::vector<kinship::Profile>> ParseAlleleTable(std::string_view text,
                                                       const std::string& source) {
  return Parse(text, source, nullptr, nullptr, nullptr, nullptr);
}

Result<AlleleTableFile> ParseAlleleTableSkippingBadSamples(std::string_view text,
                                                           const std::string& source) {
  AlleleTableFile out;
  WB_ASSIGN_OR_RETURN(out.profiles,
                      Parse(text, source, &out.skipped, &out.warnings, nullptr, &out.genemapper));
  return out;
}

Result<AlleleTableFile> ReadAlleleTableSkippingBadSamples(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseAlleleTableSkippingBadSamples(text, path);
}

Result<AlleleTableFile> ParseAlleleTableWithWarnings(std::string_view text,
                                                     const std::string& source) {
  AlleleTableFile out;
  WB_ASSIGN_OR_RETURN(out.profiles,
                      Parse(text, source, nullptr, &out.warnings, &out.skipped, &out.genemapper));
  return out;
}

Result<AlleleTableFile> ReadAlleleTableWithWarnings(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseAlleleTableWithWarnings(text, path);
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
