// Joint assignment: posteriors, thresholds, never one individual to two missing persons nor two
// individuals to one missing person, indistinguishable full brothers flagged (not decided).
#include "kinship/assign.h"

#include <gtest/gtest.h>

namespace whereabouts::kinship {
namespace {

AssignInput Base(int individuals, int missing) {
  AssignInput in;
  in.individuals = individuals;
  in.prior.assign(missing, 1.0 / (missing + 1));
  in.prior_none = 1.0 / (missing + 1);
  for (int m = 0; m < missing; ++m) {
    in.family_of_missing.push_back(m);
    in.missing_names.push_back("M" + std::to_string(m));
  }
  for (int i = 0; i < individuals; ++i) in.individual_names.push_back("I" + std::to_string(i));
  in.other_mass.assign(individuals, 0.0);
  return in;
}

TEST(AssignTest, PosteriorFollowsBayes) {
  AssignInput in = Base(1, 3);
  in.candidates = {{0, 0, 1e6}, {0, 1, 10}};
  in.other_mass = {0.25 * 2.0};  // M2 with screen LR 2
  auto r = Assign(in, AssignOptions{});
  ASSERT_TRUE(r.has_value());
  const double z = 0.25 + 0.25 * (1e6 + 10 + 2);
  EXPECT_NEAR(r->posterior[0], 0.25 * 1e6 / z, 1e-12);
  EXPECT_NEAR(r->posterior[1], 0.25 * 10 / z, 1e-12);
  EXPECT_NEAR(r->posterior_none[0], 0.25 / z, 1e-12);
  EXPECT_EQ(r->outcomes[0].decision, Decision::kIdentified);
  EXPECT_EQ(r->outcomes[0].missing, 0);
}

TEST(AssignTest, BelowThresholdsIsNotIdentified) {
  AssignInput in = Base(2, 3);
  in.candidates = {{0, 0, 5e3}, {1, 1, 1e5}, {1, 2, 1e3}};
  AssignOptions opt;
  auto r = Assign(in, opt);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->outcomes[0].decision, Decision::kNotIdentified);  // LR below 1e4
  EXPECT_NE(r->outcomes[0].reason.find("below"), std::string::npos);
  EXPECT_EQ(r->outcomes[1].decision, Decision::kNotIdentified);  // posterior ~0.98
}

TEST(AssignTest, FullBrothersAreIndistinguishable) {
  // Two individuals, two missing brothers of one family with the same references: equal LRs.
  AssignInput in = Base(2, 2);
  in.family_of_missing = {0, 0};
  in.candidates = {{0, 0, 1e9}, {0, 1, 1e9}, {1, 0, 1e9}, {1, 1, 1e9}};
  auto r = Assign(in, AssignOptions{});
  ASSERT_TRUE(r.has_value());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(r->outcomes[i].decision, Decision::kAmbiguous);
    EXPECT_NE(r->outcomes[i].reason.find("indistinguishable"), std::string::npos);
  }
  for (double p : r->posterior) EXPECT_NEAR(p, 0.5, 1e-6);
  EXPECT_EQ(r->groups, 1);
  EXPECT_EQ(r->largest_group, 2);
}

TEST(AssignTest, OneBrotherFoundAlone) {
  AssignInput in = Base(1, 2);
  in.family_of_missing = {0, 0};
  in.candidates = {{0, 0, 1e9}, {0, 1, 1e9}};
  auto r = Assign(in, AssignOptions{});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->outcomes[0].decision, Decision::kAmbiguous);
}

TEST(AssignTest, OutcomesCarryTheirCandidatesAsData) {
  // I0: ambiguous between M0 and M1 (different families); I1: identified as M2; I2: LR below the
  // threshold (its best candidate M3 only); I3: no candidate.
  AssignInput in = Base(4, 4);
  in.candidates = {{0, 1, 2e9}, {0, 0, 1e9}, {1, 2, 1e9}, {2, 3, 50}};
  auto r = Assign(in, AssignOptions{});
  ASSERT_TRUE(r.has_value());
  const AssignOutcome& a = r->outcomes[0];
  ASSERT_EQ(a.decision, Decision::kAmbiguous);
  ASSERT_EQ(a.candidates.size(), 2u);
  EXPECT_EQ(a.candidates[0].missing, 1);  // best first
  EXPECT_EQ(a.candidates[0].lr, 2e9);
  EXPECT_EQ(a.candidates[0].posterior, r->posterior[0]);
  EXPECT_EQ(a.candidates[1].missing, 0);
  EXPECT_EQ(a.candidates[1].lr, 1e9);
  EXPECT_EQ(a.candidates[1].posterior, r->posterior[1]);
  EXPECT_EQ(a.missing, a.candidates[0].missing);
  const AssignOutcome& b = r->outcomes[1];
  ASSERT_EQ(b.decision, Decision::kIdentified);
  ASSERT_EQ(b.candidates.size(), 1u);
  EXPECT_EQ(b.candidates[0].missing, 2);
  EXPECT_EQ(b.candidates[0].posterior, b.posterior);
  const AssignOutcome& c = r->outcomes[2];
  ASSERT_EQ(c.decision, Decision::kNotIdentified);
  ASSERT_EQ(c.candidates.size(), 1u);
  EXPECT_EQ(c.candidates[0].missing, 3);
  EXPECT_EQ(c.candidates[0].lr, 50);
  EXPECT_TRUE(r->outcomes[3].candidates.empty());
}

