#include "kinship/mutation.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>

namespace whereabouts::kinship {

std::string MutationSpec::ToString() const {
  char buf[160];
  switch (kind) {
    case MutationKind::kNone:
      return "none";
    case MutationKind::kEqual:
      std::snprintf(buf, sizeof buf, "equal(rate=%g)", rate);
      return buf;
    case MutationKind::kProportional:
      std::snprintf(buf, sizeof buf, "proportional(rate=%g)", rate);
      return buf;
    case MutationKind::kStepwise:
      std::snprintf(buf, sizeof buf, "stepwise(rate=%g, rate2=%g, range=%g)", rate, rate2, range);
      return buf;
  }
  return "?";
}

Result<MutationKind> ParseMutationKind(std::string_view name) {
  if (name == "none") return MutationKind::kNone;
  if (name == "equal") return MutationKind::kEqual;
  if (name == "proportional") return MutationKind::kProportional;
  if (name == "stepwise") return MutationKind::kStepwise;
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown mutation model '" + std::string(name) +
                       "' (expected none, equal, proportional or stepwise)");
}

Status ValidateMutationSpec(const MutationSpec& spec) {
  if (spec.kind == MutationKind::kNone) return {};
  if (!(spec.rate >= 0.0 && spec.rate < 1.0)) {
    return MakeError(ErrorCode::kInvalidArgument, "mutation rate must be in [0, 1)", "mutation");
  }
  if (spec.kind == MutationKind::kStepwise) {
    if (!(spec.rate2 >= 0.0 && spec.rate + spec.rate2 < 1.0)) {
      return MakeError(ErrorCode::kInvalidArgument, "rate2 must be >= 0 with rate + rate2 < 1",
                       "mutation");
    }
    if (!(spec.range > 0.0 && spec.range < 1.0)) {
      return MakeError(ErrorCode::kInvalidArgument, "stepwise range must be in (0, 1)", "mutation");
    }
  }
  return {};
}

MutationModel MutationModel::ForMarker(std::string_view canonical_marker) const {
  MutationModel out;
  auto it = per_marker.find(canonical_marker);
  out.male = it == per_marker.end() ? male : it->second.male;
  out.female = it == per_marker.end() ? female : it->second.female;
  return out;
}

Status ValidateMutationModel(const MutationModel& model) {
  WB_RETURN_IF_ERROR(ValidateMutationSpec(model.male));
  WB_RETURN_IF_ERROR(ValidateMutationSpec(model.female));
  for (const auto& [marker, m] : model.per_marker) {
    for (const auto* spec : {&m.male, &m.female}) {
      if (auto st = ValidateMutationSpec(*spec); !st) {
        return tl::unexpected(WithContext(st.error(), "marker " + marker));
      }
    }
  }
  return {};
}

bool IsLumpable(const MutationSpec& spec) {
  return spec.kind != MutationKind::kStepwise || (spec.rate == 0.0 && spec.rate2 == 0.0);
}

Status CheckThetaWithMutation(const MutationModel& model, double theta) {
  if (!(theta > 0.0)) return {};
  auto refuse = [&](const MutationSpec& spec, const std::string& where) -> Status {
    if (IsLumpable(spec)) return {};
    return MakeError(ErrorCode::kInvalidArgument,
                     "theta > 0 with the mutation model " + spec.ToString() + where +
                         " is not supported: under theta the exact engine sums over the founders' "
                         "genotypes, and a stepwise model keeps every allele of a marker, which "
                         "takes hours on a few dozen individuals; use theta with equal or "
                         "proportional, or stepwise with theta 0",
                     "theta");
  };
  WB_RETURN_IF_ERROR(refuse(model.male, ""));
  WB_RETURN_IF_ERROR(refuse(model.female, ""));
  for (const auto& [marker, m] : model.per_marker) {
    WB_RETURN_IF_ERROR(refuse(m.male, " at marker " + marker));
    WB_RETURN_IF_ERROR(refuse(m.female, " at marker " + marker));
  }
  return {};
}

