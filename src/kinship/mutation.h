// Mutation models for the transmission of an allele from parent to child.
//
// A model gives, per marker, an n x n matrix M (row: parent's allele, column: transmitted allele,
// rows sum to 1). Models and their definitions follow the reference (Familias / pedmut):
//   none          M = I
//   equal         to each other allele rate/(n-1); stay 1-rate
//   proportional  M = (1-a) I + a 1 p^T, a = rate / sum p_i (1-p_i)   (stationary)
//   stepwise      Familias' extended stepwise: alleles fall into classes by their decimal part;
//                 within a class, j gets weight range^|a_i - a_j|, normalised to sum to `rate`;
//                 `rate2` is spread equally over the alleles of other classes; stay 1-rate-rate2
//                 (1-rate if no other class exists, 1-rate2 if the allele is alone in its class).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "kinship/frequencies.h"

namespace whereabouts::kinship {

enum class MutationKind { kNone, kEqual, kProportional, kStepwise };

struct MutationSpec {
  MutationKind kind = MutationKind::kNone;
  double rate = 0.0;
  double rate2 = 0.0;  // stepwise only
  double range = 0.0;  // stepwise only
  [[nodiscard]] std::string ToString() const;
  [[nodiscard]] bool operator==(const MutationSpec&) const = default;
};

// The models of one marker, per sex of the transmitting parent.
struct MarkerMutation {
  MutationSpec male;
  MutationSpec female;
  [[nodiscard]] bool operator==(const MarkerMutation&) const = default;
};

// A model per sex of the transmitting parent, and optionally per marker: `per_marker` (canonical
// marker name -> models) overrides `male`/`female` at the markers it lists; every other marker
// uses `male`/`female` (the default). Familias files carry one model per marker and sex.
struct MutationModel {
  MutationSpec male;
  MutationSpec female;
  std::map<std::string, MarkerMutation, std::less<>> per_marker;
  [[nodiscard]] static MutationModel Same(const MutationSpec& spec) {
    MutationModel m;
    m.male = spec;
    m.female = spec;
    return m;
  }
  // The model used at `canonical_marker` (its per_marker entry, else the default), with no
  // per-marker entries of its own.
  [[nodiscard]] MutationModel ForMarker(std::string_view canonical_marker) const;
};

// Checks the default and every per-marker model (ValidateMutationSpec); the error's field names
// the marker. Errors: kInvalidArgument.
[[nodiscard]] Status ValidateMutationModel(const MutationModel& model);

// Parses "none", "equal", "proportional", "stepwise". Errors: kInvalidArgument.
[[nodiscard]] Result<MutationKind> ParseMutationKind(std::string_view name);

// Checks ranges: 0 <= rate, rate2 < 1; 0 < range < 1 for stepwise. Errors: kInvalidArgument.
[[nodiscard]] Status ValidateMutationSpec(const MutationSpec& spec);

// The row-major n x n matrix of `spec` over `marker`'s alleles.
// Errors: kInvalidArgument for a stepwise model over a non-numeric allele (e.g. "OL"), or a
// proportional rate too large for the frequencies (a > 1).
[[nodiscard]] Result<std::vector<double>> MutationMatrix(const MutationSpec& spec,
                                                         const MarkerFrequencies& marker);

// The matrix of `spec` with alleles merged into blocks (block[i] in [0, blocks)), computed directly
// without the full n x n matrix. REQUIRES: IsLumpable(spec). Row b is the row of any allele of
// block b (they agree for lumpable models). Errors: as MutationMatrix.
[[nodiscard]] Result<std::vector<double>> LumpedMutationMatrix(const MutationSpec& spec,
                                                               const MarkerFrequencies& marker,
                                                               const std::vector<int>& block,
                                                               int blocks);

// True when `spec` allows alleles that nobody shows to be merged into one ("lumped") without
// changing any likelihood: none, equal and proportional; not stepwise.
[[nodiscard]] bool IsLumpable(const MutationSpec& spec);

// Whether θ and `model` can be used together by the batch identification (kinship::Identify),
// checked before any work. θ > 0 with a model that cannot be lumped (IsLumpable: stepwise with a
// positive rate, as the default or at any marker, for either sex) is refused: under θ the exact
// engine sums over the founders' genotypes (likelihood.h), and without lumping every allele of the
// marker stays (G = n(n+1)/2 genotypes per founder, n up to about 50), so one pair costs up to
// G^(founders - 1) pedigree evaluations per marker: more than 12 minutes on 60 individuals where
// θ with equal or proportional, or stepwise with θ = 0, takes seconds. Errors: kInvalidArgument,
// field "theta", naming the model (and the marker, for a per-marker model) and what to use
// instead.
[[nodiscard]] Status CheckThetaWithMutation(const MutationModel& model, double theta);

}  // namespace whereabouts::kinship
