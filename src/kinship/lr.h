// Likelihood ratios of kinship hypotheses: LR = L(H1) / L(H2), per marker and in total.
//
// A KinshipCase holds two hypotheses (each a list of persons forming one or more pedigrees), the
// samples' genotype calls, the markers to use, the mutation model, theta and per-sample drop-out.
// Alleles that no sample shows are merged into one where the mutation model allows it (exact, and
// much faster); see IsLumpable.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "kinship/frequencies.h"
#include "kinship/genotype.h"
#include "kinship/likelihood.h"
#include "kinship/mutation.h"
#include "kinship/pedigree.h"

namespace whereabouts::kinship {

struct HypothesisPerson {
  Individual individual;
  // Samples observed on this person. Empty means: the sample with the person's own id, if any.
  std::vector<std::string> samples;
};

struct KinshipCase {
  std::string id;
  std::string description;
  std::vector<std::string> markers;  // the markers to use, in this order
  MutationModel mutation;  // the default model and per-marker models (MutationModel::per_marker)
  double theta = 0.0;
  std::map<std::string, double> dropout;  // sample id -> drop-out probability
  std::vector<HypothesisPerson> h1, h2;
  // sample id -> canonical marker name -> call. A marker missing for a sample is untyped.
  std::map<std::string, std::map<std::string, GenotypeCall>> genotypes;
  // When set, an allele absent from the database is added with this frequency (marker rescaled);
  // otherwise it is an error. A marker with a rest allele (kRestAllele) gives an absent allele
  // the rest allele's frequency instead (see WithRestAssigned), whatever this says.
  std::optional<double> minimum_frequency;
  // When true, the minimum frequency of each marker is 5/2N from its database size N (and
  // minimum_frequency is not used); an absent allele at a marker without N is an error.
  bool minimum_frequency_from_size = false;
  // When true, only h1 is computed: each marker's likelihood_h2 is 1 and its lr is L(h1) (for a
  // consistency check, where only whether L(h1) is 0 matters; h2 must still be a valid hypothesis).
  bool h1_only = false;
};

struct MarkerLr {
  std::string marker;
  double lr = 0.0;
  double likelihood_h1 = 0.0;
  double likelihood_h2 = 0.0;
  std::vector<std::string> added_alleles;  // alleles added at the minimum frequency
  std::vector<std::string> rest_alleles;   // alleles that took the rest allele's frequency
};

struct LrResult {
  std::string id;
  double lr = 0.0;
  double log10_lr = 0.0;  // -infinity when lr == 0
  std::vector<MarkerLr> per_marker;
};

// Computes the LR of `kcase` with frequencies from `db`.
// Errors (each naming the case, and the marker/individual/sample where it applies):
//   kNotFound          a marker not in the database; a sample named by a person with no genotypes
//   kInvalidArgument   an allele absent from the database with no minimum frequency; bad theta,
//                      drop-out or mutation parameters; a sample used in one hypothesis only
//   kFailedPrecondition an impossible pedigree; data impossible under H2 (LR undefined)
//   kResourceExhausted the exact computation is too large (see PedigreeLikelihood)
// Thread-safety: pure, safe to call concurrently.
[[nodiscard]] Result<LrResult> ComputeLr(const KinshipCase& kcase, const FrequencyDatabase& db);

// --- Building blocks, exposed for screening and tests ---------------------------------------

// A marker prepared for the engine: possibly lumped alleles, matrices and theta.
struct PreparedMarker {
  std::vector<std::string> added_alleles;  // alleles added at the minimum frequency
  std::vector<std::string> rest_alleles;   // alleles that took the rest allele's frequency
  MarkerSetup setup;               // what the engine sees (lumped where possible)
  std::map<std::string, int> index;  // canonical allele -> index in setup (observed alleles)
  bool lumped = false;
};

// Prepares `marker` for data showing `observed` alleles (canonical).
// Errors: kInvalidArgument for an unknown allele without minimum frequency, bad model parameters.
[[nodiscard]] Result<PreparedMarker> PrepareMarker(const MarkerFrequencies& marker,
                                                   const std::vector<std::string>& observed,
                                                   const MutationModel& mutation, double theta,
                                                   std::optional<double> minimum_frequency,
                                                   bool allow_lumping = true);

}  // namespace whereabouts::kinship
