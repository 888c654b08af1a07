// The batch identification: remains samples against family pedigrees, from profiles to decisions.
//
//   1. remains samples -> re-association into individuals (reassociate.h), consensus profiles
//   2. individuals x missing persons -> screen (screen.h): top-k and LR >= threshold survive
//   3. survivors -> exact LR (lr.h: theta, full mutation model), markers compared and markers
//      inconsistent without mutation
//   4. joint assignment with priors and posteriors (assign.h)
// Bad items (a family without typed members, a reference sample absent from the table, a marker
// absent from the frequency database, a sample without any usable marker, a reference whose
// amelogenin shows Y for a woman) are skipped and listed with their reason; the run goes on.
//
// Amelogenin (see SexEvidence in evidence.h): an individual showing Y is never proposed for a
// missing woman (the pair is excluded from the candidates and the posteriors; strong excluded
// pairs are still re-scored and listed, marked excluded). X only never excludes a missing man:
// such a pair is flagged in matches and in the reason of the decision.
//
// Mutation models: the exact re-score uses `mutation` (any model). The screen uses
// `screen_mutation` (default: the exact model) where it can tabulate it exactly (none,
// proportional), else the proportional model of the same total rate as a filter (see screen.h);
// the report says which model each number used.
//
// Pure: no files, no clock (the CLI reads and writes files, src/cli/cmd_identify.cc). Threads: its
// own oneTBB arenas; results do not depend on the number of threads.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "kinship/assign.h"
#include "kinship/evidence.h"
#include "kinship/frequencies.h"
#include "kinship/lr.h"
#include "kinship/mutation.h"
#include "kinship/profiles.h"
#include "kinship/reassociate.h"
#include "kinship/screen.h"

