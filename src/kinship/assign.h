// Joint identification: which individual is which missing person, with posterior probabilities.
//
// Model. Every individual (a re-associated set of remains) is one of the N missing persons of the
// list or none of them. Prior: P(individual is missing person m) = prior[m], P(none) = prior_none
// (by default uniform over the list and "none": 1/(N+1) each). Likelihood: the LR of the
// individual against m (the exact engine's, or the screen's for the persons not re-scored).
// Individually, P(i is m | data) = prior[m] LR(i,m) / (prior_none + sum_m' prior[m'] LR(i,m')).
// Jointly, no two individuals can be the same missing person: the posterior is computed over the
// one-to-one assignments of the individuals of a connected group (individuals and the missing
// persons they match), each individual also able to be "another person" (none, or a missing person
// outside its candidates, with the remaining prior mass). Groups are small in practice; a group too
// large to enumerate falls back to the individual posteriors and is flagged.
//
// Decisions: an individual is `identified` as m when its posterior for m is >= the posterior
// threshold and LR(i,m) >= the LR threshold. It is `ambiguous` when the posterior is split over
// two or more missing persons that together pass the threshold (e.g. full brothers with the same
// references: indistinguishable), and `not identified` otherwise. One individual never gets two
// missing persons, and one missing person never two individuals.
//
// Thread-safety: pure.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace whereabouts::kinship {

struct AssignCandidate {
  int individual = 0;
  int missing = 0;  // index into the list of missing persons
  double lr = 0.0;
  // A further likelihood factor of the pair beside the LR (amelogenin as evidence: the chance of
  // what it shows given the missing person's sex, relative to the best sex); 1 by default.
  double weight = 1.0;
};

// A family with several missing persons scored jointly (docs/identify.md, "Families scored
// jointly"): the joint LR of every possible set of two or more of its pairs (individual, missing
// person), each from one pedigree computation (the family's pedigree with those individuals on
// those members; kinship::FamilyCase). A set absent from the table is impossible (joint LR 0: it,
// or a subset of it, is inconsistent with the family). A set of one pair has the candidate's LR.
// The weight of an assignment is then prod prior * joint LR of each family's part (instead of the
// product of the pairwise LRs), so posteriors are exact under the family pedigrees.
using PairSet = std::vector<std::pair<int, int>>;  // (individual, missing), by individual
// Exchangeable missing persons (family_joint.h: same parents, same sex, no children, no own data)
// have the same joint LR under any permutation of the individuals on them: the table then holds
// one canonical set per class (Canonical) and Find canonicalises before looking up.
struct JointFamily {
  std::vector<int> missing;  // its missing persons (indices into the list)
  // The individuals the table holds (ascending). A candidate of the family's missing persons from
  // another individual never joins a joint group (its weight stays in "someone else").
  std::vector<int> individuals;
  std::map<PairSet, double> joint_lr;  // sets of >= 2 pairs, sorted by individual, canonical
  // Orbits of exchangeable missing persons (each ascending, two or more); missing persons in no
  // orbit are alone.
  std::vector<std::vector<int>> orbits;
  // `set` with, in each orbit, its individuals in ascending order on the orbit's first missing
  // persons (ascending); sorted by individual.
  [[nodiscard]] PairSet Canonical(PairSet set) const;
  // The joint LR of `set` (any order of the pairs; canonicalised), 0 when absent (impossible).
  [[nodiscard]] double Find(const PairSet& set) const;
  // The missing persons exchangeable with `m` (m included), or just m.
  [[nodiscard]] std::vector<int> OrbitOf(int m) const;
};

struct AssignInput {
  int individuals = 0;
  std::vector<double> prior;  // per missing person (the list); sum + prior_none == 1
  double prior_none = 0.0;
  std::vector<int> family_of_missing;         // per missing person: family index (for reasons)
  std::vector<std::string> missing_names;     // per missing person: "family F, missing M"
  std::vector<std::string> individual_names;  // per individual (for reasons)
  std::vector<AssignCandidate> candidates;    // at most one per (individual, missing)
  // Per individual: sum of prior[m] * LR(i,m) over the missing persons that are not candidates of
  // i (from the screen). prior_none is added inside.
  std::vector<double> other_mass;
  // Families scored jointly (a missing person in at most one). A candidate of such a family joins
  // the joint groups when its posterior, with its pairwise LR or with its best LR given others of
  // the family (from the table), passes the bar (a weak pairwise LR may be strong jointly); all
  // the family's missing persons are in one group.
  std::vector<JointFamily> joint_families;
  // Optional: same-person LR of two individuals (0 when incompatible), for conflict reasons.
  std::function<double(int, int)> same_person_lr;
};