Result<std::vector<double>> LumpedMutationMatrix(const MutationSpec& spec,
                                                 const MarkerFrequencies& marker,
                                                 const std::vector<int>& block, int blocks) {
  WB_RETURN_IF_ERROR(ValidateMutationSpec(spec));
  const int n = marker.size();
  std::vector<int> block_size(blocks, 0);
  std::vector<double> block_freq(blocks, 0.0);
  for (int i = 0; i < n; ++i) {
    ++block_size[block[i]];
    block_freq[block[i]] += marker.frequencies[i];
  }
  std::vector<double> m(static_cast<size_t>(blocks) * blocks, 0.0);
  switch (spec.kind) {
    case MutationKind::kNone:
      for (int b = 0; b < blocks; ++b) m[static_cast<size_t>(b) * blocks + b] = 1.0;
      return m;
    case MutationKind::kEqual: {
      const double other = n > 1 ? spec.rate / (n - 1) : 0.0;
      for (int b = 0; b < blocks; ++b) {
        for (int c = 0; c < blocks; ++c) {
          m[static_cast<size_t>(b) * blocks + c] =
              b == c ? (n > 1 ? 1.0 - spec.rate : 1.0) + (block_size[c] - 1) * other
                     : block_size[c] * other;
        }
      }
      return m;
    }
    case MutationKind::kProportional: {
      double h = 0;
      for (double p : marker.frequencies) h += p * (1 - p);
      const double a = h > 0 ? spec.rate / h : 0.0;
      if (a > 1.0) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "proportional mutation rate is too large for its allele frequencies",
                         "marker " + marker.name);
      }
      for (int b = 0; b < blocks; ++b) {
        for (int c = 0; c < blocks; ++c) {
          m[static_cast<size_t>(b) * blocks + c] = (b == c ? 1.0 - a : 0.0) + a * block_freq[c];
        }
      }
      return m;
    }
    case MutationKind::kStepwise:
      break;
  }
  // Stepwise with non-zero rates is not lumpable: merge the full matrix by representatives.
  WB_ASSIGN_OR_RETURN(auto full, MutationMatrix(spec, marker));
  std::vector<int> representative(blocks, -1);
  for (int i = 0; i < n; ++i) {
    if (representative[block[i]] < 0) representative[block[i]] = i;
  }
  for (int b = 0; b < blocks; ++b) {
    for (int j = 0; j < n; ++j) {
      m[static_cast<size_t>(b) * blocks + block[j]] +=
          full[static_cast<size_t>(representative[b]) * n + j];
    }
  }
  return m;
}

Result<std::vector<double>> MutationMatrix(const MutationSpec& spec,
                                           const MarkerFrequencies& marker) {
  WB_RETURN_IF_ERROR(ValidateMutationSpec(spec));
  const int n = marker.size();
  if (spec.kind != MutationKind::kStepwise) {
    // Lumpable models: the full matrix is the lumped one with every allele its own block.
    std::vector<int> identity(n);
    std::iota(identity.begin(), identity.end(), 0);
    return LumpedMutationMatrix(spec, marker, identity, n);
  }
  std::vector<double> m(static_cast<size_t>(n) * n, 0.0);
  auto at = [&](int i, int j) -> double& { return m[static_cast<size_t>(i) * n + j]; };
  switch (spec.kind) {
    case MutationKind::kNone:
    case MutationKind::kEqual:
    case MutationKind::kProportional:
      break;
    case MutationKind::kStepwise: {
      std::vector<double> value(n);
      std::vector<long> cls(n);
      for (int i = 0; i < n; ++i) {
        auto v = AlleleValue(marker.alleles[i]);
        if (!v) {
          return MakeError(
              ErrorCode::kInvalidArgument,
              "the stepwise model needs numeric alleles, not '" + marker.alleles[i] + "'",
              "marker " + marker.name);
        }
        value[i] = *v;
        cls[i] = std::lround((*v - std::floor(*v)) * 1000.0);
      }
      // Same-class alleles differ by a whole number of repeats: range^steps from a table of powers
      // (pow itself where the difference is not whole, or beyond the table).
      std::vector<double> power(64);
      power[0] = 1.0;
      for (size_t k = 1; k < power.size(); ++k) power[k] = power[k - 1] * spec.range;
      auto step_weight = [&](double d) {
        const long k = std::lround(d);
        if (std::fabs(d - static_cast<double>(k)) < 1e-9 && k < static_cast<long>(power.size()))
          return power[k];
        return std::pow(spec.range, d);
      };
      std::vector<double> weight(n);
      for (int i = 0; i < n; ++i) {
        int same = 0, other = 0;
        double wsum = 0;
        for (int j = 0; j < n; ++j) {
          if (j == i) continue;
          if (cls[j] == cls[i]) {
            ++same;
            weight[j] = step_weight(std::fabs(value[i] - value[j]));
            wsum += weight[j];
          } else {
            ++other;
          }
        }
        double stay = 1.0;
        if (same > 0) stay -= spec.rate;
        if (other > 0) stay -= spec.rate2;
        at(i, i) = stay;
        for (int j = 0; j < n; ++j) {
          if (j == i) continue;
          at(i, j) = cls[j] == cls[i] ? spec.rate * weight[j] / wsum : spec.rate2 / other;
        }
      }
      break;
    }
  }
  return m;
}

}  // namespace whereabouts::kinship
