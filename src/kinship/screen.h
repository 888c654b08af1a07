// Screening: the LR of every person (remains sample or re-associated individual) against every
// missing member of every family, by table look-up.
//
// For a family F, a missing member M and a marker, the table holds
//   T[g]  = P(M has genotype g | F's reference data)        for every genotype g of the marker,
//   ST[a] = sum over genotypes g containing allele a of T[g]
// (theta = 0, the screening mutation model); T is stored as R[g] = T[g] / P(g), so that a genotype
// seen at face value costs one look-up. For a person whose evidence at the marker is e (see
// evidence.h), the LR of "the person is M" against "the person is unrelated to F" is
//   LR = sum_g T[g] e[g] / sum_g P(g) e[g],
// and for the three shapes of e this is  c1 * R[i1] + c2 * ST[i2]  with indices and coefficients
// that depend on the person only (a genotype {a,b} at face value: R[ab]; a single allele a with
// drop-out: ((alpha - beta) P(aa) R[aa] + beta ST[a]) / (alpha P(aa) + beta (P(a.) - P(aa)))).
// The LR over markers is the product: one look-up and one multiplication per marker for most.
//
// Tables are computed exactly with the pedigree engine (likelihood.h) on lumped allele spaces: the
// alleles the references show, plus one block for all others. Under the models tabulated here
// ("none", "proportional") an allele nobody shows is a fresh draw from the population, so the
// value of each genotype of unseen alleles follows from the lumped values in closed form (a second
// engine call handles an inbred missing person). References may show a full genotype or one allele
// with the other unknown ("a/-": a plus any allele, unseen ones included; its evidence is the same
// for every unseen allele, so the closed form holds). The result equals the exact engine
// (ComputeLr, theta = 0, the same mutation model) to rounding.
//
// Other mutation models (equal, stepwise) cannot be tabulated this way (a mutation is not a fresh
// draw: under stepwise it favours the neighbours of the parent's allele), and tabulating the full
// allele space costs n(n+1)/2 engine calls per marker over the full space. The screen is then a
// filter: it tabulates the proportional model of the same total rate (ScreenMutationFor), and the
// caller re-scores the pairs it keeps with the exact engine and the requested model. A true match
// with a mutation keeps a high screen LR (proportional never gives 0 for a mutation; only the one
// marker's factor differs), and the top-k per person keep it even below the threshold.
//
// Amelogenin: a person showing Y (ScreenPerson::shows_y) cannot be a female missing member. Such
// pairs are excluded: not kept among the hits and not summed into weighted_lr_sum; those whose LR
// reaches the threshold are listed apart (ScreenResult::excluded), so that a strong genetic match
// excluded by sex (a mislabelled sample?) is seen.
//
// Thread-safety: all functions are pure; Screen runs on its own oneTBB arena. Results do not
// depend on the number of threads: every person visits the targets in the same order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/result.h"
#include "kinship/evidence.h"
#include "kinship/frequencies.h"
#include "kinship/mutation.h"
#include "kinship/pedigree.h"