struct AssignOptions {
  double posterior_threshold = 0.9995;
  double lr_threshold = 1e4;
  // Candidates whose individual posterior is below this do not join the joint groups (their
  // weight stays in the individual's "other" mass, where the one-to-one constraint is not
  // applied; this moves a posterior by at most about this much per candidate).
  double joint_min_posterior = 1e-6;
  std::uint64_t max_joint_states = 2'000'000;  // assignments enumerated per group at most
};

enum class Decision { kIdentified, kAmbiguous, kNotIdentified };
[[nodiscard]] const char* DecisionName(Decision d);  // "identified", "ambiguous", "not identified"

// A missing person a decision is about, with its LR and (joint) posterior.
struct DecisionCandidate {
  int missing = 0;  // index into the list of missing persons
  double lr = 0.0;
  double posterior = 0.0;
};

// What the joint model says of one candidate (individual i, missing person m), from the most
// probable assignment of its group in which i is m (the "best assignment with the pair").
struct CandidateJoint {
  // Joint LR of the part of that assignment in m's family (the pedigree with all its individuals
  // placed), and the LR of the pair conditioned on the others: joint LR / joint LR of the same part
  // without the pair. For a family not scored jointly both are the candidate's LR.
  double joint_lr = 0.0;
  double conditional_lr = 0.0;
  // Generalised LR (dvir's GLR): weight of the best assignment with i as m over the weight of the
  // best assignment with i anything else (none included); priors included (with uniform priors
  // and no other mass, dvir's). 0 when the group was not enumerated.
  double glr = 0.0;
  PairSet conditioned_on;  // the other pairs of that family part
};

// A set-level result: individuals that are, with the posterior `posterior`, the missing persons
// `missing` of one family in some order, though not who is who.
struct SetOutcome {
  std::vector<int> individuals;
  std::vector<int> missing;
  double posterior = 0.0;
  double lr = 0.0;  // joint LR of the set given the rest of its family's best assignment
  // Best assignment with the set in place over the best one without (dvir's GLR of a symmetric
  // match).
  double glr = 0.0;
};

struct AssignOutcome {
  int individual = 0;
  int missing = -1;  // the best candidate (-1: none)
  double lr = 0.0;
  double posterior = 0.0;
  Decision decision = Decision::kNotIdentified;
  // What the decision is about, as data: identified: the one missing person; ambiguous: the
  // missing persons the posterior is split over (two or more, best first, as the reason names
  // them); not identified: the best candidate (none when the individual has no candidate).
  std::vector<DecisionCandidate> candidates;
  std::string reason;  // for people; never to be parsed (use `candidates`)
  // The LR the decision used: the best candidate's conditional LR (CandidateJoint; the pairwise LR
  // outside families scored jointly).
  double decision_lr = 0.0;
  // Ambiguous as a set (several individuals are several missing persons in some order).
  std::optional<SetOutcome> set;
};

struct AssignResult {
  std::vector<double> posterior;        // per candidate (same order as the input)
  std::vector<double> posterior_none;   // per individual: P(none of its candidates)
  std::vector<AssignOutcome> outcomes;  // per individual
  std::vector<CandidateJoint> joint;    // per candidate
  std::uint64_t assignments = 0;        // assignments summed over (all groups)
  int groups = 0;                       // joint groups with more than one individual
  int largest_group = 0;                // individuals in the largest group
  int groups_not_joint = 0;             // groups too large: individual posteriors used
  // The highest bar (individual posterior) a candidate needed to join a joint group: groups too
  // large at joint_min_posterior are split again with a bar 10 times higher, up to 0.01.
  double joint_bar = 0.0;
};

// Errors: kInvalidArgument for sizes that do not match, negative priors or LRs.
[[nodiscard]] Result<AssignResult> Assign(const AssignInput& input, const AssignOptions& options);

}  // namespace whereabouts::kinship
