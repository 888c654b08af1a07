// Joint LRs of a family's partial assignments, fast and exact (docs/identify.md, "Families scored
// jointly").
//
// A family with several missing members and a set of candidate individuals: the joint LR of any
// partial assignment A of candidates to missing members ("slots") is FamilyCase's LR (identify.h)
// L(pedigree with A) / L(pedigree with A's individuals unrelated), the given identifications and
// references typed in both. FamilyScorer computes the same number as ComputeLr of FamilyCase, but
//   - builds the pedigrees once (the family, and the family beside unrelated persons) and keeps a
//     peeling plan per pattern of typed persons;
//   - computes a marker's LR once per tuple of evidence placed on the slots: individuals whose
//     calls at a marker are the same are one class there, and the marker's LR depends only on the
//     class on each slot (memoised per marker);
//   - stops the product across markers at the first marker of LR 0.
// Markers enter as in the enumeration it replaces: a marker counts when an individual placed is
// typed at it and at least two persons of the case are (references, given, placed).
//
// Exchangeable slots (FamilyScorer::orbits): missing members with the same father and mother (or
// both founders), the same sex, no children in the pedigree, and no own data. Swapping the
// individuals on two such slots is an automorphism of the case, so the joint LR is the same; a
// table keeps one canonical assignment per class (JointFamily::Canonical, assign.h).
//
// Pure: no I/O, no clock. Thread-safety: one FamilyScorer per thread (it memoises).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/result.h"
#include "kinship/frequencies.h"
#include "kinship/identify.h"
#include "kinship/lr.h"
#include "kinship/mutation.h"
#include "kinship/pedigree.h"
#include "kinship/profiles.h"

namespace whereabouts::kinship {

struct FamilyScorerInput {
  const Family* family = nullptr;
  const std::map<std::string, const Profile*>* reference_of = nullptr;
  std::vector<MemberPlacement> given;  // identifications given (typed in both hypotheses)
  // Missing members that candidates may be placed on (member ids of `family`).
  std::vector<std::string> slots;
  // The candidate individuals: each one's samples (remains, drop-out `dropout`).
  std::vector<std::vector<const Profile*>> candidates;
  double dropout = 0.0;
  // The markers (canonical names, in the order of the product) and, per marker, how many persons
  // of the family are typed there without any placement (references and given identifications).
  std::vector<std::string> markers;
  std::vector<int> typed_count;
  MutationModel mutation;
  double theta = 0.0;
  std::optional<double> minimum_frequency;
  const FrequencyDatabase* database = nullptr;
};

class FamilyScorer {
 public:
  // Errors: kInvalidArgument / kNotFound for a pedigree that cannot be built, a slot that is not a
  // member, sizes that do not match.
  [[nodiscard]] static Result<std::unique_ptr<FamilyScorer>> Create(FamilyScorerInput input);

  // Joint LR of placing candidate `second` on slot `first` for each pair (slots distinct,
  // candidates distinct): as ComputeLr of FamilyCase over the markers that count (see above);
  // 1 when none counts; 0 when some marker's LR is 0; an underflow gives the smallest positive
  // double (not an impossibility). Errors: those of ComputeLr (an allele not in the database
  // without a minimum frequency, data impossible under h2, an enumeration too large under theta).
  [[nodiscard]] Result<double> JointLr(const std::vector<std::pair<int, int>>& placed);

  // Orbit of each slot: slots with the same orbit are exchangeable; orbit ids are the smallest
  // slot index of the orbit.
  [[nodiscard]] const std::vector<int>& orbit_of() const { return orbit_of_; }
  FamilyScorer() = default;  // empty; use Create
  // Per-marker likelihood computations done (memo misses) and marker LRs looked up.
  [[nodiscard]] std::uint64_t computations() const { return computations_; }
  [[nodiscard]] std::uint64_t lookups() const { return lookups_; }

 private:
  struct SampleRef {
    const Profile* profile = nullptr;
    bool remains = false;  // drop-out model (remains), else a reference (none)
  };
  Result<double> MarkerLr(int k, const std::vector<int>& slot_candidate);
  Result<double> Likelihood(bool h1, const std::vector<std::vector<double>>& evidence,
                            const MarkerSetup& setup);

  FamilyScorerInput in_;
  Pedigree ped1_, ped2_;  // the family; the family then one unrelated founder per slot
  int members_ = 0;
  std::vector<int> slot_member_;                   // slot -> member index
  std::vector<std::vector<SampleRef>> fixed_;      // per member: references, given
  std::vector<int> orbit_of_;                      // per slot
  std::vector<int> orbit_order_;                   // position -> slot, orbits contiguous
  std::vector<std::pair<int, int>> orbit_ranges_;  // positions [from, to) of each orbit
  std::vector<int> classes_;                       // scratch: class per position
  std::vector<std::vector<int>> class_of_;         // [marker][candidate]: 0 untyped, else class
  std::vector<std::vector<char>> typed_;           // [candidate][marker]
  std::vector<const MarkerFrequencies*> marker_;   // per marker
  // Per marker: the class on each slot (one 16-bit unit per slot; short keys need no allocation)
  // -> the marker's LR.
  std::vector<std::unordered_map<std::u16string, double>> memo_;
  std::u16string key_;  // scratch of JointLr
  struct Call {
    int a = -1, b = -1;  // local allele ids (alleles_), -1 unknown
    bool dropout_model = false;
  };
  struct Prepared {
    PreparedMarker marker;
    std::vector<int> engine;  // local allele id -> engine index (-1: not shown)
  };
  std::vector<std::vector<std::string>> alleles_;                // [marker]: alleles seen
  std::vector<std::vector<std::vector<Call>>> fixed_calls_;      // [marker][member]
  std::vector<std::vector<std::vector<Call>>> candidate_calls_;  // [marker][candidate]
  std::unordered_map<std::string, Prepared> prepared_;  // marker + alleles shown -> prepared
  std::vector<char> seen_scratch_, typed_scratch_;
  std::vector<int> placed_classes_;
  std::vector<int> slot_candidate_;                  // scratch of JointLr
  std::vector<int> placed_members_;                  // scratch of MarkerLr
  std::unordered_map<std::string, double> h2_memo_;  // marker + classes placed (sorted) -> L(h2)
  // Theta 0: L(references) per marker and alleles added / given the rest allele's frequency.
  using RefsKey = std::tuple<int, std::vector<std::string>, std::vector<std::string>>;
  std::map<RefsKey, double> refs_l2_;
  std::vector<std::vector<double>> ev1_scratch_, ev2_scratch_;
  std::map<std::vector<char>, PeelingPlan> plans1_, plans2_;
  LikelihoodWorkspace workspace_;
  std::uint64_t computations_ = 0, lookups_ = 0;
};

}  // namespace whereabouts::kinship
