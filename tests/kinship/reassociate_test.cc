// Re-association on constructed data: samples of known persons (with drop-out and lost markers)
// are grouped back into their persons; MNI; conflicts; the candidate index finds every pair that
// comparing all pairs finds; the same-person LR equals the exact engine's.
#include "kinship/reassociate.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "kinship/identify_test_util.h"

namespace whereabouts::kinship {
namespace {

struct Data {
  std::vector<std::vector<MarkerEvidence>> samples;
  std::vector<int> person;  // truth
  std::vector<std::string> bags;
};

// `persons` persons with 1-4 samples each; each sample loses markers and drops alleles.
Data Make(const std::vector<MarkerFrequencies>& markers, int persons, std::uint64_t seed,
          double lost = 0.05, double dropout = 0.15) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Data d;
  Family lone = testing::MakeFamily("U", {"U:m:::m"});
  for (int p = 0; p < persons; ++p) {
    const auto g = testing::DropGenes(lone, markers, rng);
    const int n = 1 + static_cast<int>(u(rng) * 4);
    for (int k = 0; k < n; ++k) {
      std::vector<MarkerEvidence> ev(markers.size());
      for (size_t m = 0; m < markers.size(); ++m) {
        if (u(rng) < lost) continue;
        auto [a, b] = g[0][m];
        if (a != b && u(rng) < dropout) b = a;  // one allele dropped
        Observation obs{a, b, 0.1, true};
        ev[m] = EvidenceOf(obs);
      }
      d.samples.push_back(std::move(ev));
      d.person.push_back(p);
      d.bags.push_back("BAG" + std::to_string(p / 2));  // two persons per bag
    }
  }
  return d;
}

TEST(ReassociateTest, GroupsSamplesIntoTheirPersons) {
  const auto db = testing::LoadNorwegian();
  const auto markers = testing::Markers(db, 20);
  const Data d = Make(markers, 150, 7);
  auto r = Reassociate(markers, d.samples, d.bags, ReassociationOptions{});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(static_cast<int>(r->individuals.size()), 150);
  EXPECT_EQ(r->mni, 150);
  // Each individual holds the samples of exactly one person, and all of them.
  for (const auto& ind : r->individuals) {
    std::set<int> truth;
    for (int s : ind) truth.insert(d.person[s]);
    EXPECT_EQ(truth.size(), 1u);
  }
  for (size_t s = 0; s + 1 < d.samples.size(); ++s) {
    if (d.person[s] == d.person[s + 1]) {
      EXPECT_EQ(r->individual_of[s], r->individual_of[s + 1]);
    }
  }
  // Bags hold two persons: reported.
  int bag_conflicts = 0;
  for (const auto& c : r->conflicts) {
    bag_conflicts += c.kind == ReassociationConflict::Kind::kBagHoldsSeveral ? 1 : 0;
  }
  EXPECT_GT(bag_conflicts, 50);
  // Consensus carries every sample's evidence: typed wherever a sample is.
  for (size_t i = 0; i < r->individuals.size(); ++i) {
    for (size_t m = 0; m < markers.size(); ++m) {
      bool any = false;
      for (int s : r->individuals[i]) any = any || d.samples[s][m].typed();
      EXPECT_EQ(r->consensus[i][m].typed(), any);
      EXPECT_NE(r->consensus[i][m].kind, MarkerEvidence::Kind::kImpossible);
    }
  }
}

TEST(ReassociateTest, IndexFindsEveryLinkThatAllPairsFind) {
  const auto db = testing::LoadNorwegian();
  const auto markers = testing::Markers(db, 12);
  const Data d = Make(markers, 120, 11, 0.3, 0.3);  // heavily degraded: many untyped key markers
  ReassociationOptions opt;
  opt.lr_threshold = 100;
  auto r = Reassociate(markers, d.samples, d.bags, opt);
  ASSERT_TRUE(r.has_value());
  std::set<std::pair<int, int>> links;
  for (const auto& l : r->links) links.insert({l.a, l.b});
  std::set<std::pair<int, int>> expected;
  for (size_t a = 0; a < d.samples.size(); ++a) {
    for (size_t b = a + 1; b < d.samples.size(); ++b) {
      const auto sp = SamePerson(markers, d.samples[a], d.samples[b]);
      if (sp.lr >= opt.lr_threshold) expected.insert({static_cast<int>(a), static_cast<int>(b)});
    }
  }
  EXPECT_EQ(links, expected);
  EXPECT_LT(r->pairs_compared, d.samples.size() * (d.samples.size() - 1) / 2);
}

TEST(ReassociateTest, SamePersonLrEqualsExactEngine) {
  const auto db = NormalizedDatabase(testing::LoadNorwegian());
  const auto markers = testing::Markers(db, 8);
  std::mt19937_64 rng(3);
  Family lone = testing::MakeFamily("U", {"U:m:::m"});
  for (int trial = 0; trial < 30; ++trial) {
    const auto g = testing::DropGenes(lone, markers, rng);
    Profile a, b;
    a.sample = "A";
    b.sample = "B";
    for (size_t m = 0; m < markers.size(); ++m) {
      auto [x, y] = g[0][m];
      a.markers[markers[m].name] = testing::Call(markers[m], x, (m + trial) % 3 == 0 ? x : y);
      if ((m + trial) % 4 != 1)
        b.markers[markers[m].name] = testing::Call(markers[m], (m + trial) % 5 == 0 ? y : x, y);
    }
    const auto pa = testing::ToScreenPerson({&a}, 0.2, markers);
    const auto pb = testing::ToScreenPerson({&b}, 0.2, markers);
    const auto sp = SamePerson(markers, pa.markers, pb.markers);
    KinshipCase k;
    k.id = "same";
    for (const auto& m : markers) k.markers.push_back(m.name);
    k.dropout = {{"A", 0.2}, {"B", 0.2}};
    for (const auto* p : {&a, &b}) {
      for (const auto& [m, c] : p->markers) {
        k.genotypes[p->sample][m] = c;
      }
    }
    k.h1 = {HypothesisPerson{Individual{"X", Sex::kUnknown, "", ""}, {"A", "B"}}};
    k.h2 = {HypothesisPerson{Individual{"X", Sex::kUnknown, "", ""}, {"A"}},
            HypothesisPerson{Individual{"Y", Sex::kUnknown, "", ""}, {"B"}}};
    auto exact = ComputeLr(k, db);
    ASSERT_TRUE(exact.has_value()) << exact.error().ToString();
    EXPECT_TRUE(testing::RelativelyEqual(sp.lr, exact->lr, 1e-9)) << sp.lr << " vs " << exact->lr;
  }
}

TEST(ReassociateTest, RefusesALinkBetweenInconsistentGroupsAndReportsIt) {
  const auto db = testing::LoadNorwegian();
  const auto markers = testing::Markers(db, 6);
  // Person P: 1/2 at every marker; person Q: 1/3. A bridge sample shows only allele 1 everywhere
  // (drop-out), so it matches both but they cannot be one person.
  auto het = [&](int a, int b) { return EvidenceOf(Observation{a, b, 0.0, false}); };
  auto one = [&](int a) { return EvidenceOf(Observation{a, a, 0.1, true}); };
  std::vector<std::vector<MarkerEvidence>> s(5, std::vector<MarkerEvidence>(markers.size()));
  for (size_t m = 0; m < markers.size(); ++m) {
    s[0][m] = het(1, 2);
    s[1][m] = het(1, 2);
    s[2][m] = het(1, 3);
    s[3][m] = het(1, 3);
    s[4][m] = one(1);
  }
  ReassociationOptions opt;
  opt.lr_threshold = 10;
  auto r = Reassociate(markers, s, {"B1", "B1", "B2", "B2", "B3"}, opt);
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->individual_of[0], r->individual_of[2]);
  EXPECT_EQ(r->individual_of[0], r->individual_of[1]);
  EXPECT_EQ(r->individual_of[2], r->individual_of[3]);
  bool inconsistent = false;
  for (const auto& c : r->conflicts)
    inconsistent = inconsistent || c.kind == ReassociationConflict::Kind::kInconsistentLink;
  EXPECT_TRUE(inconsistent);
  EXPECT_EQ(r->mni, 2);  // the bridge may be either person
}

TEST(ReassociateTest, IdenticalForOneAndTwoThreads) {
  const auto db = testing::LoadNorwegian();
  const auto markers = testing::Markers(db, 15);
  const Data d = Make(markers, 300, 5, 0.2, 0.2);
  ReassociationOptions opt;
  opt.threads = 1;
  auto a = Reassociate(markers, d.samples, d.bags, opt);
  opt.threads = 2;
  auto b = Reassociate(markers, d.samples, d.bags, opt);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->individual_of, b->individual_of);
  EXPECT_EQ(a->mni, b->mni);
  ASSERT_EQ(a->links.size(), b->links.size());
  for (size_t k = 0; k < a->links.size(); ++k) EXPECT_EQ(a->links[k].lr, b->links[k].lr);
}

}  // namespace
}  // namespace whereabouts::kinship
