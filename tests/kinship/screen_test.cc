// The screen against the exact engine: for many family shapes (inbred ones included), mutation
// models none and proportional, references with untyped markers and markers shown "a/-" (one
// allele unknown), and persons with drop-out, untyped markers and several samples, the screen's LR
// must equal ComputeLr (theta = 0, the same model) to 1e-9 relative; and the screen's results must
// be identical for 1 and 2 threads.
#include <gtest/gtest.h>

#include <cstring>

#include "kinship/identify_test_util.h"

namespace whereabouts::kinship {
namespace {

using testing::Call;
using testing::DropGenes;
using testing::MakeFamily;

std::vector<Family> Shapes() {
  return {
      MakeFamily("PARENTS", {"F:m:::r", "M:f:::r", "X:m:F:M:m"}),
      MakeFamily("FATHER", {"F:m:::r", "M:f:::u", "X:f:F:M:m"}),
      MakeFamily("SIB", {"F:m:::u", "M:f:::u", "S:m:F:M:r", "X:m:F:M:m"}),
      MakeFamily("TWOSIBS", {"F:m:::u", "M:f:::u", "S:m:F:M:r", "T:f:F:M:r", "X:m:F:M:m"}),
      MakeFamily("CHILDSPOUSE", {"X:m:::m", "W:f:::r", "C:f:X:W:r"}),
      MakeFamily("UNCLE", {"G:m:::u", "H:f:::u", "X:m:G:H:m", "B:m:G:H:u", "W:f:::u", "N:m:B:W:r"}),
      MakeFamily("HALFSIB", {"F:m:::u", "M1:f:::u", "M2:f:::r", "X:m:F:M1:m", "H:f:F:M2:r"}),
      MakeFamily("GRANDPARENTS", {"G:m:::r", "H:f:::r", "P:m:G:H:u", "Q:f:::u", "X:m:P:Q:m"}),
      MakeFamily("INBRED", {"G:m:::r", "H:f:::u", "A:m:G:H:u", "B:f:G:H:u", "WA:f:::u", "HB:m:::u",
                            "C:m:A:WA:u", "D:f:HB:B:u", "X:m:C:D:m", "S:f:C:D:r"}),
      MakeFamily("BROTHERS", {"F:m:::r", "M:f:::r", "X:m:F:M:m", "Y:m:F:M:m"}),
  };
}

struct Fixture {
  FrequencyDatabase db = NormalizedDatabase(testing::LoadNorwegian());
  std::vector<MarkerFrequencies> markers = testing::Markers(db, 10);
  std::vector<Family> families = Shapes();
  std::vector<Profile> references;
  std::vector<Profile> remains;
  std::vector<std::string> remains_person;  // per remains sample: "family/member" or "unrelated"
  int half_calls = 0;                       // reference markers shown "a/-"

