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

// Proposal 7 (proposed by "tester") confirmed by "reviewer" on 2020-01-02.
class SignOffTest : public IdentificationTest {
 protected:
  void SetUp() override {
    IdentificationTest::SetUp();
    ASSERT_TRUE(
        Rec(By("reviewer", PersonEv(1, "person.identified", "2020-01-02",
                                    {{"date", "2019-12-30"}, {"proposal", "7"}}, "checked"))));
  }
  static Event By(std::string actor, Event e) {
    e.actor = std::move(actor);
    return e;
  }
  static Event SignOff(const char* on, std::string actor, std::string proposal = "7",
                       int64_t person = 1, std::string reason = "file checked") {
    return By(std::move(actor), PersonEv(person, "person.identification_signed_off", on,
                                         {{"proposal", std::move(proposal)}}, std::move(reason)));
  }
  static Event Notified(const char* on) {
    return PersonEv(1, "person.family_notified", on, {{"date", on}});
  }
};

TEST_F(SignOffTest, NotByTheProposerNorTheConfirmer) {
  auto proposer = Rec(SignOff("2020-01-03", "tester"));
  ASSERT_FALSE(proposer);
  EXPECT_EQ(proposer.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(proposer.error().message.find("four-eyes rule: proposal 7 was proposed by the one who "
                                          "signs off; no one signs off their own proposal or "
                                          "confirmation"),
            std::string::npos)
      << proposer.error().message;
  EXPECT_EQ(proposer.error().message.find("tester"), std::string::npos);  // names no one
  // Names are compared ignoring case and surrounding blanks.
  auto confirmer = Rec(SignOff("2020-01-03", " Reviewer "));
  ASSERT_FALSE(confirmer);
  EXPECT_EQ(confirmer.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(confirmer.error().message.find("proposal 7 was confirmed by the one who signs off"),
            std::string::npos)
      << confirmer.error().message;
  EXPECT_FALSE(reg_.LoadProposals(std::nullopt)->at(7).SignedOff());
  ASSERT_TRUE(Rec(SignOff("2020-01-03", "supervisor")));
  const IdentificationProposal p = reg_.LoadProposals(std::nullopt)->at(7);
  EXPECT_EQ(p.status, ProposalStatus::kConfirmed);  // still confirmed: identified either way
  EXPECT_EQ(p.signed_off_on, *Date::Parse("2020-01-03"));
  EXPECT_EQ(p.signed_off_by, "supervisor");
  EXPECT_EQ(p.sign_off_reason, "file checked");
  EXPECT_EQ((*store_.FindPerson(PersonId{1}, std::nullopt))->status, CaseStatus::kIdentified);
}

TEST_F(SignOffTest, NeedsAReasonASignerAndAProposalOfThePerson) {
  auto no_reason = Rec(SignOff("2020-01-03", "supervisor", "7", 1, ""));
  ASSERT_FALSE(no_reason);
  EXPECT_NE(no_reason.error().message.find("needs a reason"), std::string::npos);
  auto no_signer = Rec(SignOff("2020-01-03", " "));
  ASSERT_FALSE(no_signer);
  EXPECT_NE(no_signer.error().message.find("needs the name of who signs off"), std::string::npos);
  auto none = Rec(SignOff("2020-01-03", "supervisor", ""));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
  auto unknown = Rec(SignOff("2020-01-03", "supervisor", "8"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto other = Rec(SignOff("2020-01-03", "supervisor", "7", 2));
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("proposal 7 is for person 1"), std::string::npos);
}

TEST_F(SignOffTest, OnlyAConfirmedProposalOnce) {
  ASSERT_TRUE(Rec(PersonEv(2, "person.identification_proposed", "2020-01-03",
                           {{"proposal", "8"}, {"date", "2020-01-01"}})));
  auto proposed = Rec(SignOff("2020-01-03", "supervisor", "8", 2));
  ASSERT_FALSE(proposed);
  EXPECT_EQ(proposed.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(proposed.error().message.find(
                "proposal 8 is proposed; only a confirmed identification is signed off"),
            std::string::npos)
      << proposed.error().message;
  ASSERT_TRUE(Rec(By("reviewer", PersonEv(2, "person.identification_rejected", "2020-01-03",
                                          {{"proposal", "8"}}, "sample swap"))));
  auto rejected = Rec(SignOff("2020-01-03", "supervisor", "8", 2));
  ASSERT_FALSE(rejected);
  EXPECT_NE(rejected.error().message.find("proposal 8 is rejected"), std::string::npos)
      << rejected.error().message;
  ASSERT_TRUE(Rec(SignOff("2020-01-04", "supervisor")));
  auto twice = Rec(SignOff("2020-01-05", "another"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(twice.error().message.find("proposal 7 was already signed off on 2020-01-04"),
            std::string::npos)
      << twice.error().message;
}

TEST_F(SignOffTest, NotificationOnlyAfterTheSignOff) {
  auto before = Rec(Notified("2020-01-03"));
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(before.error().message.find("notified only of a signed-off identification; proposal 7 "
                                        "is confirmed and awaits its sign-off"),
            std::string::npos)
      << before.error().message;
  EXPECT_FALSE((*store_.FindPerson(PersonId{1}, std::nullopt))->family_notified_on);
  ASSERT_TRUE(Rec(SignOff("2020-01-04", "supervisor")));
  ASSERT_TRUE(Rec(Notified("2020-01-05")));
  EXPECT_EQ((*store_.FindPerson(PersonId{1}, std::nullopt))->family_notified_on,
            *Date::Parse("2020-01-05"));
}

TEST_F(SignOffTest, BatchChecksSignOffAndNotificationAsItGrows) {
  auto unsigned_batch = reg_.RecordBatch({Notified("2020-01-03")});
  ASSERT_FALSE(unsigned_batch);
  EXPECT_NE(unsigned_batch.error().message.find("proposal 7 is confirmed and awaits its sign-off"),
            std::string::npos)
      << unsigned_batch.error().message;
  auto own = reg_.RecordBatch({SignOff("2020-01-03", "reviewer"), Notified("2020-01-03")});
  EXPECT_FALSE(own);
  auto ok = reg_.RecordBatch({SignOff("2020-01-03", "supervisor"), Notified("2020-01-03")});
  ASSERT_TRUE(ok) << ok.error().ToString();
}

TEST_F(SignOffTest, AsOfShowsTheSignOffFromItsRecordingDateOn) {
  ASSERT_TRUE(Rec(SignOff("2020-03-01", "supervisor")));
  auto before = reg_.LoadProposals(*Date::Parse("2020-02-29"));
  ASSERT_TRUE(before);
  ASSERT_EQ(before->count(7), 1u);
  EXPECT_EQ(before->at(7).status, ProposalStatus::kConfirmed);
  EXPECT_FALSE(before->at(7).SignedOff());
  EXPECT_TRUE(before->at(7).AwaitingSignOff());
  EXPECT_TRUE(before->at(7).signed_off_by.empty());
  auto on = reg_.LoadProposals(*Date::Parse("2020-03-01"));
  ASSERT_TRUE(on);
  EXPECT_EQ(on->at(7).signed_off_on, *Date::Parse("2020-03-01"));
  EXPECT_EQ(on->at(7).signed_off_by, "supervisor");
}

// An identification recorded before proposals existed (a history replayed as it was recorded,
// no rule applied) names no proposal: the family's notification needs no sign-off.
TEST(LegacyIdentificationTest, NotificationWithoutAProposalNeedsNoSignOff) {
  store::MemoryStore store;
  PlanarGeometry geometry;
  Registry reg{store, geometry, LegacyHistory{}};
  ASSERT_TRUE(store.Append({
      PersonEv(1, "person.registered", "2000-01-01", {{"family_name", "Velani"}}),
      PersonEv(1, "person.identified", "2010-01-01", {{"date", "2010-01-01"}}),
  }));
  auto one =
      reg.Record(PersonEv(1, "person.family_notified", "2010-02-01", {{"date", "2010-02-01"}}));
  ASSERT_TRUE(one) << one.error().ToString();
  // An old history with a confirmed proposal and a notification without sign-off replays as it
  // was recorded.
  ASSERT_TRUE(store.Append({
      PersonEv(2, "person.registered", "2011-01-01", {{"family_name", "Morsa"}}),
      PersonEv(2, "person.identification_proposed", "2011-02-01",
               {{"proposal", "1"}, {"date", "2011-02-01"}}),
      PersonEv(2, "person.identified", "2011-02-01", {{"date", "2011-02-01"}, {"proposal", "1"}}),
      PersonEv(2, "person.family_notified", "2011-03-01", {{"date", "2011-03-01"}}),
  }));
  auto proposals = reg.LoadProposals(std::nullopt);
  ASSERT_TRUE(proposals);
  EXPECT_EQ(proposals->at(1).status, ProposalStatus::kConfirmed);
  EXPECT_FALSE(proposals->at(1).SignedOff());
  EXPECT_EQ((*store.FindPerson(PersonId{2}, std::nullopt))->family_notified_on,
            *Date::Parse("2011-03-01"));
  auto snap = reg.LoadSnapshot(std::nullopt);
  ASSERT_TRUE(snap) << snap.error().ToString();
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
