// The batch identification in memory (kinship::Identify) on small constructed cases:
//   - amelogenin: a sample showing Y is never proposed for a missing woman (the pair is listed as
//     excluded), X only is flagged for a missing man but not excluded; re-association never joins
//     a Y sample and an X-only sample without drop-out, and reports the join of Y and X only;
//   - a reference shown "a/-" (one allele unknown) is used, and the screen still equals the exact
//     engine for its family;
//   - under the stepwise model (which the screen cannot tabulate) a true parent-child pair with a
//     one-step mutation is kept by the screen's proportional filter and scored exactly with the
//     stepwise model, and the report says which model each number used.
// All data are synthetic.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>

#include "kinship/identify_test_util.h"

namespace whereabouts::kinship {
namespace {

using testing::DropGenes;
using testing::MakeFamily;

using Genotypes = std::vector<std::vector<std::pair<int, int>>>;  // member x marker

Profile ProfileOf(const std::string& sample, const std::vector<std::pair<int, int>>& g,
                  const std::vector<MarkerFrequencies>& markers, std::optional<Sex> amelogenin) {
  Profile p;
  p.sample = sample;
  for (size_t m = 0; m < markers.size(); ++m) {
    p.markers[markers[m].name] = testing::Call(markers[m], g[m].first, g[m].second);
  }
  p.amelogenin_sex = amelogenin;
  return p;
}

// Families with their reference profiles (typed on every marker, amelogenin as their sex), and
// the true genotypes of every member.
struct Scenario {
  FrequencyDatabase db = NormalizedDatabase(testing::LoadNorwegian());
  std::vector<MarkerFrequencies> markers = testing::Markers(db, 20);
  std::vector<Family> families;
  std::vector<Genotypes> genotypes;  // per family
  std::vector<Profile> references;
  std::vector<RemainsSample> remains;
  std::vector<Profile> remains_profiles;
  std::mt19937_64 rng{20261124};

