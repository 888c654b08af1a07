// Identification proposals and their decisions through the Registry (the rules of
// registry/identification.h), and profiles of remains samples in the snapshot.
#include "registry/identification.h"

#include <gtest/gtest.h>

#include "registry/geometry.h"
#include "registry/registry.h"
#include "registry/test_util.h"
#include "store/memory_store.h"

namespace whereabouts::registry {
namespace {

using testing::Ev;
using testing::PersonEv;

class IdentificationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.Append({
        PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "Velani"}}),
        PersonEv(2, "person.registered", "2000-01-01", {{"family_name", "Morsa"}}),
    }));
    ASSERT_TRUE(reg_.Record(
        PersonEv(1, "person.identification_proposed", "2020-01-01",
                 {{"proposal", "7"}, {"date", "2019-12-30"}, {"remains", "B-1"}}, "lab report")));
  }
  Status Rec(Event e) {
    auto r = reg_.Record(std::move(e));
    if (!r) return tl::unexpected(r.error());
    return {};
  }
  store::MemoryStore store_;
  PlanarGeometry geometry_;
  Registry reg_{store_, geometry_, LegacyHistory{}};
};

TEST_F(IdentificationTest, ProposalChangesNothingAndIsListed) {
  auto p = store_.FindPerson(PersonId{1}, std::nullopt);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->status, CaseStatus::kOpen);
  auto proposals = reg_.LoadProposals(std::nullopt);
  ASSERT_TRUE(proposals);
  ASSERT_EQ(proposals->count(7), 1u);
  EXPECT_EQ(proposals->at(7).status, ProposalStatus::kProposed);
  EXPECT_EQ(proposals->at(7).remains, "B-1");
  // As of before it was recorded there is none.
  auto before = reg_.LoadProposals(*Date::Parse("2019-12-31"));
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->empty());
}

TEST_F(IdentificationTest, ProposalIdsAreUnique) {
  auto s = Rec(PersonEv(2, "person.identification_proposed", "2020-01-02",
                        {{"proposal", "7"}, {"date", "2020-01-01"}}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kAlreadyExists);
  EXPECT_NE(s.error().message.find("proposal 7 already exists"), std::string::npos);
}

TEST_F(IdentificationTest, ConfirmationNamesAProposalOfTheSamePerson) {
  auto none = Rec(PersonEv(1, "person.identified", "2020-01-02", {{"date", "2020-01-01"}}));
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("only by confirming a proposal"), std::string::npos);
  auto unknown = Rec(PersonEv(1, "person.identified", "2020-01-02",
                              {{"date", "2020-01-01"}, {"proposal", "8"}}, "checked"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto other = Rec(PersonEv(2, "person.identified", "2020-01-02",
                            {{"date", "2020-01-01"}, {"proposal", "7"}}, "checked"));
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("proposal 7 is for person 1"), std::string::npos);
  auto no_reason = Rec(PersonEv(1, "person.identified", "2020-01-02",
                                {{"date", "2019-12-30"}, {"proposal", "7"}}, ""));
  ASSERT_FALSE(no_reason);
  EXPECT_NE(no_reason.error().message.find("needs a reason"), std::string::npos);
  ASSERT_TRUE(Rec(PersonEv(1, "person.identified", "2020-01-02",
                           {{"date", "2019-12-30"}, {"proposal", "7"}}, "checked")));
  auto p = store_.FindPerson(PersonId{1}, std::nullopt);
  EXPECT_EQ((*p)->status, CaseStatus::kIdentified);
  EXPECT_EQ(reg_.LoadProposals(std::nullopt)->at(7).status, ProposalStatus::kConfirmed);
}

TEST_F(IdentificationTest, RejectionNeedsAReasonAndClosesTheProposal) {
  auto no_reason =
      Rec(PersonEv(1, "person.identification_rejected", "2020-01-02", {{"proposal", "7"}}, ""));
  ASSERT_FALSE(no_reason);
  ASSERT_TRUE(Rec(PersonEv(1, "person.identification_rejected", "2020-01-02", {{"proposal", "7"}},
                           "sample swap")));
  EXPECT_EQ(reg_.LoadProposals(std::nullopt)->at(7).status, ProposalStatus::kRejected);
  auto later = Rec(PersonEv(1, "person.identified", "2020-01-03",
                            {{"date", "2019-12-30"}, {"proposal", "7"}}, "checked"));
  ASSERT_FALSE(later);
  EXPECT_NE(later.error().message.find("already rejected"), std::string::npos);
  EXPECT_EQ((*store_.FindPerson(PersonId{1}, std::nullopt))->status, CaseStatus::kOpen);
}

TEST_F(IdentificationTest, NotificationOnlyOfAConfirmedIdentification) {
  auto n = Rec(PersonEv(1, "person.family_notified", "2020-01-02", {{"date", "2020-01-02"}}));
  ASSERT_FALSE(n);
  EXPECT_NE(n.error().message.find("proposal 7 is not confirmed"), std::string::npos);
}

TEST_F(IdentificationTest, BatchChecksProposalsAsItGrows) {
  // A proposal and its confirmation in one batch (as the demo records them).
  auto ok = reg_.RecordBatch({
      PersonEv(2, "person.identification_proposed", "2020-02-01",
               {{"proposal", "8"}, {"date", "2020-02-01"}}),
      PersonEv(2, "person.identified", "2020-02-01", {{"date", "2020-02-01"}, {"proposal", "8"}},
               "reviewed"),
  });
  ASSERT_TRUE(ok) << ok.error().ToString();
  auto twice = reg_.RecordBatch({PersonEv(2, "person.identified", "2020-02-02",
                                          {{"date", "2020-02-01"}, {"proposal", "8"}}, "again")});
  EXPECT_FALSE(twice);
}

TEST(RemainsProfileTest, OnlyForASampleOfTheRemains) {
  Snapshot snap;
  ASSERT_TRUE(ApplyToSnapshot(snap, Ev(EntityKind::kRemains, 1, "remains.recovered", "2024-01-01",
                                       {{"label", "HB-1"}, {"holder", "Lab"}})));
  ASSERT_TRUE(ApplyToSnapshot(
      snap, Ev(EntityKind::kRemains, 1, "remains.sampled", "2024-01-02", {{"sample", "S-1"}})));
  auto bad = ApplyToSnapshot(snap, Ev(EntityKind::kRemains, 1, "remains.profile_recorded",
                                      "2024-01-03", {{"sample", "S-2"}, {"profile", "TH01=6/9"}}));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("no sample 'S-2'"), std::string::npos);
  ASSERT_TRUE(
      ApplyToSnapshot(snap, Ev(EntityKind::kRemains, 1, "remains.profile_recorded", "2024-01-03",
                               {{"sample", "S-1"}, {"profile", "TH01=6/9"}})));
  ASSERT_TRUE(
      ApplyToSnapshot(snap, Ev(EntityKind::kRemains, 1, "remains.profile_recorded", "2024-01-04",
                               {{"sample", "S-1"}, {"profile", "TH01=6/6"}})));
  const SampleProfile& p = snap.remains.at(1).profiles.at("S-1");
  EXPECT_EQ(p.profile, "TH01=6/6");
  EXPECT_EQ(p.versions, 2);
}

}  // namespace
}  // namespace whereabouts::registry