namespace whereabouts::kinship {

struct IdentifyOptions {
  double remains_dropout = 0.1;  // drop-out probability of remains samples (one allele shown)
  MutationModel mutation = MutationModel::Same({MutationKind::kEqual, 0.005, 0.0, 0.0});
  // Model requested for the screen; nullopt: the exact model (`mutation`; the one with the larger
  // total rate where fathers and mothers differ). Screened as ScreenMutationFor(this).
  std::optional<MutationSpec> screen_mutation;
  double theta = 0.0;                // for the exact re-score
  int top_k = 10;                    // per individual, re-scored exactly
  double screen_lr_threshold = 100;  // and every pair with a screen LR at least this
  double reassociation_lr = 1e4;     // same-person LR that links two samples
  double posterior_threshold = 0.9995;
  double lr_threshold = 1e4;
  // Prior that an individual is none of the listed missing persons; the rest is spread uniformly
  // over the list. Default: 1/(N+1) (uniform over the list and "none").
  std::optional<double> prior_none;
  // Alleles absent from the frequency database are added at this frequency (0: refuse them; the
  // marker of that profile is then skipped).
  double minimum_frequency = 0.001;
  // When true, each marker's minimum frequency is 5/2N from its database size N instead (a marker
  // without N then adds nothing, and says so in the warnings). Markers with a rest allele give an
  // absent allele the rest allele's frequency in either case (warned).
  bool minimum_frequency_from_size = false;
  // Families with several missing persons are scored jointly (docs/identify.md): every possible
  // partial assignment of their candidates to their missing members is one pedigree computation.
  // A family needing more than this many even at the highest bar (see family_budget) is not scored
  // jointly (pairwise LRs, and a warning); 0: no family is scored jointly.
  int max_family_assignments = 20'000;
  // A family's table is kept to about this many canonical partial assignments: when it would hold
  // more, only the candidate individuals whose best posterior in the family passes a bar ten times
  // higher (up to 0.01) are in it (and those a probable victim among them lifts over that bar);
  // when no bar keeps it within this, the lowest bar whose table is at most twice the one at 0.01
  // (if within max_family_assignments).
  int family_budget = 1'000;
  // Candidates whose individual posterior is below this stay out of the joint enumeration
  // (AssignOptions::joint_min_posterior; 0: every candidate joins, posteriors exact).
  double joint_min_posterior = 1e-6;
  // dvir's exclusion rule: a pair with more than this many markers inconsistent without mutation
  // is not a candidate (listed in matches with posterior 0). Negative: off (the default; the
  // mutation model weighs inconsistencies instead).
  int max_inconsistent_markers = -1;
  // Amelogenin as evidence: the probability that a man's sample shows X only (Y drop-out or an
  // AMELY deletion). When set, an individual showing X only weighs this factor against each missing
  // man (the likelihood ratio X only | man vs X only | woman) in every posterior; Y still
  // excludes a missing woman. Unset (default): X only is flagged, never weighed.
  std::optional<double> amelogenin_y_loss;
  int threads = 0;
  // When true, the report keeps the exact evidence of every candidate of an identified or
  // ambiguous decision (IdentifyReport::evidence): the case the exact engine computed and its
  // per-marker LRs, for the identification report an expert signs.
  bool candidate_evidence = false;
  // Progress: (stage, fraction done of that stage). Called from the calling thread.
  std::function<void(const std::string&, double)> progress;
};

// An identification already confirmed: the individual (its id, I0001..., or the name of one of its
// samples) is missing member `missing` of family `family`. It enters that family's pedigree as a
// typed member for everything that follows, and is not scored again.
struct GivenIdentification {
  std::string individual, family, missing;
};

struct IdentifyInput {
  const FrequencyDatabase* database = nullptr;
  std::vector<Family> families;
  std::vector<Profile> references;
  std::vector<RemainsSample> remains;
  std::vector<Profile> remains_profiles;
  std::vector<GivenIdentification> identified;  // confirmed identifications to condition on
};

struct IndividualRow {
  std::string individual, sample, bag;
  std::string amelogenin;  // what the sample shows: "XY" (Y seen), "X" (X only), "" not typed
};
struct MatchRow {
  std::string individual, family, missing;
  double lr = 0, log10_lr = 0, posterior = 0;
  double screen_lr = 0;  // the screen's LR (its model: IdentifyReport::screen_mutation)
  int markers_compared = 0, inconsistent_markers = 0;
  SexCheck sex_check = SexCheck::kNotChecked;  // kExcluded: listed for review, posterior 0
  // The joint model (CandidateJoint): joint LR of the family part of the best assignment with this
  // pair, the pair's LR given the others of that part, the generalised LR, and who those others
  // are ("I0002 as M2; I0005 as M4 (given)"), given identifications included.
  double joint_lr = 0, conditional_lr = 0, glr = 0;
  std::string conditioned_on;
  bool excluded_inconsistent = false;  // by max_inconsistent_markers: posterior 0
};
// A missing person a decision is about (AssignOutcome::candidates, with names).
struct CandidateRow {
  std::string family, missing;
  double lr = 0, posterior = 0;
};
struct IdentificationRow {
  std::string individual, family, missing;
  double lr = 0, posterior = 0;
  Decision decision = Decision::kNotIdentified;
  // identified: the one missing person (the row's); ambiguous: the two or more the posterior is
  // split over, best first; not identified: the best candidate, or none.
  std::vector<CandidateRow> candidates;
  std::string reason;  // for the reviewer; never to be parsed (use `candidates`)
  std::string sex;     // the individual's amelogenin (SexEvidence)
  SexCheck sex_check = SexCheck::kNotChecked;  // against the missing person of the row
  // The LR the decision used (the conditional LR of the row's pair), the joint LR of its family
  // part and the conditioning, as in MatchRow. For an identification given: its LR given the
  // family's other given identifications.
  double decision_lr = 0, joint_lr = 0, glr = 0;
  std::string conditioned_on;
  bool given = false;  // an identification given to Identify (not decided by this run)
  // A set-level result (decision ambiguous): "I0002;I0003", "M2;M3", posterior of the set.
  std::string set_individuals, set_missing;
  double set_posterior = 0, set_glr = 0;
};
// One missing person of the input (every family, usable or not) and what the screen did with it.
struct TargetRow {
  std::string family, missing;
  Sex sex = Sex::kUnknown;
  ScreenStatus status = ScreenStatus::kScreened;
};
// The evidence behind one candidate of a decision: the case the exact engine computed (the
// pedigree with the missing person, the samples' calls as the engine read them, the model) and
// its LR per marker. lr.lr is the candidate's LR exactly (the same computation).
struct CandidateEvidence {
  std::string individual, family, missing;
  Family pedigree;                   // the family as given
  std::vector<std::string> samples;  // the individual's remains samples, in the case's order
  KinshipCase kcase;
  LrResult lr;
  double posterior = 0;
  // Per marker of the case: the database size N (0 when the table gives none) and its number of
  // alleles, from the frequencies the engine used.
  std::map<std::string, int> database_size;
  std::map<std::string, int> allele_count;
};
struct SkippedItem {
  std::string item, reason;
};

struct IdentifyReport {
  std::vector<IndividualRow> individuals;
  std::vector<MatchRow> matches;
  std::vector<IdentificationRow> identifications;
  std::vector<TargetRow> targets;  // per missing person, in the order of the families given
  std::vector<SkippedItem> skipped;
  // Items used but worth a look (a male reference whose amelogenin shows X only).
  std::vector<SkippedItem> warnings;
  std::vector<std::string> conflicts;
  std::vector<std::string> markers;  // screened, in order
  // Only with IdentifyOptions::candidate_evidence: per candidate of every identified or ambiguous
  // decision, in the order of `identifications` and their candidates.
  std::vector<CandidateEvidence> evidence;
  int samples = 0, samples_used = 0, individual_count = 0, mni = 0;
  int families = 0, families_used = 0, missing_persons = 0, missing_tabulated = 0;
  int identified = 0, ambiguous = 0, not_identified = 0;
  int joint_groups = 0, largest_joint_group = 0, joint_groups_not_enumerated = 0;
  double joint_bar = 0;  // see AssignResult::joint_bar
  // Families scored jointly: tables built, partial assignments computed (pedigree computations),
  // families not scored jointly because they needed more than max_family_assignments; assignments
  // summed by the joint assignment; identifications given; pairs excluded by
  // max_inconsistent_markers.
  int family_tables = 0, families_too_large = 0, identified_given = 0, inconsistent_excluded = 0;
  std::uint64_t family_assignments = 0, assignments_summed = 0;
  // Of the families scored jointly: the partial assignments the computed ones stand for
  // (exchangeable missing persons: one computed per class), and the per-marker pedigree
  // likelihood computations and per-marker LR look-ups they needed (family_joint.h).
  double family_assignments_covered = 0;
  // Families whose bar was raised (their table would exceed max_family_assignments at the joint
  // bar): how many, the candidate individuals left out of their tables, those below the bar kept
  // because their LR given another candidate lifts them, and the largest individual posterior of
  // a pair left out.
  int families_bar_raised = 0, family_individuals_left_out = 0, family_individuals_lifted = 0;
  std::uint64_t family_lift_evaluations = 0;  // of family_assignments: pairs computed to lift
  double family_left_out_max = 0;
  std::uint64_t family_marker_computations = 0, family_marker_lookups = 0;
  std::uint64_t screen_pairs = 0, reassociation_pairs = 0, links = 0;
  int rescored = 0, pairs_without_common_markers = 0;
  double prior_none = 0, prior_each = 0;
  // Mutation models: the exact re-score's (`mutation` of the options), the one requested for the
  // screen and the one it used; screen_is_filter: the screen used another model than requested.
  MutationSpec screen_mutation_requested, screen_mutation;
  bool screen_is_filter = false;
  // Amelogenin: individuals by what they show; pairs excluded (Y, missing woman) by the screen;
  // excluded pairs listed in matches (screen LR >= the screen threshold); candidates flagged.
  int individuals_y = 0, individuals_x_only = 0, individuals_sex_differs = 0;
  std::uint64_t sex_excluded_pairs = 0;
  int sex_excluded_listed = 0, sex_flagged_matches = 0;
};

// Runs the whole identification. Errors: kInvalidArgument for bad options (the field names the
// member of IdentifyOptions: "remains_dropout", "minimum_frequency", "prior_none",
// "screen_mutation", ...) or no database; everything wrong with single items is skipped and
// reported instead.
[[nodiscard]] Result<IdentifyReport> Identify(const IdentifyInput& input,
                                              const IdentifyOptions& options);

// --- Building blocks (also used by tests) ----------------------------------------------------

// A copy of `db` with each marker's frequencies rescaled to sum to 1 to rounding (files are allowed
// 1e-6). Identify works on it, so that the screen and the exact engine see the same model: with
// frequencies summing to 1 + e, likelihoods of pedigrees with and without untyped founders differ
// by factors (1 + e)^k.
[[nodiscard]] FrequencyDatabase NormalizedDatabase(const FrequencyDatabase& db);

// Evidence of a call over `marker` (canonical alleles). With dropout > 0 (remains), one allele
// shown ("a/a", or "a/-") is a possible drop-out. With dropout == 0 (references), "a/a" is a
// homozygote and "a/-" is a plus any allele, unseen ones included (as in the kinship case format).
// Errors: kNotFound for an allele absent from the marker.
[[nodiscard]] Result<MarkerEvidence> CallEvidence(const GenotypeCall& call,
                                                  const MarkerFrequencies& marker, double dropout);

// The exact-engine case "the samples come from missing member `member` of `family`" (h1) against
// "they come from someone unrelated to the family" (h2), over `markers`.
// `reference_of` maps a reference's Sample Name to its profile; `samples` are the person's
// profiles, all with drop-out `dropout` (references: none). Calls mean what CallEvidence says.
[[nodiscard]] Result<KinshipCase> PairCase(
    const Family& family, const std::string& member,
    const std::map<std::string, const Profile*>& reference_of,
    const std::vector<const Profile*>& samples, double dropout,
    const std::vector<std::string>& markers, const MutationModel& mutation, double theta,
    std::optional<double> minimum_frequency);

// A person placed on a member of a family: the member's id and the person's samples.
struct MemberPlacement {
  std::string member;
  std::vector<const Profile*> samples;
};

// The exact-engine case of a family assignment (docs/identify.md, "Families scored jointly"):
// h1 "the family's pedigree with `given` and `assigned` on their members" against h2 "the family
// with `given` on their members, each person of `assigned` unrelated to it". Its LR is the joint
// LR L(pedigree with the assignment) / (L(pedigree without it) * prod L(person unrelated)) with
// the given identifications in both (the conditioning); with one person assigned and none given
// it is PairCase's LR. Samples of `assigned` and `given` carry drop-out `dropout`; references none.
[[nodiscard]] Result<KinshipCase> FamilyCase(
    const Family& family, const std::map<std::string, const Profile*>& reference_of,
    const std::vector<MemberPlacement>& given, const std::vector<MemberPlacement>& assigned,
    double dropout, const std::vector<std::string>& markers, const MutationModel& mutation,
    double theta, std::optional<double> minimum_frequency);

}  // namespace whereabouts::kinship