  int Add(const Family& f) {
    families.push_back(f);
    genotypes.push_back(DropGenes(f, markers, rng));
    const int fi = static_cast<int>(families.size()) - 1;
    for (size_t i = 0; i < f.members.size(); ++i) {
      const auto& mem = f.members[i];
      if (mem.role != FamilyRole::kReference) continue;
      references.push_back(ProfileOf(mem.sample, genotypes[fi][i], markers, mem.sex));
    }
    return fi;
  }
  // Unrelated families so that priors and the screen have something to choose from.
  void AddDecoys(int count) {
    for (int k = 0; k < count; ++k) {
      const std::string id = "D" + std::to_string(k);
      Add(MakeFamily(id,
                     {"F:m:::r", "M:f:::u", std::string("X:") + (k % 2 ? "m" : "f") + ":F:M:m"}));
    }
  }
  int Member(int family, const std::string& id) const {
    for (size_t i = 0; i < families[family].members.size(); ++i) {
      if (families[family].members[i].id == id) return static_cast<int>(i);
    }
    return -1;
  }
  void AddRemains(const std::string& sample, const std::vector<std::pair<int, int>>& g,
                  std::optional<Sex> amelogenin) {
    remains.push_back({sample, "BAG-" + sample, ""});
    remains_profiles.push_back(ProfileOf(sample, g, markers, amelogenin));
  }
  IdentifyInput Input() const {
    IdentifyInput in;
    in.database = &db;
    in.families = families;
    in.references = references;
    in.remains = remains;
    in.remains_profiles = remains_profiles;
    return in;
  }
  std::vector<std::string> MarkerNames() const {
    std::vector<std::string> out;
    for (const auto& m : markers) out.push_back(m.name);
    return out;
  }
  // The exact LR of remains `sample` as missing `member` of family `f`.
  double ExactLr(int f, const std::string& member, const std::string& sample,
                 const MutationModel& mutation, double dropout) const {
    std::map<std::string, const Profile*> refs;
    for (const auto& p : references) refs[p.sample] = &p;
    const Profile* s = nullptr;
    for (const auto& p : remains_profiles) {
      if (p.sample == sample) s = &p;
    }
    EXPECT_NE(s, nullptr);
    auto k = PairCase(families[f], member, refs, {s}, dropout, MarkerNames(), mutation, 0.0, 0.001);
    EXPECT_TRUE(k.has_value());
    auto lr = ComputeLr(*k, db);
    EXPECT_TRUE(lr.has_value()) << lr.error().ToString();
    return lr ? lr->lr : -1.0;
  }
};

const IdentificationRow* RowOf(const IdentifyReport& r, const std::string& sample) {
  std::string individual;
  for (const auto& row : r.individuals) {
    if (row.sample == sample) individual = row.individual;
  }
  for (const auto& row : r.identifications) {
    if (row.individual == individual) return &row;
  }
  return nullptr;
}

const MatchRow* MatchOf(const IdentifyReport& r, const std::string& sample,
                        const std::string& family, const std::string& missing) {
  std::string individual;
  for (const auto& row : r.individuals) {
    if (row.sample == sample) individual = row.individual;
  }
  for (const auto& m : r.matches) {
    if (m.individual == individual && m.family == family && m.missing == missing) return &m;
  }
  return nullptr;
}

// --- amelogenin ----------------------------------------------------------------------------------

TEST(SexEvidenceTest, CombinesSamplesAndChecksAgainstTheMissingPerson) {
  const SexEvidence y = SexEvidenceOf(Sex::kMale, 0.1);
  const SexEvidence x = SexEvidenceOf(Sex::kFemale, 0.1);
  const SexEvidence x_firm = SexEvidenceOf(Sex::kFemale, 0.0);
  const SexEvidence none = SexEvidenceOf(std::nullopt, 0.1);
  EXPECT_FALSE(none.typed());
  EXPECT_TRUE(y.ShowsY());
  EXPECT_TRUE(x.XOnly());
  EXPECT_TRUE(x_firm.XOnly());
  EXPECT_FALSE(Combine(y, x).Impossible());
  EXPECT_TRUE(Combine(y, x).Disagrees());
  EXPECT_TRUE(Combine(y, x).ShowsY());
  EXPECT_TRUE(Combine(x, x_firm).XOnly());
  EXPECT_TRUE(Combine(y, x_firm).Impossible());
  EXPECT_EQ(Combine(y, x).Describe(), "Y (X only in 1 of 2 samples)");
  EXPECT_EQ(CheckSex(y, Sex::kFemale), SexCheck::kExcluded);
  EXPECT_EQ(CheckSex(y, Sex::kMale), SexCheck::kConsistent);
  EXPECT_EQ(CheckSex(x, Sex::kMale), SexCheck::kXOnlyMan);
  EXPECT_EQ(CheckSex(x_firm, Sex::kMale), SexCheck::kXOnlyMan);  // AMELY deletions exist
  EXPECT_EQ(CheckSex(x, Sex::kFemale), SexCheck::kConsistent);
  EXPECT_EQ(CheckSex(none, Sex::kFemale), SexCheck::kNotChecked);
  EXPECT_EQ(CheckSex(y, Sex::kUnknown), SexCheck::kNotChecked);
}

// Two samples of one man, one showing Y and one X only: joined (and reported) only when the
// X-only one may have lost its Y by drop-out.
TEST(ReassociateSexTest, YAndXOnlyJoinedOnlyUnderDropOut) {
  Scenario sc;
  const Family lone = MakeFamily("U", {"U:m:::m"});
  const auto g = DropGenes(lone, sc.markers, sc.rng)[0];
  std::vector<std::vector<MarkerEvidence>> samples(2,
                                                   std::vector<MarkerEvidence>(sc.markers.size()));
  for (size_t m = 0; m < sc.markers.size(); ++m) {
    for (auto& s : samples) s[m] = EvidenceOf(Observation{g[m].first, g[m].second, 0.1, true});
  }
  const std::vector<std::string> bags = {"B1", "B2"};
  {
    auto r = Reassociate(sc.markers, samples, bags, ReassociationOptions{},
                         {SexEvidenceOf(Sex::kMale, 0.1), SexEvidenceOf(Sex::kFemale, 0.1)});
    ASSERT_TRUE(r.has_value());
    ASSERT_EQ(r->individuals.size(), 1u);
    EXPECT_EQ(r->mni, 1);
    EXPECT_TRUE(r->sex[0].ShowsY());
    EXPECT_TRUE(r->sex[0].Disagrees());
    int differs = 0;
    for (const auto& c : r->conflicts) {
      differs += c.kind == ReassociationConflict::Kind::kSexDiffers ? 1 : 0;
    }
    EXPECT_EQ(differs, 1);
  }
  {
    auto r = Reassociate(sc.markers, samples, bags, ReassociationOptions{},
                         {SexEvidenceOf(Sex::kMale, 0.0), SexEvidenceOf(Sex::kFemale, 0.0)});
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->individuals.size(), 2u);
    EXPECT_EQ(r->mni, 2);
    bool refused = false;
    for (const auto& c : r->conflicts) {
      refused = refused || (c.kind == ReassociationConflict::Kind::kInconsistentLink &&
                            c.description.find("amelogenin") != std::string::npos);
    }
    EXPECT_TRUE(refused);
  }
  {  // Without amelogenin: one individual, no sex conflict.
    auto r = Reassociate(sc.markers, samples, bags, ReassociationOptions{});
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->individuals.size(), 1u);
    EXPECT_FALSE(r->sex[0].typed());
  }
}