TEST(AssignTest, JointAssignmentResolvesByExclusion) {
  // I0 fits M0 only; I1 fits M0 and M1 alike on its own, but M0 is taken by I0.
  AssignInput in = Base(2, 2);
  in.candidates = {{0, 0, 1e12}, {1, 0, 1e8}, {1, 1, 1e8}};
  auto r = Assign(in, AssignOptions{});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->outcomes[0].decision, Decision::kIdentified);
  EXPECT_EQ(r->outcomes[0].missing, 0);
  EXPECT_EQ(r->outcomes[1].decision, Decision::kIdentified);
  EXPECT_EQ(r->outcomes[1].missing, 1);
}

TEST(AssignTest, TwoIndividualsClaimingOneMissingPersonAreNotBothAssigned) {
  AssignInput in = Base(2, 3);
  in.candidates = {{0, 0, 1e12}, {1, 0, 1e12}};
  in.same_person_lr = [](int, int) { return 0.0; };
  auto r = Assign(in, AssignOptions{});
  ASSERT_TRUE(r.has_value());
  int identified = 0;
  for (const auto& o : r->outcomes) identified += o.decision == Decision::kIdentified ? 1 : 0;
  EXPECT_EQ(identified, 0);
  EXPECT_NE(r->outcomes[0].reason.find("conflict"), std::string::npos) << r->outcomes[0].reason;
  EXPECT_NE(r->outcomes[0].reason.find("I1"), std::string::npos);
}

TEST(AssignTest, NeverDoublesUpEvenWhenTheGroupIsTooLarge) {
  AssignInput in = Base(8, 8);
  for (int i = 0; i < 8; ++i) {
    for (int m = 0; m < 8; ++m) in.candidates.push_back({i, m, i == m ? 1e15 : 1e14});
  }
  in.candidates.push_back({0, 7, 1e20});
  in.candidates.pop_back();
  AssignOptions opt;
  opt.max_joint_states = 10;  // force the fallback
  auto r = Assign(in, opt);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->groups_not_joint, 1);
  std::vector<int> per_missing(8, 0);
  for (const auto& o : r->outcomes) {
    if (o.decision == Decision::kIdentified) ++per_missing[o.missing];
  }
  for (int c : per_missing) EXPECT_LE(c, 1);
}

TEST(AssignTest, RejectsBadInput) {
  AssignInput in = Base(1, 1);
  in.candidates = {{0, 5, 1.0}};
  EXPECT_FALSE(Assign(in, AssignOptions{}).has_value());
}

// A family's table holds only some individuals (a raised family bar, docs/identify.md "Family
// bar"): a candidate of the family from another individual does not join the joint group (its
// weight stays in that individual's "someone else"), instead of being weighed with the joint LR
// 0 its absence from the table would mean; and its claim is taken off the others' posteriors.
TEST(AssignTest, CandidateOutsideTheFamilyTableKeepsItsWeight) {
  AssignInput in = Base(3, 2);
  in.family_of_missing = {0, 0};
  // I0 and I1 are in the table (M0 and M1 jointly); I2 has a weak claim on M1 but is not in it.
  in.candidates = {{0, 0, 1e8}, {1, 1, 1e3}, {2, 1, 50}};
  JointFamily f;
  f.missing = {0, 1};
  f.individuals = {0, 1};
  f.joint_lr[{{0, 0}, {1, 1}}] = 1e8 * 1e3 * 1e4;  // I1 is strong given I0
  in.joint_families = {f};
  AssignOptions opt;
  opt.joint_min_posterior = 0.0;
  auto r = Assign(in, opt);
  ASSERT_TRUE(r.has_value());
  // I2's candidate: its individual posterior (nothing competes within its own options).
  const double z2 = in.prior_none + in.prior[1] * 50;
  EXPECT_NEAR(r->posterior[2], in.prior[1] * 50 / z2, 1e-12);
  // I1 given I0: LR 1e7 given the family; I2's claim (posterior ~0.98) is subtracted, so I1 is
  // not identified though its joint posterior is high.
  EXPECT_GT(r->posterior[1], 0.999);
  EXPECT_NEAR(r->joint[1].conditional_lr, 1e7, 1e-3);
  EXPECT_NE(r->outcomes[1].decision, Decision::kIdentified);
  EXPECT_EQ(r->outcomes[0].decision, Decision::kIdentified);
  // With I2 in the table (and its joint LRs), it competes inside the group instead.
  in.joint_families[0].individuals = {0, 1, 2};
  in.joint_families[0].joint_lr[{{0, 0}, {2, 1}}] = 1e8 * 50;
  auto r2 = Assign(in, opt);
  ASSERT_TRUE(r2.has_value());
  EXPECT_LT(r2->posterior[2], 1e-3);  // I1 explains M1 far better jointly
  EXPECT_EQ(r2->outcomes[1].decision, Decision::kIdentified);
}

}  // namespace
}  // namespace whereabouts::kinship
