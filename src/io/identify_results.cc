#include "io/identify_results.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "io/delimited.h"
#include "io/frequency_tsv.h"

namespace whereabouts::io {
namespace {

Result<double> ParseNumber(const DelimitedTable& t, const DelimitedRow& row, int column, double low,
                           double high) {
  const std::string& text = t.Cell(row, column);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || std::isnan(v) ||
      v < low || v > high) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        high == 1.0 ? "expected a probability (a number from 0 to 1)" : "expected a number >= 0",
        t.Where(row, column));
  }
  return v;
}

Result<ResultCandidate> CandidateOf(const DelimitedTable& t, const DelimitedRow& row, int family,
                                    int missing, int lr, int posterior) {
  ResultCandidate c;
  c.family = t.Cell(row, family);
  c.missing = t.Cell(row, missing);
  if (c.family.empty() || c.missing.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a candidate needs a family and a missing person",
                     t.Where(row, c.family.empty() ? family : missing));
  }
  WB_ASSIGN_OR_RETURN(c.lr, ParseNumber(t, row, lr, 0.0, INFINITY));
  WB_ASSIGN_OR_RETURN(c.posterior, ParseNumber(t, row, posterior, 0.0, 1.0));
  c.lr_text = t.Cell(row, lr);
  c.posterior_text = t.Cell(row, posterior);
  return c;
}

}  // namespace