// A daughter's remains: with X only she is identified; with Y (a mislabelled or contaminated
// sample) her family is never proposed, and the strong excluded pair is listed for review. A
// son's remains showing X only are still identified, flagged.
TEST(IdentifyTest, AmelogeninExcludesMissingWomenAndFlagsXOnlyMen) {
  for (const Sex daughter_amel : {Sex::kFemale, Sex::kMale}) {
    Scenario sc;
    const int d = sc.Add(MakeFamily("DAUGHTER", {"F:m:::r", "M:f:::r", "X:f:F:M:m"}));
    const int s = sc.Add(MakeFamily("SON", {"F:m:::r", "M:f:::r", "X:m:F:M:m"}));
    // A female reference whose amelogenin shows Y: her profile is not used.
    const int w = sc.Add(MakeFamily("SWAP", {"F:m:::u", "M:f:::r", "X:m:F:M:m"}));
    for (auto& p : sc.references) {
      if (p.sample == "SWAP-M") p.amelogenin_sex = Sex::kMale;
    }
    (void)w;
    sc.AddDecoys(30);
    sc.AddRemains("R-D", sc.genotypes[d][sc.Member(d, "X")], daughter_amel);
    sc.AddRemains("R-S", sc.genotypes[s][sc.Member(s, "X")], Sex::kFemale);
    auto rep = Identify(sc.Input(), IdentifyOptions{});
    ASSERT_TRUE(rep.has_value()) << rep.error().ToString();

    const IdentificationRow* rd = RowOf(*rep, "R-D");
    ASSERT_NE(rd, nullptr);
    const MatchRow* md = MatchOf(*rep, "R-D", "DAUGHTER", "X");
    ASSERT_NE(md, nullptr) << "the true pair is listed either way";
    EXPECT_GT(md->lr, 1e6);
    if (daughter_amel == Sex::kFemale) {
      EXPECT_EQ(rd->decision, Decision::kIdentified) << rd->reason;
      EXPECT_EQ(rd->family, "DAUGHTER");
      EXPECT_EQ(rd->sex_check, SexCheck::kConsistent);
      EXPECT_EQ(md->sex_check, SexCheck::kConsistent);
      EXPECT_EQ(rep->sex_excluded_listed, 0);
    } else {
      EXPECT_NE(rd->family, "DAUGHTER");
      EXPECT_NE(rd->decision, Decision::kIdentified) << rd->reason;
      EXPECT_EQ(md->sex_check, SexCheck::kExcluded);
      EXPECT_EQ(md->posterior, 0.0);
      EXPECT_NE(rd->reason.find("excluded"), std::string::npos) << rd->reason;
      EXPECT_NE(rd->reason.find("DAUGHTER"), std::string::npos) << rd->reason;
      EXPECT_GE(rep->sex_excluded_listed, 1);
      // Every missing woman is excluded for this individual: the 15 decoy daughters and her.
      EXPECT_GE(rep->sex_excluded_pairs, 16u);
    }

    const IdentificationRow* rs = RowOf(*rep, "R-S");
    ASSERT_NE(rs, nullptr);
    EXPECT_EQ(rs->decision, Decision::kIdentified) << rs->reason;
    EXPECT_EQ(rs->family, "SON");
    EXPECT_EQ(rs->sex, "X only");
    EXPECT_EQ(rs->sex_check, SexCheck::kXOnlyMan);
    EXPECT_NE(rs->reason.find("X only"), std::string::npos) << rs->reason;
    const MatchRow* ms = MatchOf(*rep, "R-S", "SON", "X");
    ASSERT_NE(ms, nullptr);
    EXPECT_EQ(ms->sex_check, SexCheck::kXOnlyMan);

    bool swap_skipped = false;
    for (const auto& k : rep->skipped) {
      swap_skipped = swap_skipped || (k.item == "family SWAP, reference M" &&
                                      k.reason.find("amelogenin") != std::string::npos);
    }
    EXPECT_TRUE(swap_skipped);
  }
}

