// Simulation of identification scenarios with a known truth, for tests and planning.
//
// Builds synthetic families (a missing person with 1-3 typed relatives among parents, full
// siblings, children, half-siblings and uncles; sometimes two missing brothers in one family),
// draws founder genotypes from a frequency database and passes alleles down by Mendelian
// inheritance with mutation, and produces remains samples from the true genotypes of some missing
// persons (and of unrelated persons in no family) with allele drop-out (a drop-out probability per
// sample) and missing markers (degradation). Remains are split into bags: persons of the "bags"
// part are spread over bags as 1-4 samples each, some bags holding two persons (commingled) and
// some persons lying in several bags; persons of the "graves" part lie in body bags of a few
// graves. The truth (which sample is which person) is returned beside the data.
//
// Pure and deterministic: the same options and database give the same scenario on every platform
// (std::mt19937_64 seeded explicitly; uniform and discrete draws are done here, not by the standard
// library's distributions, whose algorithms are implementation-defined).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "kinship/frequencies.h"
#include "kinship/identify.h"
#include "kinship/mutation.h"
#include "kinship/profiles.h"

namespace whereabouts::kinship {

struct SimulationOptions {
  std::uint64_t seed = 1;
  std::vector<std::string> markers;  // markers to type; empty = every marker of the database

  // Families.
  int missing_persons = 3890;  // missing persons over all families
  int min_relatives = 1;       // typed relatives per family, drawn uniformly in [min, max]
  int max_relatives = 3;
  double two_brothers = 0.05;  // probability that a family has two missing brothers

  // Remains in bags: `bag_persons` persons spread over `bags` bags, each with
  // [min_bag_samples, max_bag_samples] samples; a person's second and later samples land in a
  // different bag with probability `bag_spread`.
  int bag_persons = 106;
  int bags = 67;
  int min_bag_samples = 1;
  int max_bag_samples = 4;
  double bag_spread = 0.25;

  // Remains from graves: `grave_persons` persons in `graves` graves, one body bag each, with
  // [min_grave_samples, max_grave_samples] samples; a later sample lands in another body bag of the
  // same grave with probability `grave_spread`.
  int grave_persons = 118;
  int graves = 6;
  int min_grave_samples = 1;
  int max_grave_samples = 3;
  double grave_spread = 0.05;

  // Households (docs/simulate.md): `households` families, each with [min_household_missing,
  // max_household_missing] missing persons killed together (the father, the mother and children,
  // each as one remains sample in one body bag of the household's own grave) and
  // [min_relatives, max_relatives] surviving relatives typed (a surviving child, the father's
  // brother, the mother's sister, the father's mother). They come after everything else, so the
  // rest of the scenario is that of the same options without households.
  int households = 0;
  int min_household_missing = 2;
  int max_household_missing = 6;

  // Of the bag and grave persons, this many belong to no family (the others are missing persons).
  int unrelated = 10;

  // Remains samples: drop-out probability per sample, uniform in [min_dropout, max_dropout]; each
  // marker of a remains sample is lost (untyped) with probability missing_marker_rate.
  double min_dropout = 0.02;
  double max_dropout = 0.2;
  double missing_marker_rate = 0.05;
  // References are typed on every marker without drop-out unless this is > 0.
  double reference_missing_marker_rate = 0.0;

  // Mutation on every parent-to-child transmission.
  MutationModel mutation = MutationModel::Same({MutationKind::kStepwise, 0.002, 1e-6, 0.1});
};

// A person whose remains or whose place as a missing person is part of the truth: every missing
// person of a family, and every unrelated person.
struct SimulatedPerson {
  std::string individual;  // truth id ("T0001"), unique in the scenario
  std::string family;      // empty for an unrelated person
  std::string missing;     // id within the family; empty for an unrelated person
  Sex sex = Sex::kUnknown;
  Profile genotype;         // the true genotype on every marker (sample = individual)
  int remains_samples = 0;  // number of remains samples taken from this person
  // The family's typed relatives ("FA", "S1", ...; for two missing brothers, of both), empty for
  // an unrelated person.
  std::vector<std::string> typed_relatives;
};

// One remains sample and whose it is.
struct TruthRow {
  std::string sample;
  std::string bag;
  std::string site;
  std::string family;      // "" for an unrelated person
  std::string missing;     // id within the family, "" for an unrelated person
  std::string individual;  // SimulatedPerson::individual
  double dropout = 0.0;    // the sample's drop-out probability
};

struct SimulationSummary {
  int families = 0;
  int missing_persons = 0;
  int families_with_two_missing = 0;
  int references = 0;
  int remains_samples = 0;
  int bags = 0;             // bags holding at least one sample
  int commingled_bags = 0;  // bags holding samples of two or more persons
  int persons_in_several_bags = 0;
  int persons_with_remains = 0;  // including the unrelated ones
  int identifiable = 0;          // persons with remains who are missing persons of a family
  int households = 0;            // families of households, all their missing persons in a grave
};

struct SimulatedScenario {
  std::vector<std::string> markers;  // canonical names, in the order used
  std::vector<Family> families;
  std::vector<Profile> references;        // one per reference member; sample = FamilyMember::sample
  std::vector<RemainsSample> remains;     // in sample order
  std::vector<Profile> remains_profiles;  // same order as `remains`
  std::vector<TruthRow> truth;            // same order as `remains`
  // Every missing person, then every unrelated person, then the households' missing persons.
  std::vector<SimulatedPerson> persons;
  SimulationSummary summary;
};

// Simulates a scenario. REQUIRES nothing beyond what the errors check.
// Errors: kInvalidArgument for counts or rates out of range (negative counts, min > max, a
// probability outside [0, 1], more bags than bag persons, more graves than grave persons, more
// persons with remains than missing persons plus unrelated, fewer than 1 typed relative),
// kNotFound for a marker absent from the database, and the mutation model's errors (e.g. a
// stepwise model over a non-numeric allele) naming the marker.
// Complexity: linear in persons x markers (the default scenario takes milliseconds).
[[nodiscard]] Result<SimulatedScenario> Simulate(const SimulationOptions& options,
                                                 const FrequencyDatabase& db);

// The scenario as the identification's input (families, references, remains and their profiles),
// against `database` (REQUIRES: outlives the input's use).
[[nodiscard]] IdentifyInput ToIdentifyInput(const SimulatedScenario& scenario,
                                            const FrequencyDatabase* database);

}  // namespace whereabouts::kinship
