#include "io/mutation_models.h"

#include <cmath>
#include <cstdlib>

#include "io/delimited.h"
#include "io/frequency_tsv.h"
#include "kinship/frequencies.h"

namespace whereabouts::io {

Result<std::map<std::string, kinship::MarkerMutation, std::less<>>> ParseMutationModels(
    std::string_view text, const std::string& source, const kinship::MutationModel& fallback) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, source));
  WB_ASSIGN_OR_RETURN(const int col_marker, t.RequireColumn("marker"));
  WB_ASSIGN_OR_RETURN(const int col_model, t.RequireColumn("model"));
  const int col_rate = t.Column("rate"), col_rate2 = t.Column("rate2"),
            col_range = t.Column("range");
  const int col_sex = t.Column("sex");
  std::map<std::string, kinship::MarkerMutation, std::less<>> out;
  std::map<std::string, int> given;  // marker -> bit 1 male, bit 2 female
  for (const auto& row : t.rows()) {
    const std::string marker = kinship::CanonicalMarkerName(t.Cell(row, col_marker));
    if (marker.empty())
      return MakeError(ErrorCode::kInvalidArgument, "empty marker", t.Where(row, col_marker));
    auto kind = kinship::ParseMutationKind(t.Cell(row, col_model));
    if (!kind)
      return MakeError(ErrorCode::kInvalidArgument, kind.error().message, t.Where(row, col_model));
    auto number = [&](int col, const char* name, bool needed) -> Result<double> {
      const std::string& cell = t.Cell(row, col);
      if (cell.empty()) {
        if (needed) {
          return MakeError(ErrorCode::kInvalidArgument,
                           std::string("the ") + t.Cell(row, col_model) + " model needs " + name,
                           t.Where(row, col < 0 ? col_model : col));
        }
        return 0.0;
      }
      char* end = nullptr;
      const double v = std::strtod(cell.c_str(), &end);
      if (end != cell.c_str() + cell.size() || !std::isfinite(v)) {
        return MakeError(ErrorCode::kInvalidArgument, "'" + cell + "' is not a number",
                         t.Where(row, col));
      }
      return v;
    };
    kinship::MutationSpec spec;
    spec.kind = *kind;
    const bool stepwise = spec.kind == kinship::MutationKind::kStepwise;
    const bool any = spec.kind != kinship::MutationKind::kNone;
    WB_ASSIGN_OR_RETURN(spec.rate, number(col_rate, "a rate", any));
    WB_ASSIGN_OR_RETURN(spec.rate2, number(col_rate2, "rate2", stepwise));
    WB_ASSIGN_OR_RETURN(spec.range, number(col_range, "a range", stepwise));
    if (!any) spec = {};
    if (!stepwise) spec.rate2 = spec.range = 0.0;
    if (auto st = kinship::ValidateMutationSpec(spec); !st) {
      return MakeError(ErrorCode::kInvalidArgument, st.error().message + " (marker " + marker + ")",
                       t.Where(row, col_rate));
    }
    std::string sex = t.Cell(row, col_sex);
    for (char& ch : sex) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    int bits = 0;
    if (sex.empty() || sex == "both") {
      bits = 3;
    } else if (sex == "male") {
      bits = 1;
    } else if (sex == "female") {
      bits = 2;
    } else {
      return MakeError(ErrorCode::kInvalidArgument, "sex must be both, male or female",
                       t.Where(row, col_sex));
    }
    int& seen = given[marker];
    if ((seen & bits) != 0) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "marker " + marker + " is given twice for a sex", t.Where(row, col_marker));
    }
    if (seen == 0)
      out[marker] = {fallback.ForMarker(marker).male, fallback.ForMarker(marker).female};
    seen |= bits;
    if ((bits & 1) != 0) out[marker].male = spec;
    if ((bits & 2) != 0) out[marker].female = spec;
  }
  return out;
}

Result<std::map<std::string, kinship::MarkerMutation, std::less<>>> ReadMutationModels(
    const std::string& path, const kinship::MutationModel& fallback) {
  WB_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path));
  return ParseMutationModels(text, path, fallback);
}

}  // namespace whereabouts::io