// --- a reference shown "a/-" ---------------------------------------------------------------------

TEST(IdentifyTest, ReferenceWithOneAlleleUnknownIsScreenedExactly) {
  Scenario sc;
  const int f = sc.Add(MakeFamily("HALF", {"F:m:::r", "M:f:::r", "X:m:F:M:m"}));
  // The father shows one allele only at every other marker ("a/-").
  int half = 0;
  for (auto& p : sc.references) {
    if (p.sample != "HALF-F") continue;
    int k = 0;
    for (auto& [name, call] : p.markers) {
      if (k++ % 2 == 0) {
        call.second.reset();
        ++half;
      }
    }
  }
  ASSERT_GE(half, 10);
  sc.AddDecoys(20);
  sc.AddRemains("R-X", sc.genotypes[f][sc.Member(f, "X")], Sex::kMale);
  IdentifyOptions opt;
  const MutationSpec proportional{MutationKind::kProportional, 0.005, 0, 0};
  opt.mutation = MutationModel::Same(proportional);  // the screen is then exact
  auto rep = Identify(sc.Input(), opt);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  for (const auto& k : rep->skipped) EXPECT_EQ(k.item.find("HALF"), std::string::npos) << k.reason;
  EXPECT_FALSE(rep->screen_is_filter);
  const MatchRow* m = MatchOf(*rep, "R-X", "HALF", "X");
  ASSERT_NE(m, nullptr);
  const double exact = sc.ExactLr(f, "X", "R-X", opt.mutation, opt.remains_dropout);
  EXPECT_TRUE(testing::RelativelyEqual(m->lr, exact, 1e-12)) << m->lr << " vs " << exact;
  EXPECT_TRUE(testing::RelativelyEqual(m->screen_lr, exact, 1e-9))
      << m->screen_lr << " vs " << exact;
  // "a/-" is weaker evidence than the full genotype: the LR with the father's full profile is
  // different (the test would pass vacuously if "a/-" were read as "a/a" only where a/a is true).
  Scenario full;  // same seed: same genotypes
  const int f2 = full.Add(MakeFamily("HALF", {"F:m:::r", "M:f:::r", "X:m:F:M:m"}));
  full.AddRemains("R-X", full.genotypes[f2][full.Member(f2, "X")], Sex::kMale);
  EXPECT_NE(full.ExactLr(f2, "X", "R-X", opt.mutation, opt.remains_dropout), exact);
}

// --- the screen as a filter for stepwise ------------------------------------------------------