namespace whereabouts::kinship {

// A family as the screen sees it.
struct ScreenFamily {
  std::string id;
  Pedigree pedigree;
  std::vector<int> missing;  // pedigree indices of the missing members (untyped)
  // evidence[i][m]: what member i shows at screen marker m; kUntyped where not typed.
  std::vector<std::vector<MarkerEvidence>> evidence;
};

// A person to screen: evidence per screen marker.
struct ScreenPerson {
  std::string id;
  std::vector<MarkerEvidence> markers;
  bool shows_y = false;  // amelogenin shows Y: cannot be a female missing member
};

// One table: a missing member of a family.
struct ScreenTarget {
  int family = 0;  // index into the families given to Screen
  int member = 0;  // pedigree index of the missing member
};

struct ScreenOptions {
  // The requested model; "equal" and "stepwise" are screened with ScreenMutationFor(mutation).
  MutationSpec mutation;
  int top_k = 10;             // keep the k best targets of every person
  double lr_threshold = 100;  // and every target with LR >= this
  int threads = 0;            // 0: all cores
  // Optional weight per target (in the order of ScreenResult::targets) for weighted_lr_sum;
  // empty: 1 each.
  std::vector<double> weights;
  int tables_per_pass = 1024;  // targets tabulated at a time (bounds memory: ~26 KB each)
  // Called between passes with (pairs done, pairs in all); may be empty.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
};

struct ScreenHit {
  int target = 0;
  double lr = 0.0;
};

// What the screen could do with one missing person (target). kFamilyNotUsable is not set by Screen
// (it sees usable families only); Identify uses it for the missing members of skipped families.
enum class ScreenStatus {
  kScreened,         // its table was built and every person was screened against it
  kTableFailed,      // its table could not be built (see ScreenResult::skipped): not screened
  kFamilyNotUsable,  // its family was skipped before the screen (invalid, nobody typed)
  kIdentifiedGiven,  // identified already (given to Identify): a typed member, not a target
};
// "screened", "table failed", "family not usable", "identified (given)".
[[nodiscard]] const char* ScreenStatusName(ScreenStatus s);

struct ScreenSkip {
  std::string item;  // "family F" or "family F, missing M"
  std::string reason;
};

struct ScreenResult {
  std::vector<ScreenTarget> targets;  // every missing member of every usable family, in order
  std::vector<ScreenStatus> status;   // per target: kScreened or kTableFailed
  // The model the tables were computed with, and whether it is the requested one (false: the
  // screen was a filter for a model it cannot tabulate).
  MutationSpec mutation;
  bool requested_model = true;
  // Per person: its top-k targets and all with LR >= threshold, by LR (descending) then target;
  // targets excluded by amelogenin left out.
  std::vector<std::vector<ScreenHit>> hits;
  // Per person: sum over all targets not excluded of weight * LR (for posteriors over the list).
  std::vector<double> weighted_lr_sum;
  // Per person: targets excluded by amelogenin (Y shown, female missing member) whose LR is at
  // least the threshold, by LR then target; and how many targets were excluded in all.
  std::vector<std::vector<ScreenHit>> excluded;
  std::vector<int> excluded_count;
  std::vector<ScreenSkip> skipped;  // families or missing members that could not be tabulated
  std::uint64_t pairs = 0;          // person x target pairs evaluated
};

// The model the screen tabulates for `requested`: none and proportional as they are (the screen is
// exact); equal and stepwise by proportional with the same total rate (rate + rate2), as a filter.
[[nodiscard]] MutationSpec ScreenMutationFor(const MutationSpec& requested);

// Size of one table over `markers` (doubles) and the offset of each marker's part.
struct TableLayout {
  std::vector<std::uint32_t> offset;  // per marker
  std::vector<int> alleles;           // per marker
  std::uint32_t stride = 0;
};
[[nodiscard]] TableLayout MakeTableLayout(const std::vector<MarkerFrequencies>& markers);

// The table of missing member `member` of `family` (see above) into `out` (layout.stride values).
// REQUIRES: family.evidence has one row per pedigree member, each with markers.size() entries,
// allele indices into `markers`; mutation is none or proportional.
// References may show full genotypes, one allele with the other unknown ("a/-", or one allele under
// a drop-out model: any kAllele evidence) or nothing.
// Errors: kUnimplemented for a mutation model other than none/proportional; kFailedPrecondition
// when the references are inconsistent with each other at a marker (or show impossible evidence);
// errors of the engine (kResourceExhausted for a pedigree too large).
[[nodiscard]] Status BuildTable(const std::vector<MarkerFrequencies>& markers,
                                const TableLayout& layout, const ScreenFamily& family, int member,
                                const MutationSpec& mutation, double* out);

// A person encoded against a layout: per marker, LR = c1 * table[i1] + c2 * table[i2]
// (c1 = 1, c2 = 0 for a genotype at face value; i1 = i2 = the entry holding 1 when untyped).
struct EncodedMarker {
  std::uint32_t i1 = 0, i2 = 0;
  double c1 = 0.0, c2 = 0.0;
};
[[nodiscard]] std::vector<EncodedMarker> EncodePerson(const std::vector<MarkerFrequencies>& markers,
                                                      const TableLayout& layout,
                                                      const ScreenPerson& person);

// The screening LR of an encoded person against one table.
[[nodiscard]] double ScreenLr(const std::vector<EncodedMarker>& person, const double* table);

// Screens every person against every missing member of every family, with the tables of
// ScreenMutationFor(options.mutation) (see above; ScreenResult says which model was used).
// Families that cannot be tabulated are skipped (listed in `skipped`), the rest goes on.
// Errors: kInvalidArgument for bad options (an invalid mutation model among them, or a screening
// model that does not fit a marker: a proportional rate above its heterozygosity).
// Complexity: tables O(families x markers x k^2) engine calls (k = alleles the references show);
// pairs O(persons x targets x markers) look-ups.
[[nodiscard]] Result<ScreenResult> Screen(const std::vector<MarkerFrequencies>& markers,
                                          const std::vector<ScreenFamily>& families,
                                          const std::vector<ScreenPerson>& persons,
                                          const ScreenOptions& options);

}  // namespace whereabouts::kinship