  Fixture() {
    std::mt19937_64 rng(20261123);
    std::mt19937_64 half_rng(4242);  // apart, so that the other draws stay as they were
    std::uniform_real_distribution<double> u(0, 1);
    references.reserve(100);
    remains.reserve(200);
    for (const auto& f : families) {
      const auto g = DropGenes(f, markers, rng);
      for (size_t i = 0; i < f.members.size(); ++i) {
        const auto& mem = f.members[i];
        if (mem.role == FamilyRole::kReference) {
          Profile p;
          p.sample = mem.sample;
          for (size_t m = 0; m < markers.size(); ++m) {
            if (u(rng) < 0.1) continue;  // untyped marker
            p.markers[markers[m].name] = Call(markers[m], g[i][m].first, g[i][m].second);
            if (u(half_rng) < 0.15) {  // one allele unknown: "a/-"
              const int shown = u(half_rng) < 0.5 ? g[i][m].first : g[i][m].second;
              p.markers[markers[m].name] = GenotypeCall{markers[m].alleles[shown], std::nullopt};
              ++half_calls;
            }
          }
          references.push_back(p);
        }
        if (mem.role == FamilyRole::kMissing) {
          for (int k = 0; k < 2; ++k) {  // two samples of the missing person, degraded
            Profile p;
            p.sample = f.id + "-" + mem.id + "-R" + std::to_string(k);
            for (size_t m = 0; m < markers.size(); ++m) {
              const double x = u(rng);
              if (x < 0.15) continue;
              auto [a, b] = g[i][m];
              if (x < 0.3) b = a;  // drop-out: one allele shown
              if (x < 0.33) {      // "a/-"
                p.markers[markers[m].name] = GenotypeCall{markers[m].alleles[a], std::nullopt};
                continue;
              }
              p.markers[markers[m].name] = Call(markers[m], a, b);
            }
            remains.push_back(p);
            remains_person.push_back(f.id + "/" + mem.id);
          }
        }
      }
    }
    for (int k = 0; k < 6; ++k) {  // unrelated persons
      Family lone = MakeFamily("U", {"U:m:::m"});
      const auto g = DropGenes(lone, markers, rng);
      Profile p;
      p.sample = "UNREL-" + std::to_string(k);
      for (size_t m = 0; m < markers.size(); ++m) {
        if (u(rng) < 0.2) continue;
        auto [a, b] = g[0][m];
        if (u(rng) < 0.2) b = a;
        p.markers[markers[m].name] = Call(markers[m], a, b);
      }
      remains.push_back(p);
      remains_person.push_back("unrelated");
    }
  }
  std::map<std::string, const Profile*> ReferenceMap() const {
    std::map<std::string, const Profile*> out;
    for (const auto& p : references) out[p.sample] = &p;
    return out;
  }
  // The families and the remains samples as the screen sees them (drop-out 0.1 for remains).
  std::vector<ScreenFamily> ScreenFamilies() const {
    const auto refs = ReferenceMap();
    std::vector<ScreenFamily> out;
    for (const auto& f : families) out.push_back(testing::ToScreenFamily(f, refs, markers));
    return out;
  }
  std::vector<ScreenPerson> ScreenPersons() const {
    std::vector<ScreenPerson> out;
    for (const auto& r : remains) out.push_back(testing::ToScreenPerson({&r}, 0.1, markers));
    return out;
  }
  std::vector<std::string> MarkerNames() const {
    std::vector<std::string> out;
    for (const auto& m : markers) out.push_back(m.name);
    return out;
  }
};

void CheckAgainstEngine(const MutationSpec& spec, double dropout) {
  Fixture fx;
  const auto refs = fx.ReferenceMap();
  const TableLayout layout = MakeTableLayout(fx.markers);
  std::vector<double> table(layout.stride);
  int compared = 0, zeros = 0;
  for (const auto& f : fx.families) {
    const ScreenFamily sf = testing::ToScreenFamily(f, refs, fx.markers);
    for (int member : sf.missing) {
      auto st = BuildTable(fx.markers, layout, sf, member, spec, table.data());
      ASSERT_TRUE(st.has_value()) << f.id << ": " << st.error().ToString();
      // Persons: each remains sample alone, and the two samples of each missing person together.
      std::vector<std::vector<const Profile*>> persons;
      for (const auto& r : fx.remains) persons.push_back({&r});
      for (size_t r = 0; r + 1 < fx.remains.size(); ++r) {
        if (fx.remains_person[r] != "unrelated" &&
            fx.remains_person[r] == fx.remains_person[r + 1]) {
          persons.push_back({&fx.remains[r], &fx.remains[r + 1]});
        }
      }
      for (const auto& samples : persons) {
        const ScreenPerson person = testing::ToScreenPerson(samples, dropout, fx.markers);
        const double screen = ScreenLr(EncodePerson(fx.markers, layout, person), table.data());
        auto kcase = PairCase(f, sf.pedigree.at(member).id, refs, samples, dropout,
                              fx.MarkerNames(), MutationModel::Same(spec), 0.0, std::nullopt);
        ASSERT_TRUE(kcase.has_value()) << kcase.error().ToString();
        auto exact = ComputeLr(*kcase, fx.db);
        if (!exact && exact.error().code == ErrorCode::kFailedPrecondition)
          continue;  // refs inconsistent
        ASSERT_TRUE(exact.has_value()) << exact.error().ToString();
        if (exact->lr == 0.0) {
          EXPECT_EQ(screen, 0.0) << f.id << " " << samples.front()->sample;
          ++zeros;
        } else {
          EXPECT_TRUE(testing::RelativelyEqual(screen, exact->lr, 1e-9))
              << f.id << " member " << sf.pedigree.at(member).id << " sample "
              << samples.front()->sample << ": screen " << screen << " exact " << exact->lr;
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 300);
  EXPECT_GT(fx.half_calls, 10);
  if (spec.kind == MutationKind::kNone) {
    EXPECT_GT(zeros, 10);
  }
}

TEST(ScreenTest, EqualsExactEngineProportional) {
  CheckAgainstEngine(MutationSpec{MutationKind::kProportional, 0.005, 0, 0}, 0.1);
}

TEST(ScreenTest, EqualsExactEngineProportionalHighRate) {
  CheckAgainstEngine(MutationSpec{MutationKind::kProportional, 0.05, 0, 0}, 0.3);
}

TEST(ScreenTest, EqualsExactEngineNoMutation) {
  CheckAgainstEngine(MutationSpec{MutationKind::kNone, 0, 0, 0}, 0.05);
}

// Remains without a drop-out model: "a/-" is then a plus any allele, on both sides.
TEST(ScreenTest, EqualsExactEngineWithoutDropOut) {
  CheckAgainstEngine(MutationSpec{MutationKind::kProportional, 0.005, 0, 0}, 0.0);
}

// Models the screen cannot tabulate are screened with proportional of the same total rate, and
// the result says so.
TEST(ScreenTest, OtherModelsAreScreenedWithProportionalAsAFilter) {
  Fixture fx;
  const auto fams = fx.ScreenFamilies();
  const auto persons = fx.ScreenPersons();
  ScreenOptions opt;
  opt.mutation = MutationSpec{MutationKind::kProportional, 0.003, 0, 0};
  auto proportional = Screen(fx.markers, fams, persons, opt);
  ASSERT_TRUE(proportional.has_value()) << proportional.error().ToString();
  EXPECT_TRUE(proportional->requested_model);
  for (const MutationSpec& spec : {MutationSpec{MutationKind::kEqual, 0.003, 0, 0},
                                   MutationSpec{MutationKind::kStepwise, 0.002, 0.001, 0.1}}) {
    opt.mutation = spec;
    auto r = Screen(fx.markers, fams, persons, opt);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_FALSE(r->requested_model);
    EXPECT_EQ(r->mutation.kind, MutationKind::kProportional);
    EXPECT_DOUBLE_EQ(r->mutation.rate, 0.003);
    EXPECT_TRUE(r->skipped.empty());
    ASSERT_EQ(r->hits.size(), proportional->hits.size());
    for (size_t s = 0; s < r->hits.size(); ++s) {
      ASSERT_EQ(r->hits[s].size(), proportional->hits[s].size());
      for (size_t k = 0; k < r->hits[s].size(); ++k) {
        EXPECT_EQ(r->hits[s][k].target, proportional->hits[s][k].target);
        EXPECT_EQ(r->hits[s][k].lr, proportional->hits[s][k].lr);
      }
    }
  }
  // BuildTable itself tabulates only what it can tabulate exactly.
  const TableLayout layout = MakeTableLayout(fx.markers);
  std::vector<double> table(layout.stride);
  auto st = BuildTable(fx.markers, layout, fams[0], fams[0].missing[0],
                       MutationSpec{MutationKind::kStepwise, 0.002, 0, 0.1}, table.data());
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().code, ErrorCode::kUnimplemented);
}

// A person showing Y is never a hit of a female missing member: such pairs are left out of the
// hits and of the sums, and those above the threshold are listed apart.
TEST(ScreenTest, AmelogeninYExcludesFemaleTargets) {
  Fixture fx;
  const auto fams = fx.ScreenFamilies();
  auto persons = fx.ScreenPersons();
  ScreenOptions opt;
  opt.mutation = MutationSpec{MutationKind::kProportional, 0.005, 0, 0};
  opt.top_k = 1000;  // every target: the hits are all pairs
  opt.lr_threshold = 1e-300;
  auto plain = Screen(fx.markers, fams, persons, opt);
  ASSERT_TRUE(plain.has_value());
  for (auto& p : persons) p.shows_y = true;
  auto male = Screen(fx.markers, fams, persons, opt);
  ASSERT_TRUE(male.has_value());
  int female_targets = 0;
  for (const auto& tg : male->targets) {
    female_targets += fams[tg.family].pedigree.at(tg.member).sex == Sex::kFemale ? 1 : 0;
  }
  ASSERT_GT(female_targets, 0);  // FATHER's missing daughter, HALFSIB's ...
  for (size_t s = 0; s < persons.size(); ++s) {
    EXPECT_EQ(male->excluded_count[s], female_targets);
    EXPECT_EQ(plain->excluded_count[s], 0);
    double female_sum = 0.0;
    size_t females_in_plain = 0;
    for (const auto& h : plain->hits[s]) {
      const auto& tg = plain->targets[h.target];
      if (fams[tg.family].pedigree.at(tg.member).sex == Sex::kFemale) {
        female_sum += h.lr;
        ++females_in_plain;
      }
    }
    for (const auto& h : male->hits[s]) {
      const auto& tg = male->targets[h.target];
      EXPECT_NE(fams[tg.family].pedigree.at(tg.member).sex, Sex::kFemale);
    }
    EXPECT_EQ(male->hits[s].size() + females_in_plain, plain->hits[s].size());
    EXPECT_EQ(male->excluded[s].size(), females_in_plain);  // all above the (tiny) threshold
    EXPECT_TRUE(testing::RelativelyEqual(male->weighted_lr_sum[s] + female_sum,
                                         plain->weighted_lr_sum[s], 1e-12));
  }
}

TEST(ScreenTest, IdenticalForOneAndTwoThreads) {
  Fixture fx;
  const auto refs = fx.ReferenceMap();
  std::vector<ScreenFamily> fams;
  // Many copies of the shapes so that both threads get work.
  for (int copy = 0; copy < 12; ++copy) {
    for (const auto& f : fx.families) {
      fams.push_back(testing::ToScreenFamily(f, refs, fx.markers));
      fams.back().id += "-" + std::to_string(copy);
    }
  }
  std::vector<ScreenPerson> persons;
  for (int copy = 0; copy < 5; ++copy) {
    for (const auto& r : fx.remains)
      persons.push_back(testing::ToScreenPerson({&r}, 0.1, fx.markers));
  }
  for (size_t s = 0; s < persons.size(); s += 3) persons[s].shows_y = true;  // amelogenin Y
  ScreenOptions opt;
  opt.mutation = MutationSpec{MutationKind::kProportional, 0.005, 0, 0};
  opt.top_k = 3;
  opt.lr_threshold = 10;
  opt.tables_per_pass = 7;  // several passes
  ScreenResult results[2];
  for (int threads : {1, 2}) {
    opt.threads = threads;
    auto r = Screen(fx.markers, fams, persons, opt);
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    results[threads - 1] = std::move(*r);
  }
  const auto& a = results[0];
  const auto& b = results[1];
  ASSERT_EQ(a.hits.size(), b.hits.size());
  EXPECT_EQ(a.pairs, b.pairs);
  EXPECT_EQ(a.pairs, persons.size() * a.targets.size());
  for (size_t s = 0; s < a.hits.size(); ++s) {
    EXPECT_EQ(std::memcmp(&a.weighted_lr_sum[s], &b.weighted_lr_sum[s], sizeof(double)), 0);
    ASSERT_EQ(a.hits[s].size(), b.hits[s].size());
    EXPECT_GE(a.hits[s].size(), 3u);
    for (size_t k = 0; k < a.hits[s].size(); ++k) {
      EXPECT_EQ(a.hits[s][k].target, b.hits[s][k].target);
      EXPECT_EQ(std::memcmp(&a.hits[s][k].lr, &b.hits[s][k].lr, sizeof(double)), 0);
    }
    EXPECT_EQ(a.excluded_count[s], b.excluded_count[s]);
    ASSERT_EQ(a.excluded[s].size(), b.excluded[s].size());
    for (size_t k = 0; k < a.excluded[s].size(); ++k) {
      EXPECT_EQ(a.excluded[s][k].target, b.excluded[s][k].target);
      EXPECT_EQ(std::memcmp(&a.excluded[s][k].lr, &b.excluded[s][k].lr, sizeof(double)), 0);
    }
  }
  EXPECT_GT(a.excluded_count[0], 0);
  // Every hit's LR equals the single-pair function.
  const TableLayout layout = MakeTableLayout(fx.markers);
  std::vector<double> table(layout.stride);
  const auto& hit = a.hits[0][0];
  const auto& tg = a.targets[hit.target];
  ASSERT_TRUE(BuildTable(fx.markers, layout, fams[tg.family], tg.member, opt.mutation, table.data())
                  .has_value());
  EXPECT_TRUE(testing::RelativelyEqual(
      ScreenLr(EncodePerson(fx.markers, layout, persons[0]), table.data()), hit.lr, 1e-12));
}

TEST(ScreenTest, TrueRelativesRankFirst) {
  Fixture fx;
  const auto fams = fx.ScreenFamilies();
  const auto persons = fx.ScreenPersons();
  ScreenOptions opt;
  opt.mutation = MutationSpec{MutationKind::kProportional, 0.005, 0, 0};
  auto r = Screen(fx.markers, fams, persons, opt);
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->skipped.empty());
  // Samples of the PARENTS family's missing child: the best target is that child.
  for (size_t s = 0; s < fx.remains.size(); ++s) {
    if (fx.remains_person[s] != "PARENTS/X") continue;
    ASSERT_FALSE(r->hits[s].empty());
    const auto& best = r->targets[r->hits[s][0].target];
    EXPECT_EQ(fams[best.family].id, "PARENTS");
    EXPECT_GT(r->hits[s][0].lr, 1.0);
  }
}

}  // namespace
}  // namespace whereabouts::kinship