std::string FormatResultNumber(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string FormatCandidates(const std::vector<kinship::IdentificationRow>& rows) {
  DelimitedWriter w(',');
  w.Row({"individual", "rank", "family", "missing", "lr", "posterior"});
  for (const auto& r : rows) {
    for (size_t k = 0; k < r.candidates.size(); ++k) {
      const auto& c = r.candidates[k];
      w.Row({r.individual, std::to_string(k + 1), c.family, c.missing, FormatResultNumber(c.lr),
             FormatResultNumber(c.posterior)});
    }
  }
  return w.text();
}

std::string FormatTargets(const std::vector<kinship::TargetRow>& rows) {
  DelimitedWriter w(',');
  w.Row({"family", "missing", "sex", "screen"});
  for (const auto& r : rows) {
    w.Row({r.family, r.missing, kinship::SexName(r.sex), kinship::ScreenStatusName(r.status)});
  }
  return w.text();
}

Result<kinship::Decision> ParseDecision(std::string_view text) {
  for (auto d : {kinship::Decision::kIdentified, kinship::Decision::kAmbiguous,
                 kinship::Decision::kNotIdentified}) {
    if (text == kinship::DecisionName(d)) return d;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "expected a decision: identified, ambiguous or not identified");
}

Result<std::vector<ResultDecision>> ParseDecisions(std::string_view identifications,
                                                   const std::string& identifications_source,
                                                   std::optional<std::string_view> candidates,
                                                   const std::string& candidates_source) {
  WB_ASSIGN_OR_RETURN(const DelimitedTable ids,
                      DelimitedTable::Parse(identifications, identifications_source));
  WB_ASSIGN_OR_RETURN(const int c_ind, ids.RequireColumn("individual"));
  WB_ASSIGN_OR_RETURN(const int c_fam, ids.RequireColumn("family"));
  WB_ASSIGN_OR_RETURN(const int c_mis, ids.RequireColumn("missing"));
  WB_ASSIGN_OR_RETURN(const int c_lr, ids.RequireColumn("lr"));
  WB_ASSIGN_OR_RETURN(const int c_post, ids.RequireColumn("posterior"));
  WB_ASSIGN_OR_RETURN(const int c_dec, ids.RequireColumn("decision"));

  // candidates.csv: individual -> rank -> (candidate, line).
  std::map<std::string, std::map<long, std::pair<ResultCandidate, const DelimitedRow*>>> listed;
  std::optional<DelimitedTable> cand;
  if (candidates) {
    WB_ASSIGN_OR_RETURN(cand, DelimitedTable::Parse(*candidates, candidates_source));
    WB_ASSIGN_OR_RETURN(const int k_ind, cand->RequireColumn("individual"));
    WB_ASSIGN_OR_RETURN(const int k_rank, cand->RequireColumn("rank"));
    WB_ASSIGN_OR_RETURN(const int k_fam, cand->RequireColumn("family"));
    WB_ASSIGN_OR_RETURN(const int k_mis, cand->RequireColumn("missing"));
    WB_ASSIGN_OR_RETURN(const int k_lr, cand->RequireColumn("lr"));
    WB_ASSIGN_OR_RETURN(const int k_post, cand->RequireColumn("posterior"));
    for (const auto& row : cand->rows()) {
      const std::string& rank_text = cand->Cell(row, k_rank);
      long rank = 0;
      const auto [ptr, ec] =
          std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
      if (ec != std::errc() || ptr != rank_text.data() + rank_text.size() || rank < 1) {
        return MakeError(ErrorCode::kInvalidArgument, "expected a rank (a whole number >= 1)",
                         cand->Where(row, k_rank));
      }
      WB_ASSIGN_OR_RETURN(ResultCandidate c, CandidateOf(*cand, row, k_fam, k_mis, k_lr, k_post));
      auto& of = listed[cand->Cell(row, k_ind)];
      if (!of.emplace(rank, std::make_pair(std::move(c), &row)).second) {
        return MakeError(ErrorCode::kInvalidArgument, "rank repeated for this individual",
                         cand->Where(row, k_rank));
      }
    }
  }

  std::vector<ResultDecision> out;
  for (const auto& row : ids.rows()) {
    ResultDecision d;
    d.individual = ids.Cell(row, c_ind);
    auto decision = ParseDecision(ids.Cell(row, c_dec));
    if (!decision) return tl::unexpected(WithContext(decision.error(), ids.Where(row, c_dec)));
    d.decision = *decision;
    const bool decided = d.decision != kinship::Decision::kNotIdentified;
    if (cand) {
      if (auto it = listed.find(d.individual); it != listed.end()) {
        for (auto& [rank, c] : it->second) d.candidates.push_back(c.first);
      }
      if (decided && d.candidates.empty()) {
        return MakeError(ErrorCode::kInvalidArgument,
                         std::string("decision '") + kinship::DecisionName(d.decision) +
                             "' without candidates in " + candidates_source,
                         ids.Where(row, c_ind));
      }
      if (decided && (d.candidates[0].family != ids.Cell(row, c_fam) ||
                      d.candidates[0].missing != ids.Cell(row, c_mis))) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "the best candidate in " + candidates_source +
                             " is not the family and missing person of this row (files of "
                             "different runs?)",
                         ids.Where(row, c_ind));
      }
    } else if (d.decision == kinship::Decision::kIdentified) {
      WB_ASSIGN_OR_RETURN(ResultCandidate c, CandidateOf(ids, row, c_fam, c_mis, c_lr, c_post));
      d.candidates.push_back(std::move(c));
    } else if (d.decision == kinship::Decision::kAmbiguous) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "an ambiguous decision's candidates are in candidates.csv, which is not "
                       "given",
                       ids.Where(row, c_dec));
    }
    if (d.decision == kinship::Decision::kAmbiguous && d.candidates.size() < 2) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "an ambiguous decision needs two or more candidates in " + candidates_source,
                       ids.Where(row, c_ind));
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<std::optional<std::string>> ParseRunId(std::string_view summary, const std::string& source) {
  const auto json = nlohmann::json::parse(summary, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return MakeError(ErrorCode::kInvalidArgument, "not a JSON object", source);
  }
  const auto it = json.find("run");
  if (it == json.end()) return std::optional<std::string>();
  if (!it->is_string())
    return MakeError(ErrorCode::kInvalidArgument, "\"run\" is not a string", source);
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::vector<kinship::GivenIdentification>> ParseGivenIdentifications(
    std::string_view text, const std::string& source) {
  WB_ASSIGN_OR_RETURN(DelimitedTable t, DelimitedTable::Parse(text, source));
  WB_ASSIGN_OR_RETURN(const int col_individual, t.RequireColumn("individual"));
  WB_ASSIGN_OR_RETURN(const int col_family, t.RequireColumn("family"));
  WB_ASSIGN_OR_RETURN(const int col_missing, t.RequireColumn("missing"));
  std::vector<kinship::GivenIdentification> out;
  for (const auto& row : t.rows()) {
    kinship::GivenIdentification g{t.Cell(row, col_individual), t.Cell(row, col_family),
                                   t.Cell(row, col_missing)};
    for (const auto& [cell, col] :
         {std::pair{&g.individual, col_individual}, std::pair{&g.family, col_family},
          std::pair{&g.missing, col_missing}}) {
      if (cell->empty())
        return MakeError(ErrorCode::kInvalidArgument, "empty cell", t.Where(row, col));
    }
    out.push_back(std::move(g));
  }
  return out;
}

Result<std::vector<kinship::GivenIdentification>> ReadGivenIdentifications(
    const std::string& path) {
  WB_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseGivenIdentifications(text, path);
}

}  // namespace whereabouts::io
