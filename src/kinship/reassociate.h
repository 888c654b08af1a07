// Re-association of commingled remains: which samples come from the same person.
//
// Two samples are compared by the same-person likelihood ratio (theta = 0, drop-out as in
// evidence.h): LR = prod over markers typed in both of
//   sum_g P(g) x[g] y[g] / (sum_g P(g) x[g] * sum_g P(g) y[g]).
// Pairs with LR >= threshold (and compatible at every marker) are links. Samples are grouped into
// individuals greedily, strongest link first; a link is refused, and reported as a conflict, when
// it would join two groups whose samples cannot come from one person. Each individual carries the
// consensus of its samples (the product of their evidence), so that its LR to a family uses all of
// them.
//
// Amelogenin (optional, see SexEvidence in evidence.h) only restricts which samples can be one
// person: a sample showing Y and one showing X only without drop-out are never linked or joined
// (a refused join is reported as a conflict). A sample showing Y and one showing X only with
// drop-out may be one man whose Y dropped out: they may be joined, and the individual is reported
// as a conflict ("amelogenin differs") so that a reviewer looks at it. The consensus sex of an
// individual is the combination of its samples' (Y if any sample shows Y).
//
// Not all pairs are compared: a pair can only be a link if the two samples are compatible at the
// first marker (in a fixed order) where one of them is typed, and an index by genotype at that
// marker lists exactly those candidates (the result is the same as comparing all pairs).
//
// Thread-safety: pure; runs on its own oneTBB arena; results do not depend on the thread count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "kinship/evidence.h"
#include "kinship/frequencies.h"

namespace whereabouts::kinship {

struct ReassociationOptions {
  double lr_threshold = 1e4;   // link two samples when their same-person LR is at least this
  int min_common_markers = 1;  // and both are typed at this many markers at least
  int threads = 0;             // 0: all cores
};

struct SampleLink {
  int a = 0, b = 0;  // sample indices, a < b
  double lr = 0.0;
  int common_markers = 0;
};

struct ReassociationConflict {
  enum class Kind {
    kBagHoldsSeveral,
    kIndividualInSeveralBags,
    kInconsistentLink,  // a link refused: the groups cannot be one person (a marker, amelogenin)
    kSexDiffers,        // an individual whose samples show Y and X only (Y drop-out assumed)
  };
  Kind kind = Kind::kBagHoldsSeveral;
  std::string description;   // no personal data: bag, sample and individual numbers only
  std::vector<int> samples;  // the samples concerned
};

struct Reassociation {
  std::vector<int> individual_of;                      // per sample
  std::vector<std::vector<int>> individuals;           // samples of each individual, ascending
  std::vector<std::vector<MarkerEvidence>> consensus;  // per individual, per marker
  std::vector<SexEvidence> sex;                        // per individual: its samples' amelogenin
  std::vector<SampleLink> links;                       // every link, by (a, b)
  std::vector<ReassociationConflict> conflicts;
  // Minimum number of individuals: individuals that are pairwise incompatible, counted greedily
  // (an individual whose profile is compatible with a better-typed one may be that person).
  int mni = 0;
  std::uint64_t pairs_compared = 0;  // candidate pairs whose LR was evaluated
};

// Groups `samples` (evidence per marker, allele indices into `markers`) into individuals.
// `bags[i]` is the bag of sample i (may be empty); `sex[i]` the amelogenin of sample i (empty: not
// typed for any sample). REQUIRES: every sample has markers.size() entries; bags.size() ==
// samples.size() or bags is empty; likewise sex.
// Errors: kInvalidArgument for bad sizes or options.
// Complexity: O(candidates x markers) with candidates the pairs compatible at the index marker.
[[nodiscard]] Result<Reassociation> Reassociate(
    const std::vector<MarkerFrequencies>& markers,
    const std::vector<std::vector<MarkerEvidence>>& samples, const std::vector<std::string>& bags,
    const ReassociationOptions& options, const std::vector<SexEvidence>& sex = {});

// Same-person LR of two persons over all markers, with the number of markers typed in both.
// 0 when they are incompatible at some marker.
struct SamePersonResult {
  double lr = 1.0;
  int common_markers = 0;
};
[[nodiscard]] SamePersonResult SamePerson(const std::vector<MarkerFrequencies>& markers,
                                          const std::vector<MarkerEvidence>& x,
                                          const std::vector<MarkerEvidence>& y);

}  // namespace whereabouts::kinship
