#include "io/frequency_tsv.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "common/numbers.h"
#include "io/delimited.h"

namespace whereabouts::io {
namespace {

using kinship::MarkerFrequencies;

// An allele designation of a frequency table: the rest lump or a canonical allele.
Result<std::string> TableAllele(const std::string& text, const std::string& where) {
  if (kinship::IsRestAlleleName(text)) return std::string(kinship::kRestAllele);
  auto allele = kinship::CanonicalAllele(text);
  if (!allele) return MakeError(ErrorCode::kInvalidArgument, allele.error().message, where);
  return allele;
}

// A frequency cell: a number in [0, 1].
Result<double> Frequency(const std::string& text, const std::string& where) {
  auto f = ParseDecimal(text, where);
  if (!f) {
    return MakeError(ErrorCode::kInvalidArgument, "frequency '" + text + "' is not a number",
                     where);
  }
  if (*f < 0.0) {
    return MakeError(ErrorCode::kInvalidArgument, "frequency '" + text + "' is negative", where);
  }
  if (*f > 1.0) {
    return MakeError(ErrorCode::kInvalidArgument, "frequency '" + text + "' is above 1", where);
  }
  return f;
}

// A database size N: a whole number of individuals, at least 1.
Result<int> DatabaseSize(const std::string& text, const std::string& where) {
  auto n = ParseInteger(text, 1, 100000000, where);
  if (!n) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "database size N '" + text + "' " + n.error().message, where);
  }
  return static_cast<int>(*n);
}

// Digits after the decimal point of a plain decimal ("0.0123" -> 4); 17 for exponent forms.
int DecimalsWritten(const std::string& text) {
  if (text.find_first_of("eE") != std::string::npos) return 17;
  const size_t dot = text.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
}

Result<kinship::FrequencyDatabase> Create(std::vector<MarkerFrequencies> markers,
                                          const std::string& source) {
  auto db = kinship::FrequencyDatabase::Create(std::move(markers));
  if (!db) return tl::unexpected(WithContext(db.error(), source));
  return db;
}

Result<kinship::FrequencyDatabase> ParseLong(const DelimitedTable& t, const std::string& source) {
  const int col_marker = t.Column("marker"), col_allele = t.Column("allele"),
            col_freq = t.Column("frequency"), col_n = t.Column("n");
  std::vector<MarkerFrequencies> markers;
  std::vector<int> last_line;  // per marker: the line of its last allele
  std::map<std::string, size_t> index;
  for (const DelimitedRow& row : t.rows()) {
    const std::string name = kinship::CanonicalMarkerName(t.Cell(row, col_marker));
    if (name.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "empty marker name", t.Where(row, col_marker));
    }
    WB_ASSIGN_OR_RETURN(const std::string allele,
                        TableAllele(t.Cell(row, col_allele), t.Where(row, col_allele)));
    WB_ASSIGN_OR_RETURN(const double f, Frequency(t.Cell(row, col_freq), t.Where(row, col_freq)));
    if (f == 0.0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "frequency 0: leave an absent allele out of the table",
                       t.Where(row, col_freq));
    }
    auto [it, inserted] = index.emplace(name, markers.size());
    if (inserted) {
      markers.push_back(MarkerFrequencies{name, {}, {}, {}, {}, 0});
      last_line.push_back(0);
    }
    auto& m = markers[it->second];
    last_line[it->second] = row.line;
    if (m.IndexOf(allele) >= 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "allele " + allele + " of marker " + name + " is listed twice",
                       t.Where(row, col_allele));
    }
    if (col_n >= 0 && !t.Cell(row, col_n).empty()) {
      WB_ASSIGN_OR_RETURN(const int n, DatabaseSize(t.Cell(row, col_n), t.Where(row, col_n)));
      if (m.database_size != 0 && m.database_size != n) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "database size N differs from the one given above for marker " + name,
                         t.Where(row, col_n));
      }
      m.database_size = n;
    }
    m.alleles.push_back(allele);
    m.frequencies.push_back(f);
  }
  for (size_t i = 0; i < markers.size(); ++i) {
    double sum = 0;
    for (double f : markers[i].frequencies) sum += f;
    if (std::fabs(sum - 1.0) > kinship::kFrequencySumTolerance) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "frequencies of marker %s sum to %.9g, not 1 (tolerance 1e-6)",
                    markers[i].name.c_str(), sum);
      return MakeError(ErrorCode::kInvalidArgument, buf, t.Where(last_line[i], col_freq));
    }
  }
  return Create(std::move(markers), source);
}

bool IsSizeRow(const std::string& allele_cell) { return allele_cell == "N" || allele_cell == "n"; }