TEST(IdentifyTest, StepwiseMutationTrueMatchFoundAndScoredWithStepwise) {
  Scenario sc;
  const int f = sc.Add(MakeFamily("PC", {"F:m:::r", "M:f:::u", "X:m:F:M:m"}));
  const int father = sc.Member(f, "F"), child = sc.Member(f, "X");
  // One marker where the child's paternal allele is one step away from both of the father's
  // alleles and from the child's maternal allele: the pair is inconsistent without mutation.
  auto& g = sc.genotypes[f];
  int mutated = -1;
  for (size_t m = 0; m < sc.markers.size() && mutated < 0; ++m) {
    const auto& mk = sc.markers[m];
    const auto [fa, fb] = g[father][m];
    const auto v = AlleleValue(mk.alleles[fa]);
    if (!v || *v != std::floor(*v)) continue;
    const int up = mk.IndexOf(std::to_string(static_cast<int>(*v) + 1));  // one step up
    if (up < 0 || up == fa || up == fb) continue;
    const auto [c1, c2] = g[child][m];
    const int maternal = c1 == fa || c1 == fb ? c2 : c1;
    if (maternal == fa || maternal == fb) continue;
    g[child][m] = {std::min(up, maternal), std::max(up, maternal)};
    mutated = static_cast<int>(m);
  }
  ASSERT_GE(mutated, 0);
  sc.AddRemains("R-X", g[child], Sex::kMale);
  sc.AddDecoys(200);  // after the last use of g (it moves the genotypes)

  IdentifyOptions opt;
  const MutationSpec stepwise{MutationKind::kStepwise, 0.002, 1e-6, 0.1};
  opt.mutation = MutationModel::Same(stepwise);
  auto rep = Identify(sc.Input(), opt);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();
  // The screen was a filter, with proportional of the same total rate, and says so.
  EXPECT_TRUE(rep->screen_is_filter);
  EXPECT_EQ(rep->screen_mutation_requested.kind, MutationKind::kStepwise);
  EXPECT_EQ(rep->screen_mutation.kind, MutationKind::kProportional);
  EXPECT_DOUBLE_EQ(rep->screen_mutation.rate, 0.002 + 1e-6);
  // The true pair was kept, ranks first, and its LR is the stepwise one.
  const MatchRow* m = MatchOf(*rep, "R-X", "PC", "X");
  ASSERT_NE(m, nullptr) << "the filter lost the true match";
  EXPECT_EQ(m->inconsistent_markers, 1);
  EXPECT_GT(m->screen_lr, 0.0);
  const double exact = sc.ExactLr(f, "X", "R-X", opt.mutation, opt.remains_dropout);
  EXPECT_GT(exact, 0.0);
  EXPECT_TRUE(testing::RelativelyEqual(m->lr, exact, 1e-12)) << m->lr << " vs " << exact;
  const double proportional =
      sc.ExactLr(f, "X", "R-X", MutationModel::Same(rep->screen_mutation), opt.remains_dropout);
  EXPECT_TRUE(testing::RelativelyEqual(m->screen_lr, proportional, 1e-9));
  EXPECT_FALSE(testing::RelativelyEqual(m->lr, m->screen_lr, 1e-3));  // two models, two numbers
  const IdentificationRow* row = RowOf(*rep, "R-X");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->family, "PC");
  EXPECT_EQ(row->missing, "X");
  EXPECT_EQ(row->lr, m->lr);
}

// A filter that no marker can take (proportional rate above a marker's heterozygosity) is refused
// once, naming the marker, instead of failing every family's table.
TEST(IdentifyTest, ScreenModelThatFitsNoMarkerIsRefusedOnce) {
  Scenario sc;
  const int f = sc.Add(MakeFamily("PC", {"F:m:::r", "M:f:::u", "X:m:F:M:m"}));
  sc.AddRemains("R-X", sc.genotypes[f][sc.Member(f, "X")], Sex::kMale);
  IdentifyOptions opt;
  opt.mutation = MutationModel::Same({MutationKind::kEqual, 0.95, 0, 0});
  auto rep = Identify(sc.Input(), opt);
  ASSERT_FALSE(rep.has_value());
  EXPECT_EQ(rep.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(rep.error().message.find("does not fit marker"), std::string::npos)
      << rep.error().ToString();
  EXPECT_NE(rep.error().message.find("filter for equal"), std::string::npos);
}

}  // namespace
}  // namespace whereabouts::kinship

