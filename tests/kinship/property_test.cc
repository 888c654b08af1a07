// Invariants of the kinship engine as property tests (rapidcheck).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>

#include "kinship/likelihood.h"
#include "kinship/lr.h"
#include "kinship/relationships.h"

namespace whereabouts::kinship {
namespace {

// A marker with n numeric alleles (some microvariants) and random frequencies.
MarkerFrequencies GenMarker(int min_alleles = 2) {
  const int n = *rc::gen::inRange(min_alleles, 9);
  MarkerFrequencies m;
  m.name = "M1";
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    m.alleles.push_back(i % 4 == 3 ? std::to_string(8 + i) + ".3" : std::to_string(8 + i));
    sum += m.frequencies.emplace_back(*rc::gen::inRange(1, 1000) / 1000.0);
  }
  for (double& f : m.frequencies) f /= sum;
  return m;
}

// A valid mutation model for the marker. The proportional model exists only while its rate is at
// most the marker's heterozygosity sum p(1-p) (otherwise the engine refuses it, see
// ProportionalRateAboveHeterozygosityIsRefused), so the generated rate is kept below that bound.
MutationModel GenMutation(const MarkerFrequencies& m) {
  const int kind = *rc::gen::inRange(0, 4);
  MutationSpec s;
  s.kind = static_cast<MutationKind>(kind);
  s.rate = kind == 0 ? 0.0 : *rc::gen::inRange(1, 50) / 1000.0;
  if (s.kind == MutationKind::kProportional) {
    double h = 0;
    for (double p : m.frequencies) h += p * (1 - p);
    s.rate = std::min(s.rate, 0.99 * h);
  }
  s.rate2 = 1e-5;
  s.range = 0.1;
  return MutationModel::Same(s);
}

std::string GenGenotype(const MarkerFrequencies& m) {
  const auto a = *rc::gen::inRange(0, m.size());
  const auto b = *rc::gen::inRange(0, m.size());
  return m.alleles[a] + "/" + m.alleles[b];
}

KinshipCase PairCase(Relationship r, const MarkerFrequencies& m, const std::string& ga,
                     const std::string& gb, const MutationModel& mut, double theta) {
  auto hyp = PairwiseHypotheses(r, "A", Sex::kMale, "B", Sex::kMale);
  KinshipCase k;
  k.id = "property";
  k.markers = {m.name};
  k.h1 = hyp->h1;
  k.h2 = hyp->h2;
  k.mutation = mut;
  k.theta = theta;
  k.genotypes["A"][m.name] = *ParseGenotype(ga);
  k.genotypes["B"][m.name] = *ParseGenotype(gb);
  return k;
}

RC_GTEST_PROP(KinshipProperties, ChildGenotypeProbabilitiesSumToOne, ()) {
  const auto marker = GenMarker();
  const auto mut = GenMutation(marker);
  const double theta = *rc::gen::element(0.0, 0.01, 0.1);
  auto prepared = PrepareMarker(marker, {}, mut, theta, std::nullopt, /*allow_lumping=*/false);
  RC_ASSERT(prepared.has_value());
  const GenotypeSpace s(marker.size());
  auto ped = Pedigree::Create({{"F", Sex::kMale, "", ""}, {"M", Sex::kFemale, "", ""}, {"C", Sex::kFemale, "F", "M"}});
  std::vector<std::vector<double>> ev(3);
  ev[0].assign(s.size(), 0.0);
  ev[0][*rc::gen::inRange(0, s.size())] = 1.0;  // father typed
  auto parents = PedigreeLikelihood(*ped, ev, prepared->setup);
  RC_ASSERT(parents.has_value());
  double sum = 0;
  for (int g = 0; g < s.size(); ++g) {
    ev[2].assign(s.size(), 0.0);
    ev[2][g] = 1.0;
    sum += *PedigreeLikelihood(*ped, ev, prepared->setup);
  }
  RC_ASSERT(std::fabs(sum / *parents - 1.0) < 1e-12);
}

RC_GTEST_PROP(KinshipProperties, WithoutMutationAMendelianInconsistencyGivesLrZero, ()) {
  auto marker = GenMarker(4);
  // A = a0/a1 is the father; B = a2/a3 shares no allele with him.
  auto k = PairCase(Relationship::kParentChild, marker, marker.alleles[0] + "/" + marker.alleles[1],
                    marker.alleles[2] + "/" + marker.alleles[3], MutationModel{}, *rc::gen::element(0.0, 0.02));
  auto db = FrequencyDatabase::Create({marker});
  auto r = ComputeLr(k, *db);
  RC_ASSERT(r.has_value());
  RC_ASSERT(r->lr == 0.0);
}

RC_GTEST_PROP(KinshipProperties, PairwiseLrIsSymmetricInTheTwoPersons, ()) {
  const auto marker = GenMarker();
  const auto rel = *rc::gen::element(Relationship::kFullSiblings, Relationship::kHalfSiblings,
                                     Relationship::kFirstCousins, Relationship::kSamePerson,
                                     Relationship::kParentChild);
  // Parent-child is symmetric without mutation only (the other parent is untyped either way).
  const auto mut = rel == Relationship::kParentChild ? MutationModel{} : GenMutation(marker);
  const double theta = *rc::gen::element(0.0, 0.03);
  const auto ga = GenGenotype(marker), gb = GenGenotype(marker);
  auto db = FrequencyDatabase::Create({marker});
  auto ab = ComputeLr(PairCase(rel, marker, ga, gb, mut, theta), *db);
  auto ba = ComputeLr(PairCase(rel, marker, gb, ga, mut, theta), *db);
  RC_ASSERT(ab.has_value() && ba.has_value());
  if (ab->lr == 0.0) {
    RC_ASSERT(ba->lr == 0.0);
  } else {
    RC_ASSERT(std::fabs(ab->lr / ba->lr - 1.0) < 1e-12);
  }
}

RC_GTEST_PROP(KinshipProperties, ThetaZeroReproducesTheNoThetaPath, ()) {
  const auto marker = GenMarker();
  const auto mut = GenMutation(marker);
  auto prepared = PrepareMarker(marker, {}, mut, 0.0, std::nullopt, false);
  RC_ASSERT(prepared.has_value());
  const GenotypeSpace s(marker.size());
  auto ped = Pedigree::Create({{"F", Sex::kMale, "", ""}, {"M", Sex::kFemale, "", ""},
                               {"A", Sex::kMale, "F", "M"}, {"B", Sex::kFemale, "F", "M"}});
  std::vector<std::vector<double>> ev(4);
  for (int i : {1, 2, 3}) {
    if (*rc::gen::arbitrary<bool>()) continue;
    ev[i].assign(s.size(), 0.0);
    ev[i][*rc::gen::inRange(0, s.size())] = 1.0;
  }
  auto plain = PedigreeLikelihood(*ped, ev, prepared->setup);
  auto setup = prepared->setup;
  setup.enumerate_founders = true;
  auto urn = PedigreeLikelihood(*ped, ev, setup);
  RC_ASSERT(plain.has_value() && urn.has_value());
  if (*plain == 0.0) {
    RC_ASSERT(*urn == 0.0);
  } else {
    RC_ASSERT(std::fabs(*urn / *plain - 1.0) < 1e-12);
  }
}

RC_GTEST_PROP(KinshipProperties, LumpingUnseenAllelesChangesNothing, ()) {
  const auto marker = GenMarker();
  auto mut = GenMutation(marker);
  RC_PRE(IsLumpable(mut.male));
  const double theta = *rc::gen::element(0.0, 0.05);
  const auto ga = GenGenotype(marker), gb = GenGenotype(marker);
  auto k = PairCase(Relationship::kHalfSiblings, marker, ga, gb, mut, theta);
  auto db = FrequencyDatabase::Create({marker});
  auto lumped = ComputeLr(k, *db);
  RC_ASSERT(lumped.has_value());
  // The same LR from the full allele set, computed directly.
  std::vector<std::string> observed;
  for (const auto* g : {&ga, &gb}) {
    auto call = *ParseGenotype(*g);
    observed.push_back(*call.first);
    observed.push_back(*call.second);
  }
  auto full = PrepareMarker(marker, observed, mut, theta, std::nullopt, /*allow_lumping=*/false);
  RC_ASSERT(full.has_value());
  auto ped1 = Pedigree::Create([&] {
    std::vector<Individual> v;
    for (const auto& p : k.h1) v.push_back(p.individual);
    return v;
  }());
  const GenotypeSpace s(marker.size());
  std::vector<std::vector<double>> ev(ped1->size());
  for (int i = 0; i < ped1->size(); ++i) {
    const auto& id = ped1->at(i).id;
    if (id != "A" && id != "B") continue;
    auto call = *ParseGenotype(id == "A" ? ga : gb);
    ev[i].assign(s.size(), 0.0);
    ev[i][GenotypeSpace::Index(full->index.at(*call.first), full->index.at(*call.second))] = 1.0;
  }
  auto l1 = PedigreeLikelihood(*ped1, ev, full->setup);
  RC_ASSERT(l1.has_value());
  RC_ASSERT(std::fabs(lumped->per_marker[0].likelihood_h1 / *l1 - 1.0) < 1e-12);
}

// Proportional mutation: M_ij = a p_j off the diagonal with a = rate / sum p(1-p); a > 1 would give
// a negative staying probability, so the engine refuses the model and names the marker.
TEST(KinshipMutation, ProportionalRateAboveHeterozygosityIsRefused) {
  MarkerFrequencies m;
  m.name = "D1";
  m.alleles = {"10", "11"};
  m.frequencies = {661.0 / 662.0, 1.0 / 662.0};  // sum p(1-p) = 0.003
  MutationSpec spec{MutationKind::kProportional, 0.004, 0.0, 0.0};
  auto prepared = PrepareMarker(m, {}, MutationModel::Same(spec), 0.0, std::nullopt, false);
  ASSERT_FALSE(prepared.has_value());
  EXPECT_NE(prepared.error().message.find("too large"), std::string::npos);
  EXPECT_NE(prepared.error().ToString().find("D1"), std::string::npos);
  spec.rate = 0.002;
  EXPECT_TRUE(PrepareMarker(m, {}, MutationModel::Same(spec), 0.0, std::nullopt, false).has_value());
}

}  // namespace
}  // namespace whereabouts::kinship