Result<kinship::FrequencyDatabase> ParseWide(const DelimitedTable& t, const std::string& source) {
  const int columns = static_cast<int>(t.header().size());
  if (columns < 2) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a wide frequency table needs a column per marker after 'Allele'",
                     source + ":1");
  }
  std::vector<MarkerFrequencies> markers(columns - 1);
  std::vector<double> tolerance(columns - 1, 0.0);  // rounding of the decimals written
  for (int c = 1; c < columns; ++c) {
    markers[c - 1].name = kinship::CanonicalMarkerName(t.header()[c]);
  }
  bool size_row_seen = false;
  for (const DelimitedRow& row : t.rows()) {
    const std::string& allele_cell = t.Cell(row, 0);
    bool any = false;
    for (int c = 1; c < columns; ++c) any |= !t.Cell(row, c).empty();
    if (allele_cell.empty() && !any) continue;  // a blank line between blocks
    if (IsSizeRow(allele_cell)) {
      if (size_row_seen) {
        return MakeError(ErrorCode::kInvalidArgument, "a second row N", t.Where(row, 0));
      }
      size_row_seen = true;
      for (int c = 1; c < columns; ++c) {
        const std::string& cell = t.Cell(row, c);
        if (cell.empty()) continue;
        WB_ASSIGN_OR_RETURN(markers[c - 1].database_size, DatabaseSize(cell, t.Where(row, c)));
      }
      continue;
    }
    if (size_row_seen) {
      return MakeError(ErrorCode::kInvalidArgument, "an allele row after the row N",
                       t.Where(row, 0));
    }
    if (allele_cell.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "frequencies without an allele designation",
                       t.Where(row, 0));
    }
    WB_ASSIGN_OR_RETURN(const std::string allele, TableAllele(allele_cell, t.Where(row, 0)));
    for (int c = 1; c < columns; ++c) {
      const std::string& cell = t.Cell(row, c);
      if (cell.empty() || cell == "-") continue;  // absent at this marker
      WB_ASSIGN_OR_RETURN(const double f, Frequency(cell, t.Where(row, c)));
      if (f == 0.0) continue;  // written as absent
      MarkerFrequencies& m = markers[c - 1];
      if (m.IndexOf(allele) >= 0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "allele " + allele + " is listed twice for this marker", t.Where(row, 0));
      }
      m.alleles.push_back(allele);
      m.frequencies.push_back(f);
      tolerance[c - 1] += 0.5 * std::pow(10.0, -DecimalsWritten(cell));
    }
  }
  for (int c = 1; c < columns; ++c) {
    MarkerFrequencies& m = markers[c - 1];
    const std::string where = t.Where(1, c);
    if (m.alleles.empty()) {
      return MakeError(ErrorCode::kInvalidArgument, "marker column with no frequencies", where);
    }
    double sum = 0;
    for (double f : m.frequencies) sum += f;
    // At most 1%: a sum further off is a wrong table, not rounding.
    const double allowed =
        std::max(kinship::kFrequencySumTolerance, std::min(0.01, tolerance[c - 1]));
    if (std::fabs(sum - 1.0) > allowed) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "frequencies sum to %.9g, not 1 (tolerance %.3g)", sum,
                    allowed);
      return MakeError(ErrorCode::kInvalidArgument, buf, where);
    }
    // Within rounding, beyond what the long layout allows: rescaled to sum to 1. Within 1e-6
    // the values are kept as written, so a wide table reads as the same doubles as our TSV.
    if (std::fabs(sum - 1.0) > kinship::kFrequencySumTolerance) {
      for (double& f : m.frequencies) f /= sum;
    }
  }
  return Create(std::move(markers), source);
}

std::string Number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

Result<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read file", path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<kinship::FrequencyDatabase> ParseFrequencyTsv(const std::string& text,
                                                     const std::string& source) {
  // The one delimited reader; the delimiter is detected (our long layout is tab-separated,
  // published wide tables are often comma-separated).
  WB_ASSIGN_OR_RETURN(const DelimitedTable t,
                      DelimitedTable::Parse(text, source, DelimitedOptions{0, true}));
  if (t.Column("marker") >= 0 && t.Column("allele") >= 0 && t.Column("frequency") >= 0) {
    return ParseLong(t, source);
  }
  if (!t.header().empty()) {
    std::string first;
    for (char c : t.header()[0])
      first.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    if (first == "allele" || first == "alleles") return ParseWide(t, source);
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "header must name the tab-separated columns marker, allele, frequency (our "
                   "layout) or start with a column 'Allele' followed by one column per marker "
                   "(published wide layout)",
                   source + ":1");
}

std::string WriteFrequencyTsv(const kinship::FrequencyDatabase& db) {
  bool sizes = false;
  for (const auto& name : db.MarkerNames()) sizes |= db.Find(name)->database_size > 0;
  std::string out = sizes ? "marker\tallele\tfrequency\tn\n" : "marker\tallele\tfrequency\n";
  for (const auto& name : db.MarkerNames()) {
    const MarkerFrequencies& m = *db.Find(name);
    for (int i = 0; i < m.size(); ++i) {
      out += m.name + "\t" + (m.alleles[i] == kinship::kRestAllele ? "Rest allele" : m.alleles[i]) +
             "\t" + Number(m.frequencies[i]);
      if (sizes) out += "\t" + (m.database_size > 0 ? std::to_string(m.database_size) : "");
      out += "\n";
    }
  }
  return out;
}

Result<kinship::FrequencyDatabase> ReadFrequencyFile(const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseFrequencyTsv(text, path);
}

}  // namespace whereabouts::io
