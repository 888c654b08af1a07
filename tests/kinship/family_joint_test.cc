// Families scored jointly (docs/identify.md, "Families scored jointly"), against brute force:
// small simulated households (parents and children killed together, 1-3 surviving relatives
// typed, an unrelated person among the remains). For each, every one-to-one assignment of the
// individuals to the missing persons (or none) is enumerated here by hand, its weight
// prior * joint LR with the joint LR from the kinship engine (ComputeLr of FamilyCase: the whole
// pedigree case), and:
//   - Identify's posteriors equal the brute-force ones to 1e-9;
//   - each match's joint LR equals ComputeLr of its family part (the pair and the pairs it was
//     conditioned on) to 1e-9 relative;
//   - no identification is wrong, and every individual whose brute-force posterior passes the
//     thresholds (with its LR given the rest of the best assignment) is identified;
//   - the results are identical for 1 and 2 threads;
//   - an identification given (conditioning) enters the pedigree: the other LRs become those of
//     the pedigree with it typed.
// All data are synthetic.
#include "kinship/family_joint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "kinship/identify_test_util.h"
#include "kinship/simulate.h"

namespace whereabouts::kinship {
namespace {

using testing::DropGenes;
using testing::MakeFamily;

struct Household {
  FrequencyDatabase db = NormalizedDatabase(testing::LoadNorwegian());
  std::vector<MarkerFrequencies> markers;
  Family family;
  std::vector<std::vector<std::pair<int, int>>> genotypes;
  IdentifyInput input;
  std::map<std::string, std::string> truth;  // remains sample -> member ("" unrelated)
};

Profile ProfileOf(const std::string& sample, const std::vector<std::pair<int, int>>& g,
                  const std::vector<MarkerFrequencies>& markers) {
  Profile p;
  p.sample = sample;
  for (size_t m = 0; m < markers.size(); ++m) {
    p.markers[markers[m].name] = testing::Call(markers[m], g[m].first, g[m].second);
  }
  return p;
}

// Shapes of households: missing parents and children, references among grandparents, uncles,
// surviving children.
const std::vector<std::vector<std::string>> kShapes = {
    // father, mother and two children missing; the father's brother typed
    {"GF:m:::u", "GM:f:::u", "F:m:GF:GM:m", "U:m:GF:GM:r", "Mo:f:::m", "C1:m:F:Mo:m",
     "C2:f:F:Mo:m"},
    // mother and three children missing; the father and the mother's mother typed
    {"F:m:::r", "GF:m:::u", "GM:f:::r", "Mo:f:GF:GM:m", "C1:f:F:Mo:m", "C2:f:F:Mo:m",
     "C3:m:F:Mo:m"},
    // father and two children missing; a surviving child, the mother and the father's sister
    {"GF:m:::u", "GM:f:::u", "F:m:GF:GM:m", "A:f:GF:GM:r", "Mo:f:::r", "C1:m:F:Mo:m", "C2:m:F:Mo:m",
     "C3:f:F:Mo:r"},
    // both parents and three sons missing (the sons exchangeable: one orbit of three); the father's
    // mother typed
    {"GF:m:::u", "GM:f:::r", "F:m:GF:GM:m", "Mo:f:::m", "C1:m:F:Mo:m", "C2:m:F:Mo:m",
     "C3:m:F:Mo:m"},
};
constexpr int kSymmetricShape = 3;

Household Make(int shape, std::uint64_t seed, int markers) {
  Household h;
  h.markers = testing::Markers(h.db, markers);
  h.family = MakeFamily("H", kShapes[shape]);
  std::mt19937_64 rng(seed);
  h.genotypes = DropGenes(h.family, h.markers, rng);
  h.input.database = &h.db;
  h.input.families = {h.family};
  for (size_t i = 0; i < h.family.members.size(); ++i) {
    const auto& m = h.family.members[i];
    if (m.role == FamilyRole::kReference) {
      h.input.references.push_back(ProfileOf(m.sample, h.genotypes[i], h.markers));
    } else if (m.role == FamilyRole::kMissing) {
      const std::string sample = "R-" + m.id;
      h.input.remains.push_back({sample, "BAG-" + sample, "grave"});
      h.input.remains_profiles.push_back(ProfileOf(sample, h.genotypes[i], h.markers));
      h.truth[sample] = m.id;
    }
  }
  // An unrelated person in the grave.
  Family stranger = MakeFamily("S", {"X:m:::u"});
  auto g = DropGenes(stranger, h.markers, rng);
  h.input.remains.push_back({"R-stranger", "BAG-stranger", "grave"});
  h.input.remains_profiles.push_back(ProfileOf("R-stranger", g[0], h.markers));
  h.truth["R-stranger"] = "";
  return h;
}

IdentifyOptions Options(int threads) {
  IdentifyOptions o;
  o.remains_dropout = 0.0;
  o.mutation = MutationModel::Same({MutationKind::kProportional, 0.002, 0.0, 0.0});
  o.threads = threads;
  o.joint_min_posterior = 0.0;  // every candidate in the enumeration: posteriors exact
  return o;
}

std::vector<std::string> Names(const std::vector<MarkerFrequencies>& markers) {
  std::vector<std::string> out;
  for (const auto& m : markers) out.push_back(m.name);
  return out;
}

// The joint LR of placing `assigned` (member -> remains sample) in the household's pedigree, by
// ComputeLr of the whole pedigree case.
double JointLr(const Household& h,
               const std::vector<std::pair<std::string, std::string>>& assigned) {
  if (assigned.empty()) return 1.0;
  std::map<std::string, const Profile*> refs;
  for (const auto& p : h.input.references) refs[p.sample] = &p;
  std::vector<MemberPlacement> placed;
  for (const auto& [member, sample] : assigned) {
    for (const auto& p : h.input.remains_profiles) {
      if (p.sample == sample) placed.push_back({member, {&p}});
    }
  }
  auto k = FamilyCase(h.family, refs, {}, placed, 0.0, Names(h.markers), Options(1).mutation, 0.0,
                      0.001);
  EXPECT_TRUE(k.has_value());
  auto lr = ComputeLr(*k, h.db);
  EXPECT_TRUE(lr.has_value()) << lr.error().ToString();
  return lr ? lr->lr : -1.0;
}

struct BruteForce {
  std::map<std::pair<std::string, std::string>, double> posterior;  // (sample, member)
  std::map<std::string, double> none;                               // sample
  std::uint64_t assignments = 0;
};

BruteForce Enumerate(const Household& h) {
  std::vector<std::string> samples, members;
  for (const auto& r : h.input.remains) samples.push_back(r.sample);
  for (const auto& m : h.family.members) {
    if (m.role == FamilyRole::kMissing) members.push_back(m.id);
  }
  const double prior = 1.0 / (members.size() + 1.0);  // each missing person and none
  BruteForce bf;
  double z = 0.0;
  std::vector<int> choice(samples.size(), -1);
  std::vector<char> used(members.size(), 0);
  std::vector<std::pair<std::vector<int>, double>> leaves;
  std::function<void(size_t)> visit = [&](size_t k) {
    if (k == samples.size()) {
      std::vector<std::pair<std::string, std::string>> assigned;
      for (size_t s = 0; s < samples.size(); ++s) {
        if (choice[s] >= 0) assigned.push_back({members[choice[s]], samples[s]});
      }
      const double w = std::pow(prior, samples.size()) * JointLr(h, assigned);
      leaves.push_back({choice, w});
      z += w;
      ++bf.assignments;
      return;
    }
    choice[k] = -1;
    visit(k + 1);
    for (size_t m = 0; m < members.size(); ++m) {
      if (used[m]) continue;
      used[m] = 1;
      choice[k] = static_cast<int>(m);
      visit(k + 1);
      used[m] = 0;
    }
    choice[k] = -1;
  };
  visit(0);
  for (const auto& [c, w] : leaves) {
    for (size_t s = 0; s < samples.size(); ++s) {
      if (c[s] < 0) {
        bf.none[samples[s]] += w / z;
      } else {
        bf.posterior[{samples[s], members[c[s]]}] += w / z;
      }
    }
  }
  return bf;
}

std::string SampleOf(const IdentifyReport& r, const std::string& individual) {
  for (const auto& row : r.individuals) {
    if (row.individual == individual) return row.sample;
  }
  return "";
}

// The simulation's truth of each individual (one remains sample each).
std::map<std::string, const TruthRow*> TruthOfIndividuals(const SimulatedScenario& s,
                                                          const IdentifyReport& r) {
  std::map<std::string, const TruthRow*> of_sample, out;
  for (const auto& t : s.truth) of_sample[t.sample] = &t;
  for (const auto& row : r.individuals) out[row.individual] = of_sample.at(row.sample);
  return out;
}

// The same results from another run (another number of threads): bit for bit.
void ExpectSameResults(const IdentifyReport& a, const IdentifyReport& b) {
  ASSERT_EQ(a.matches.size(), b.matches.size());
  for (size_t k = 0; k < a.matches.size(); ++k) {
    EXPECT_EQ(a.matches[k].posterior, b.matches[k].posterior);
    EXPECT_EQ(a.matches[k].joint_lr, b.matches[k].joint_lr);
    EXPECT_EQ(a.matches[k].glr, b.matches[k].glr);
  }
  ASSERT_EQ(a.identifications.size(), b.identifications.size());
  for (size_t k = 0; k < a.identifications.size(); ++k) {
    EXPECT_EQ(a.identifications[k].reason, b.identifications[k].reason);
  }
}

// "I0002 as C1; I0003 as F" -> (member, sample) pairs.
std::vector<std::pair<std::string, std::string>> Parse(const IdentifyReport& r,
                                                       const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("; ", start);
    const std::string item = text.substr(start, end == std::string::npos ? end : end - start);
    const size_t as = item.find(" as ");
    out.push_back({item.substr(as + 4), SampleOf(r, item.substr(0, as))});
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

void CheckAgainstBruteForce(int shape, std::uint64_t seed, int markers = 12,
                            bool exchangeable = false) {
  SCOPED_TRACE("shape " + std::to_string(shape) + ", seed " + std::to_string(seed));
  Household h = Make(shape, seed, markers);
  auto rep = Identify(h.input, Options(1));
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  EXPECT_EQ(rep->family_tables, 1);
  if (exchangeable) {
    // Fewer assignments computed than covered: one per class of the exchangeable members.
    EXPECT_LT(static_cast<double>(rep->family_assignments), rep->family_assignments_covered);
  }
  const BruteForce bf = Enumerate(h);
  // Posteriors and joint LRs.
  int compared = 0;
  for (const auto& m : rep->matches) {
    const std::string sample = SampleOf(*rep, m.individual);
    auto it = bf.posterior.find({sample, m.missing});
    ASSERT_NE(it, bf.posterior.end());
    EXPECT_NEAR(m.posterior, it->second, 1e-9) << sample << " as " << m.missing;
    auto part = Parse(*rep, m.conditioned_on);
    part.push_back({m.missing, sample});
    const double j = JointLr(h, part);
    EXPECT_NEAR(m.joint_lr / j, 1.0, 1e-9) << sample << " as " << m.missing;
    ++compared;
  }
  // Every pair is a candidate (top-k covers the family), so every pair was compared.
  EXPECT_EQ(compared, static_cast<int>(bf.posterior.size()));
  // Decisions: none wrong; every brute-force-certain one made.
  for (const auto& row : rep->identifications) {
    const std::string sample = SampleOf(*rep, row.individual);
    if (row.decision == Decision::kIdentified) {
      EXPECT_EQ(row.missing, h.truth.at(sample)) << sample << " identified wrongly";
      EXPECT_GE(bf.posterior.at({sample, row.missing}), 0.9995);
    }
    for (const auto& [key, p] : bf.posterior) {
      if (key.first == sample && p >= 0.9995 && row.decision_lr >= 1e4 &&
          row.missing == key.second) {
        EXPECT_EQ(row.decision, Decision::kIdentified) << sample;
      }
    }
  }
  // Threads.
  auto rep2 = Identify(h.input, Options(2));
  ASSERT_TRUE(rep2.has_value());
  ExpectSameResults(*rep, *rep2);
}

TEST(FamilyJointTest, ParentsAndChildrenAgainstBruteForce) {
  for (int shape = 0; shape < kSymmetricShape; ++shape) {
    for (std::uint64_t seed : {11u, 12u}) CheckAgainstBruteForce(shape, seed);
  }
}

// Three exchangeable sons (and both parents) missing: the table holds one assignment per class of
// permutations of the sons, and the posteriors are still those of brute force over every
// assignment.
TEST(FamilyJointTest, ExchangeableChildrenAgainstBruteForce) {
  CheckAgainstBruteForce(kSymmetricShape, 21, 8, /*exchangeable=*/true);
}

// FamilyScorer against the kinship engine: every partial assignment of a household's remains to
// its missing members (canonical or not, with theta and without) has the joint LR of ComputeLr of
// FamilyCase; exchangeable members are found; permuting the individuals on exchangeable members
// does not change the LR.
TEST(FamilyJointTest, ScorerEqualsComputeLr) {
  Household h = Make(kSymmetricShape, 3, 8);
  // Alleles absent from the database (added at the minimum frequency, which rescales the marker's
  // other frequencies): in a reference and in two of the remains, so that the allele space differs
  // between assignments.
  {
    const std::string m0 = h.markers[0].name, m1 = h.markers[1].name;
    h.input.references[0].markers[m0].first = "77.7";
    h.input.remains_profiles[0].markers[m1].first = "88.8";
    h.input.remains_profiles[1].markers[m0].second = "66.6";
  }
  std::map<std::string, const Profile*> refs;
  for (const auto& p : h.input.references) refs[p.sample] = &p;
  std::vector<std::string> slots;
  for (const auto& m : h.family.members) {
    if (m.role == FamilyRole::kMissing) slots.push_back(m.id);  // F, Mo, C1, C2, C3
  }
  ASSERT_EQ(slots.size(), 5u);
  std::vector<const Profile*> remains;
  for (const auto& p : h.input.remains_profiles) remains.push_back(&p);
  for (double theta : {0.0, 0.02}) {
    SCOPED_TRACE("theta " + std::to_string(theta));
    FamilyScorerInput fi;
    fi.family = &h.family;
    fi.reference_of = &refs;
    fi.slots = slots;
    for (const Profile* p : remains) fi.candidates.push_back({p});
    fi.dropout = 0.05;
    fi.markers = Names(h.markers);
    fi.typed_count.assign(fi.markers.size(), 1);  // the grandmother
    fi.mutation = Options(1).mutation;
    fi.theta = theta;
    fi.minimum_frequency = 0.001;
    fi.database = &h.db;
    auto scorer = FamilyScorer::Create(fi);
    ASSERT_TRUE(scorer.has_value()) << scorer.error().ToString();
    FamilyScorer& sc = **scorer;
    EXPECT_EQ(sc.orbit_of(), (std::vector<int>{0, 1, 2, 2, 2}));
    std::mt19937_64 rng(99);
    for (int trial = 0; trial < 40; ++trial) {
      // A random partial assignment of 2 to 5 individuals.
      std::vector<int> who(remains.size()), where(slots.size());
      std::iota(who.begin(), who.end(), 0);
      std::iota(where.begin(), where.end(), 0);
      std::shuffle(who.begin(), who.end(), rng);
      std::shuffle(where.begin(), where.end(), rng);
      const int k = 2 + static_cast<int>(rng() % 4);
      std::vector<std::pair<int, int>> placed;
      std::vector<MemberPlacement> case_placed;
      for (int j = 0; j < k; ++j) {
        placed.push_back({where[j], who[j]});
        case_placed.push_back({slots[where[j]], {remains[who[j]]}});
      }
      auto kc = FamilyCase(h.family, refs, {}, case_placed, fi.dropout, fi.markers, fi.mutation,
                           theta, 0.001);
      ASSERT_TRUE(kc.has_value());
      auto expected = ComputeLr(*kc, h.db);
      ASSERT_TRUE(expected.has_value()) << expected.error().ToString();
      auto got = sc.JointLr(placed);
      ASSERT_TRUE(got.has_value()) << got.error().ToString();
      EXPECT_NEAR(*got / expected->lr, 1.0, 1e-9) << "trial " << trial;
      // The individuals on the sons (slots 2-4) in another order: the same LR.
      std::vector<std::pair<int, int>> swapped = placed;
      std::vector<int> on_sons;
      for (auto& [slot, c] : swapped) {
        if (slot >= 2) on_sons.push_back(c);
      }
      std::rotate(on_sons.begin(), on_sons.begin() + (on_sons.empty() ? 0 : 1), on_sons.end());
      size_t next = 0;
      for (auto& [slot, c] : swapped) {
        if (slot >= 2) c = on_sons[next++];
      }
      auto again = sc.JointLr(swapped);
      ASSERT_TRUE(again.has_value());
      EXPECT_NEAR(*again / *got, 1.0, 1e-12) << "trial " << trial;
    }
    EXPECT_GT(sc.lookups(), sc.computations());  // the memo answered some markers
  }
}

// The 8-victim one-family grave (father, mother, six children; `simulate --households 1
// --household-missing 8,8`): about 1.4e6 partial assignments in all, which the enumeration of one
// pedigree case per assignment refused (over max_family_assignments). Exchangeable children and
// the per-marker memo make its table computable within the default limit: it is scored jointly,
// with no wrong identification, and the same with 1 and 2 threads.
TEST(FamilyJointTest, EightVictimGraveIsScoredJointly) {
  const FrequencyDatabase db = NormalizedDatabase(testing::LoadNorwegian());
  SimulationOptions so;
  so.seed = 1;
  so.missing_persons = 0;
  so.bag_persons = so.bags = so.grave_persons = so.graves = so.unrelated = 0;
  so.households = 1;
  so.min_household_missing = so.max_household_missing = 8;
  auto scenario = Simulate(so, db);
  ASSERT_TRUE(scenario.has_value()) << scenario.error().ToString();
  IdentifyInput in = ToIdentifyInput(*scenario, &db);
  IdentifyOptions opt;
  opt.threads = 1;
  auto rep = Identify(in, opt);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  EXPECT_EQ(rep->family_tables, 1);
  EXPECT_EQ(rep->families_too_large, 0);
  EXPECT_LE(rep->family_assignments, static_cast<std::uint64_t>(opt.max_family_assignments));
  // Each canonical assignment stands for several (the children's permutations).
  EXPECT_GT(rep->family_assignments_covered, 10.0 * static_cast<double>(rep->family_assignments));
  EXPECT_GT(rep->family_assignments_covered, static_cast<double>(opt.max_family_assignments));
  const auto truth = TruthOfIndividuals(*scenario, *rep);
  int decided = 0;
  for (const auto& row : rep->identifications) {
    const TruthRow* t = truth.at(row.individual);
    if (row.decision == Decision::kIdentified) {
      EXPECT_EQ(row.missing, t->missing) << t->sample;
      ++decided;
    }
    if (row.decision == Decision::kAmbiguous && !row.set_missing.empty()) {
      // A set: the individual's true missing person is among the set's.
      EXPECT_NE((";" + row.set_missing + ";").find(";" + t->missing + ";"), std::string::npos)
          << t->sample;
      ++decided;
    }
  }
  EXPECT_GT(decided, 0);
  opt.threads = 2;
  auto rep2 = Identify(in, opt);
  ASSERT_TRUE(rep2.has_value());
  ExpectSameResults(*rep, *rep2);
}

TEST(FamilyJointTest, GivenIdentificationEntersThePedigree) {
  Household h = Make(0, 5, 12);
  // Give the father's remains as identified: every other LR of the family is then the LR with him
  // typed in the pedigree.
  h.input.identified = {{"R-F", "H", "F"}};
  auto rep = Identify(h.input, Options(1));
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  EXPECT_EQ(rep->identified_given, 1);
  EXPECT_GE(rep->identified, 1);  // the given one counts as identified
  bool seen_given = false;
  for (const auto& row : rep->identifications) {
    if (SampleOf(*rep, row.individual) == "R-F") {
      EXPECT_TRUE(row.given);
      EXPECT_EQ(row.decision, Decision::kIdentified);
      EXPECT_EQ(row.missing, "F");
      seen_given = true;
    }
  }
  EXPECT_TRUE(seen_given);
  std::map<std::string, const Profile*> refs;
  for (const auto& p : h.input.references) refs[p.sample] = &p;
  const Profile* father = nullptr;
  for (const auto& p : h.input.remains_profiles) {
    if (p.sample == "R-F") father = &p;
  }
  int checked = 0;
  for (const auto& m : rep->matches) {
    const std::string sample = SampleOf(*rep, m.individual);
    EXPECT_NE(sample, "R-F");   // not scored again
    EXPECT_NE(m.missing, "F");  // not a target any more
    EXPECT_NE(m.conditioned_on.find("(given)"), std::string::npos);
    const Profile* p = nullptr;
    for (const auto& q : h.input.remains_profiles) {
      if (q.sample == sample) p = &q;
    }
    auto k = FamilyCase(h.family, refs, {{"F", {father}}}, {{m.missing, {p}}}, 0.0,
                        Names(h.markers), Options(1).mutation, 0.0, 0.001);
    ASSERT_TRUE(k.has_value());
    auto lr = ComputeLr(*k, h.db);
    ASSERT_TRUE(lr.has_value());
    EXPECT_NEAR(m.lr / lr->lr, 1.0, 1e-9) << sample << " as " << m.missing;
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// The households shape of `simulate`: households of 2-4 missing persons in their own graves with
// 1-3 surviving relatives typed. Identify makes no wrong identification, and identifies every
// individual that a brute-force enumeration of its household (all assignments of the grave's
// individuals to the family's missing persons, each by ComputeLr of the whole pedigree case)
// identifies with a margin (posterior >= 0.99995 for the truth, LR given the rest >= 1e5), where
// Identify enumerated its group (a group too large falls back to pairwise LRs and says so; see
// docs/identify.md, "Limits").
TEST(FamilyJointTest, SimulatedHouseholdsNoneWrongFullRecall) {
  const FrequencyDatabase db = NormalizedDatabase(testing::LoadNorwegian());
  SimulationOptions so;
  so.seed = 7;
  so.missing_persons = 0;
  so.bag_persons = so.bags = so.grave_persons = so.graves = so.unrelated = 0;
  so.households = 5;
  so.min_household_missing = 2;
  so.max_household_missing = 4;
  so.min_relatives = 2;
  so.mutation = MutationModel::Same({MutationKind::kProportional, 0.002, 0.0, 0.0});
  auto scenario = Simulate(so, db);
  ASSERT_TRUE(scenario.has_value()) << scenario.error().ToString();
  EXPECT_EQ(scenario->summary.households, 5);
  IdentifyInput in = ToIdentifyInput(*scenario, &db);
  IdentifyOptions opt;
  opt.mutation = so.mutation;
  opt.remains_dropout = 0.1;
  auto rep = Identify(in, opt);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  EXPECT_EQ(rep->family_tables, 5);
  std::map<std::string, const TruthRow*> truth;
  for (const auto& t : scenario->truth) truth[t.sample] = &t;
  std::map<std::string, std::string> sample_of;  // individual -> sample (one sample each)
  for (const auto& r : rep->individuals) sample_of[r.individual] = r.sample;
  std::map<std::string, const IdentificationRow*> row_of_sample;
  int identified = 0;
  for (const auto& row : rep->identifications) {
    const TruthRow* t = truth.at(sample_of.at(row.individual));
    row_of_sample[t->sample] = &row;
    if (row.decision == Decision::kIdentified) {
      ++identified;
      EXPECT_EQ(row.family, t->family) << t->sample;
      EXPECT_EQ(row.missing, t->missing) << t->sample;
    }
  }
  // Brute force per household.
  std::map<std::string, const Profile*> refs;
  for (const auto& p : in.references) refs[p.sample] = &p;
  std::vector<std::string> marker_names = scenario->markers;
  int certain = 0;
  for (const auto& fam : in.families) {
    std::vector<const Profile*> grave;
    for (const auto& p : in.remains_profiles) {
      if (truth.at(p.sample)->family == fam.id) grave.push_back(&p);
    }
    std::vector<std::string> members;
    for (const auto& m : fam.members) {
      if (m.role == FamilyRole::kMissing) members.push_back(m.id);
    }
    const double prior = 1.0 / (rep->missing_persons + 1.0);
    std::vector<int> choice(grave.size(), -1);
    std::vector<char> used(members.size(), 0);
    std::map<std::pair<size_t, int>, double> post;
    std::map<std::vector<int>, double> weight;
    double z = 0.0;
    std::function<void(size_t)> visit = [&](size_t k) {
      if (k == grave.size()) {
        std::vector<MemberPlacement> placed;
        for (size_t s = 0; s < grave.size(); ++s) {
          if (choice[s] >= 0) placed.push_back({members[choice[s]], {grave[s]}});
        }
        double lr = 1.0;
        if (!placed.empty()) {
          auto kc = FamilyCase(fam, refs, {}, placed, opt.remains_dropout, marker_names,
                               opt.mutation, 0.0, 0.001);
          EXPECT_TRUE(kc.has_value());
          auto r = ComputeLr(*kc, db);
          EXPECT_TRUE(r.has_value()) << r.error().ToString();
          lr = r ? r->lr : 0.0;
        }
        const double w = std::pow(prior, static_cast<double>(grave.size())) * lr;
        weight[choice] = lr;
        z += w;
        for (size_t s = 0; s < grave.size(); ++s) post[{s, choice[s]}] += w;
        return;
      }
      choice[k] = -1;
      visit(k + 1);
      for (size_t m = 0; m < members.size(); ++m) {
        if (used[m]) continue;
        used[m] = 1;
        choice[k] = static_cast<int>(m);
        visit(k + 1);
        used[m] = 0;
      }
      choice[k] = -1;
    };
    visit(0);
    // The best assignment, for the LR of each pair given the rest of it.
    std::vector<int> best;
    double best_lr = -1.0;
    for (const auto& [c, lr] : weight) {
      if (lr > best_lr) {
        best_lr = lr;
        best = c;
      }
    }
    for (size_t s = 0; s < grave.size(); ++s) {
      const TruthRow* t = truth.at(grave[s]->sample);
      const int m =
          static_cast<int>(std::find(members.begin(), members.end(), t->missing) - members.begin());
      if (best[s] != m) continue;
      std::vector<int> without = best;
      without[s] = -1;
      const double given_rest = best_lr / weight.at(without);
      const IdentificationRow* row = row_of_sample.at(t->sample);
      // Where Identify could not enumerate the group (it says so), brute force does not apply.
      if (row->reason.find("joint group too large") != std::string::npos) continue;
      if (post[{s, m}] / z >= 0.99995 && given_rest >= 1e5) {
        ++certain;
        EXPECT_EQ(row_of_sample.at(t->sample)->decision, Decision::kIdentified)
            << t->sample << " (brute force posterior " << post[{s, m}] / z << ")";
      }
    }
  }
  EXPECT_GT(certain, 0);
  EXPECT_GE(identified, certain);
}

// A family bar raised by a small family budget (docs/identify.md, "Family bar"): many households,
// so each family draws weak candidates from the others' remains. The weak ones are left out of
// the tables (warned, counted), victims with a relative among the candidates are kept, no
// identification is wrong, and the results do not depend on the number of threads.
TEST(FamilyJointTest, RaisedFamilyBarLeavesOutWeakCandidatesOnly) {
  const FrequencyDatabase db = NormalizedDatabase(testing::LoadNorwegian());
  SimulationOptions so;
  so.seed = 11;
  so.missing_persons = 0;
  so.bag_persons = so.bags = so.grave_persons = so.graves = so.unrelated = 0;
  so.households = 60;
  so.min_household_missing = 2;
  so.max_household_missing = 5;
  so.min_relatives = so.max_relatives = 1;  // weak references: victims need each other
  auto scenario = Simulate(so, db);
  ASSERT_TRUE(scenario.has_value()) << scenario.error().ToString();
  IdentifyInput in = ToIdentifyInput(*scenario, &db);
  IdentifyOptions opt;
  opt.threads = 1;
  // As in a register of thousands: a small prior for each missing person, so a victim whose
  // pairwise LR is modest has a small individual posterior (a large register's situation).
  opt.prior_none = 0.99;
  opt.family_budget = 10;
  opt.max_family_assignments = 100;
  auto rep = Identify(in, opt);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  EXPECT_GT(rep->families_bar_raised, 0);
  EXPECT_GT(rep->family_individuals_left_out, 0);
  EXPECT_GT(rep->family_individuals_lifted, 0);
  EXPECT_LT(rep->family_left_out_max, 0.01);
  int warned = 0, left_out = 0;
  std::set<std::string> raised;  // families whose bar was raised
  for (const auto& w : rep->warnings) {
    const auto at = w.reason.find("weaker candidate individuals left out");
    if (w.reason.find("scored jointly with the candidates of individual posterior") != 0 ||
        at == std::string::npos) {
      continue;
    }
    ++warned;
    raised.insert(w.item.substr(std::string("family ").size()));
    left_out += std::stoi(w.reason.substr(w.reason.rfind(": ", at) + 2));
  }
  EXPECT_EQ(warned, rep->families_bar_raised);
  EXPECT_EQ(left_out, rep->family_individuals_left_out);
  const auto truth = TruthOfIndividuals(*scenario, *rep);
  int identified = 0, jointly_in_raised = 0;
  for (const auto& row : rep->identifications) {
    if (row.decision != Decision::kIdentified) continue;
    const TruthRow* t = truth.at(row.individual);
    EXPECT_EQ(row.family, t->family) << t->sample;
    EXPECT_EQ(row.missing, t->missing) << t->sample;
    ++identified;
    // Identified in a family with a raised bar by its LR given the family's other victims.
    if (raised.count(row.family) && row.decision_lr > 100 * row.lr) ++jointly_in_raised;
  }
  EXPECT_GT(identified, 0);
  EXPECT_GT(jointly_in_raised, 0);
  opt.threads = 2;
  auto rep2 = Identify(in, opt);
  ASSERT_TRUE(rep2.has_value());
  ExpectSameResults(*rep, *rep2);
  EXPECT_EQ(rep->family_individuals_left_out, rep2->family_individuals_left_out);
}

}  // namespace
}  // namespace whereabouts::kinship