namespace whereabouts::kinship {
namespace {

// --- structured results ----------------------------------------------------------------------

// Two missing brothers with the same references: the remains of one are ambiguous between both,
// and the decision names both as data (best first, as the reason does). Every missing person of
// the input gets a screen status: screened, its family not usable (nobody typed), or its table
// failed (references inconsistent with each other without mutation).
TEST(IdentifyTest, DecisionsCarryCandidatesAndTargetsAScreenStatus) {
  Scenario sc;
  const int b = sc.Add(MakeFamily("BROTHERS", {"F:m:::r", "M:f:::r", "A:m:F:M:m", "B:m:F:M:m"}));
  sc.Add(MakeFamily("UNTYPED", {"F:m:::u", "M:f:::u", "X:m:F:M:m"}));
  const int inc =
      sc.Add(MakeFamily("INCONSISTENT", {"F:m:::r", "M:f:::u", "C:m:F:M:r", "X:m:F:M:m"}));
  sc.AddDecoys(20);
  // The child shares no allele with its father at the first marker.
  const auto father = sc.genotypes[inc][sc.Member(inc, "F")][0];
  std::vector<int> others;
  for (int a = 0; static_cast<int>(others.size()) < 2; ++a) {
    if (a != father.first && a != father.second) others.push_back(a);
  }
  for (auto& p : sc.references) {
    if (p.sample == "INCONSISTENT-C") {
      p.markers[sc.markers[0].name] = testing::Call(sc.markers[0], others[0], others[1]);
    }
  }
  // A son of F and M without mutation (DropGenes may mutate; the model here has none).
  std::vector<std::pair<int, int>> son;
  for (size_t m = 0; m < sc.markers.size(); ++m) {
    son.push_back({sc.genotypes[b][sc.Member(b, "F")][m].first,
                   sc.genotypes[b][sc.Member(b, "M")][m].second});
  }
  sc.AddRemains("R-A", son, Sex::kMale);
  IdentifyOptions opt;
  opt.mutation = MutationModel::Same(MutationSpec{});  // none: the inconsistency is impossible
  auto rep = Identify(sc.Input(), opt);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();

  const IdentificationRow* row = RowOf(*rep, "R-A");
  ASSERT_NE(row, nullptr);
  ASSERT_EQ(row->decision, Decision::kAmbiguous) << row->reason;
  ASSERT_EQ(row->candidates.size(), 2u);
  std::set<std::string> named;
  for (const auto& c : row->candidates) {
    EXPECT_EQ(c.family, "BROTHERS");
    named.insert(c.missing);
    const MatchRow* m = MatchOf(*rep, "R-A", c.family, c.missing);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(c.lr, m->lr);
    EXPECT_EQ(c.posterior, m->posterior);
  }
  EXPECT_EQ(named, (std::set<std::string>{"A", "B"}));
  EXPECT_EQ(row->candidates[0].missing, row->missing);
  EXPECT_GE(row->candidates[0].posterior, row->candidates[1].posterior);

  std::map<std::pair<std::string, std::string>, ScreenStatus> status;
  for (const auto& t : rep->targets) status[{t.family, t.missing}] = t.status;
  EXPECT_EQ(rep->targets.size(), static_cast<size_t>(rep->missing_persons));
  EXPECT_EQ(status.at({"BROTHERS", "A"}), ScreenStatus::kScreened);
  EXPECT_EQ(status.at({"BROTHERS", "B"}), ScreenStatus::kScreened);
  EXPECT_EQ(status.at({"UNTYPED", "X"}), ScreenStatus::kFamilyNotUsable);
  EXPECT_EQ(status.at({"INCONSISTENT", "X"}), ScreenStatus::kTableFailed);
  EXPECT_EQ(status.at({"D0", "X"}), ScreenStatus::kScreened);
  int screened = 0;
  for (const auto& t : rep->targets) screened += t.status == ScreenStatus::kScreened ? 1 : 0;
  EXPECT_EQ(screened, rep->missing_tabulated);
}

// With candidate_evidence, every candidate of an identified or ambiguous decision carries the
// exact case and its per-marker LRs: their product is the candidate's LR, the pedigree is the
// family's, the remains samples are the individual's, and references appear with their calls.
TEST(IdentifyTest, CandidateEvidenceReproducesEachCandidatesLr) {
  Scenario sc;
  const int b = sc.Add(MakeFamily("BROTHERS", {"F:m:::r", "M:f:::r", "A:m:F:M:m", "B:m:F:M:m"}));
  const int pc = sc.Add(MakeFamily("PC", {"F:m:::r", "M:f:::u", "X:m:F:M:m"}));
  sc.AddDecoys(10);
  std::vector<std::pair<int, int>> son;
  for (size_t m = 0; m < sc.markers.size(); ++m) {
    son.push_back({sc.genotypes[b][sc.Member(b, "F")][m].first,
                   sc.genotypes[b][sc.Member(b, "M")][m].second});
  }
  sc.AddRemains("R-A", son, Sex::kMale);
  sc.AddRemains("R-X", sc.genotypes[pc][sc.Member(pc, "X")], Sex::kMale);
  IdentifyOptions opt;
  opt.mutation = MutationModel::Same(MutationSpec{});
  auto plain = Identify(sc.Input(), opt);
  ASSERT_TRUE(plain.has_value()) << plain.error().ToString();
  EXPECT_TRUE(plain->evidence.empty());  // only when asked for
  opt.candidate_evidence = true;
  auto rep = Identify(sc.Input(), opt);
  ASSERT_TRUE(rep.has_value()) << rep.error().ToString();

  size_t expected = 0;
  for (const auto& row : rep->identifications) {
    if (row.decision != Decision::kNotIdentified) expected += row.candidates.size();
  }
  ASSERT_GE(expected, 3u);  // the two brothers and X
  ASSERT_EQ(rep->evidence.size(), expected);
  for (const CandidateEvidence& ev : rep->evidence) {
    const MatchRow* m = nullptr;
    for (const auto& mr : rep->matches) {
      if (mr.individual == ev.individual && mr.family == ev.family && mr.missing == ev.missing) {
        m = &mr;
      }
    }
    ASSERT_NE(m, nullptr) << ev.individual;
    EXPECT_EQ(ev.lr.lr, m->lr);  // the same computation, bit for bit
    EXPECT_EQ(ev.posterior, m->posterior);
    double log10 = 0;
    for (const auto& pm : ev.lr.per_marker) log10 += std::log10(pm.lr);
    EXPECT_NEAR(log10, std::log10(m->lr), 1e-9);
    EXPECT_EQ(ev.lr.per_marker.size(), static_cast<size_t>(m->markers_compared));
    EXPECT_EQ(ev.pedigree.id, ev.family);
    ASSERT_EQ(ev.samples.size(), 1u);
    EXPECT_EQ(ev.samples[0], ev.family == "PC" ? "R-X" : "R-A");
    EXPECT_TRUE(ev.kcase.genotypes.count("s:ref:" + ev.family + "-F")) << ev.family;
    for (const auto& pm : ev.lr.per_marker) EXPECT_GT(ev.allele_count.at(pm.marker), 0);
  }
}

// The engine's errors name the option's field, never a command-line flag.
TEST(IdentifyTest, BadOptionsNameTheFieldNotAFlag) {
  Scenario sc;
  const int f = sc.Add(MakeFamily("PC", {"F:m:::r", "M:f:::u", "X:m:F:M:m"}));
  sc.AddRemains("R-X", sc.genotypes[f][sc.Member(f, "X")], Sex::kMale);
  IdentifyOptions opt;
  opt.remains_dropout = 1.5;
  auto rep = Identify(sc.Input(), opt);
  ASSERT_FALSE(rep.has_value());
  EXPECT_EQ(rep.error().field, "remains_dropout");
  opt = IdentifyOptions{};
  opt.prior_none = 2.0;
  rep = Identify(sc.Input(), opt);
  ASSERT_FALSE(rep.has_value());
  EXPECT_EQ(rep.error().field, "prior_none");
}

}  // namespace
}  // namespace whereabouts::kinship
