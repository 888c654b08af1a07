// The likelihood of a pedigree's genotype evidence at one marker.
//
// Exact computation by peeling (Elston-Stewart) over nuclear families on the genotype level.
// Pedigrees with loops (cousin marriages, double relationships) are handled exactly by loop
// breaking: a loop-breaker individual is duplicated and the likelihood summed over its genotype.
// Subpopulation correction theta (Balding-Nichols) draws all founder alleles of the hypothesis
// jointly; it is computed exactly by summing over the founders' genotypes with their urn weights
// (exponential in the number of founders, so a limit applies; see kMaxEnumeration). One founder
// who is not a loop breaker is not enumerated: its urn weight given the alleles drawn before it
// depends only on its own genotype, so it enters its likelihood row and peeling sums over it.
// The sum does not re-peel the whole pedigree per combination: every family is peeled towards the
// folded founder and each step is computed at the depth of the last clamp it depends on (see
// PeelingPlan::UrnStep; the re-peel stays as MarkerSetup::reference_enumeration).
//
// Transmission is computed on the fly from the mutation matrices, and for each child only for the
// alleles its possible genotypes contain (one or two for a typed child), so a typed child costs
// O(parents' genotypes) rather than O(parents' genotypes x alleles).
//
// Individuals who are untyped and have no typed descendant do not change the likelihood and are
// pruned first; untyped founders *with* typed descendants are kept (pruning them would change the
// answer under non-stationary mutation models).
#pragma once

#include <vector>

#include "common/result.h"
#include "kinship/genotype.h"
#include "kinship/pedigree.h"

namespace whereabouts::kinship {

// Everything the engine needs to know about one marker (possibly with alleles lumped).
struct MarkerSetup {
  std::vector<double> frequencies;      // n allele frequencies summing to 1
  std::vector<double> male_mutation;    // n x n row-major, rows sum to 1; empty = no mutation
  std::vector<double> female_mutation;  // n x n row-major; empty = no mutation
  double theta = 0.0;                   // Balding-Nichols subpopulation correction, 0 <= theta < 1
  // Sum over founder genotypes with the urn weights even when theta == 0 (the theta path). Gives
  // the same answer as the default path; exists so that tests can prove that it does.
  bool enumerate_founders = false;
  // Under theta (or enumerate_founders), re-peel the whole pedigree at every combination of the
  // enumerated genotypes instead of reusing the parts that do not depend on them. The same
  // numbers up to rounding, much slower; exists so that tests and benchmarks can compare.
  bool reference_enumeration = false;
};

// Largest number of genotype combinations the engine will sum over (theta founders x loop
// breakers).
inline constexpr double kMaxEnumeration = 2e7;

// The probability of all evidence at one marker under `pedigree`.
// `evidence[i]` is, for individual i, P(what was observed | genotype g) over GenotypeSpace(n)
// (see MultiplyObservation), or empty when i is untyped. REQUIRES: evidence.size() ==
// pedigree.size(), every non-empty vector has n(n+1)/2 entries.
// Errors: kResourceExhausted when the exact sum would need more than kMaxEnumeration
// combinations (too many founders under theta, or loops); kInvalidArgument for bad sizes.
// Thread-safety: pure function, safe to call concurrently.
// Complexity: per nuclear family O(Gf Gm k) with Gf, Gm the parents' possible genotypes (G =
// n(n+1)/2 when untyped) and k the alleles of a child's possible genotypes (<= n).
// The part of a likelihood computation that depends only on the pedigree, on who is typed and on
// whether founders are summed over (theta > 0): pruning, loop breaking and the peeling order.
// Build it once and evaluate it for many markers (see EvaluatePlan).
struct PeelingPlan {
  struct Family {
    int father = -1;            // node
    int mother = -1;            // node
    std::vector<int> children;  // nodes
  };
  struct Step {
    int family = 0;
    int pivot = -1;  // node receiving the peeled family, or -1 when the family closes a component
  };
  int persons = 0;
  int base_nodes = 0;            // nodes [0, base_nodes) are the kept persons themselves
  std::vector<int> node_person;  // node -> person (copies of loop breakers after base_nodes)
  std::vector<Family> families;
  std::vector<Step> order;
  std::vector<char> isolated;   // node in no family
  std::vector<char> founder;    // per person
  std::vector<int> enumerated;  // persons summed over explicitly (loop breakers, urn founders)
  std::vector<std::vector<int>> nodes_of_person;
  bool urn_founders = false;

  // Theta (urn_founders): the enumeration that reuses work (EvaluateUrn in likelihood.cc).
  // One urn founder (`fold`, a single node) is the root every family is peeled onto; the other
  // enumerated persons are clamped depth-first in the order `urn_enumerated`. A step is computed
  // at the depth where the last clamp it depends on is set (-1: once, before the enumeration).
  struct UrnStep {
    int family = 0;
    int pivot = -1;
    int k_level = -1;           // depth at which its children's transmission kernel is built
    int q_level = -1;           // depth at which its matrix over the parents' genotypes is built
    int level = -1;             // depth at which it is reduced onto its pivot (>= q_level)
    bool defer_father = false;  // the father's clamp is applied at the reduction, not before
    bool defer_mother = false;
  };
  bool urn_layout =
      false;      // the fields below are set (with two or more untyped persons enumerated)
  int fold = -1;  // person, or -1
  std::vector<int> urn_enumerated;  // persons clamped depth-first, in this order
  std::vector<int> urn_position;    // per person: index in urn_enumerated, or -1
  std::vector<UrnStep> urn_steps;   // peeling order rooted at the fold's node
  // (node, depth) for the nodes in no family, except the fold.
  std::vector<std::pair<int, int>> urn_isolated;
  std::vector<std::vector<int>> urn_restore;  // per depth: the rows changed at that depth or deeper

  // REQUIRES: typed.size() == pedigree.size(). Errors: kInternal if the pedigree cannot be peeled.
  [[nodiscard]] static Result<PeelingPlan> Create(const Pedigree& pedigree,
                                                  const std::vector<char>& typed,
                                                  bool urn_founders);
};

// Scratch memory reused across evaluations (one per thread).
struct LikelihoodWorkspace {
  std::vector<double> base, L, gf, gm, q, w, v, fold_weight;
  std::vector<int> nz_f, nz_m, nz_c, cols, col_of, clamp;
  std::vector<std::vector<int>> domains;
  std::vector<int> counts;
  // Theta enumeration: per step its parents' genotypes and matrix; per depth the saved rows.
  std::vector<std::vector<int>> step_nz_f, step_nz_m, step_kz_f, step_kz_m;
  std::vector<std::vector<double>> step_q, step_k, saved;
  std::vector<int> sel_f, sel_m;
  std::vector<double> sel_q;
};

// Evaluates a plan built for the same pedigree and typed pattern as `evidence`.
// Errors: as PedigreeLikelihood.
[[nodiscard]] Result<double> EvaluatePlan(const PeelingPlan& plan,
                                          const std::vector<std::vector<double>>& evidence,
                                          const MarkerSetup& setup, LikelihoodWorkspace& workspace);

[[nodiscard]] Result<double> PedigreeLikelihood(const Pedigree& pedigree,
                                                const std::vector<std::vector<double>>& evidence,
                                                const MarkerSetup& setup);

}  // namespace whereabouts::kinship
