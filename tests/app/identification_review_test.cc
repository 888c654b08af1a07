// The review of identifications on the in-memory register: proposals by hand, confirmation and
// rejection with their rules, lists; and that the register's messages name no command and no
// decision maker.
#include "app/identification_review.h"

#include <gtest/gtest.h>

#include "app/persons.h"
#include "app_test_util.h"

namespace whereabouts::app {
namespace {

using registry::CaseStatus;
using registry::PersonId;
using registry::ProposalStatus;
using testing::D;

class IdentificationReviewTest : public testing::AppTest {
 protected:
  void SetUp() override {
    for (const char* name : {"Velani", "Morsa", "Tulan"}) {
      PersonDetails d;
      d.family_name = name;
      ASSERT_TRUE(RegisterPerson(registry_, {Meta(), d}));
    }
  }
  Result<ProposedIdentification> Propose(int64_t person, std::optional<registry::Date> date = {}) {
    return ProposeIdentification(
        registry_, {Meta("clerk", "lab report"), PersonId{person}, date, 0, "B-7|B-9"});
  }
  DecideIdentificationRequest Decision(int64_t proposal, std::string by = "reviewer",
                                       std::string why = "DNA and dental records agree") {
    return {Meta(std::move(by), std::move(why)), proposal, false};
  }
  registry::Person Person(int64_t id) {
    auto v = GetPerson(store_, {PersonId{id}, std::nullopt, false});
    EXPECT_TRUE(v);
    return v ? v->person : registry::Person{};
  }
};

TEST_F(IdentificationReviewTest, ProposalsGetFreshIdsAndChangeNothing) {
  auto a = Propose(1);
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->proposal, 1);
  EXPECT_EQ(a->person.value, 1);
  auto b = Propose(2, D("2024-04-20"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->proposal, 2);
  EXPECT_EQ(Person(1).status, CaseStatus::kOpen);
  auto list = ListProposals(registry_, {});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  // No date given: the date it is recorded on (the register's clock).
  EXPECT_EQ((*list)[0].date, D("2024-05-01"));
  EXPECT_EQ((*list)[1].date, D("2024-04-20"));
  EXPECT_EQ((*list)[0].remains, "B-7|B-9");
  EXPECT_EQ((*list)[0].proposed_by, "clerk");
  auto none = Propose(99);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

TEST_F(IdentificationReviewTest, ConfirmationIdentifiesOnceWithWhoAndWhy) {
  ASSERT_TRUE(Propose(1, D("2024-04-20")));
  auto unknown = ConfirmIdentification(registry_, Decision(7));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto no_reason = ConfirmIdentification(registry_, Decision(1, "reviewer", ""));
  ASSERT_FALSE(no_reason);
  EXPECT_EQ(no_reason.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Person(1).status, CaseStatus::kOpen);

  auto c = ConfirmIdentification(registry_, Decision(1));
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_EQ(c->proposal, 1);
  EXPECT_EQ(c->person.value, 1);
  EXPECT_EQ(c->status, ProposalStatus::kConfirmed);
  EXPECT_EQ(c->decided_by, "reviewer");
  const registry::Person p = Person(1);
  EXPECT_EQ(p.status, CaseStatus::kIdentified);
  EXPECT_EQ(p.identified_on, D("2024-04-20"));  // the proposal's date
  EXPECT_EQ(p.identified_remains, "B-7|B-9");

  // Once only; the register's message names no one (the adapter may add who decided).
  auto twice = ConfirmIdentification(registry_, Decision(1, "other", "again"));
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(twice.error().message.find("proposal 1 was already confirmed on 2024-05-01"),
            std::string::npos)
      << twice.error().message;
  EXPECT_EQ(twice.error().message.find("reviewer"), std::string::npos) << twice.error().message;
}

TEST_F(IdentificationReviewTest, RejectionKeepsTheCaseOpen) {
  ASSERT_TRUE(Propose(2));
  auto r = RejectIdentification(registry_, Decision(1, "reviewer", "sample swap"));
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->status, ProposalStatus::kRejected);
  EXPECT_EQ(r->person.value, 2);
  EXPECT_EQ(Person(2).status, CaseStatus::kOpen);
  auto c = ConfirmIdentification(registry_, Decision(1));
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("already rejected"), std::string::npos);
  auto rejected = ListProposals(registry_, {std::nullopt, ProposalStatus::kRejected, std::nullopt});
  ASSERT_EQ(rejected->size(), 1u);
  EXPECT_EQ((*rejected)[0].decided_by, "reviewer");
  EXPECT_EQ((*rejected)[0].decision_reason, "sample swap");
}

TEST_F(IdentificationReviewTest, AnAmbiguousProposalNeedsItsAmbiguityResolved) {
  registry::Event e;
  e.kind = registry::EntityKind::kPerson;
  e.type = "person.identification_proposed";
  e.entity_id = 3;
  e.actor = "identify";
  e.payload = {{"date", "2024-04-01"},
               {"ambiguous", "yes"},
               {"candidates", "person 2 (family F1); person 3 (family F1)"}};
  ASSERT_TRUE(registry_.Record(e));
  auto plain = ConfirmIdentification(registry_, Decision(1));
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(plain.error().message.find("proposal 1 is ambiguous"), std::string::npos);
  EXPECT_EQ(plain.error().message.find("--"), std::string::npos) << plain.error().message;
  DecideIdentificationRequest resolved = Decision(1, "reviewer", "dental records");
  resolved.ambiguity_resolved = true;
  ASSERT_TRUE(ConfirmIdentification(registry_, resolved));
  EXPECT_EQ(Person(3).status, CaseStatus::kIdentified);
}

TEST_F(IdentificationReviewTest, NoNotificationBeforeAConfirmationAndNoCommandInTheMessage) {
  ASSERT_TRUE(Propose(1));
  auto n = UpdatePerson(
      registry_, {Meta(), PersonId{1}, "family_notified", {{"date", "2024-05-01"}}, std::nullopt});
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(n.error().message.find("proposal 1 is not confirmed"), std::string::npos);
  EXPECT_EQ(n.error().message.find("whereabouts"), std::string::npos) << n.error().message;
  // An identification by hand, without a proposal: refused, naming no command either.
  auto i = UpdatePerson(
      registry_, {Meta(), PersonId{2}, "identified", {{"date", "2024-05-01"}}, std::nullopt});
  ASSERT_FALSE(i);
  EXPECT_EQ(i.error().message, "an identification is recorded only by confirming a proposal");
  ASSERT_TRUE(ConfirmIdentification(registry_, Decision(1)));
  // Confirmed, not yet signed off (four-eyes rule): still refused, naming no command.
  n = UpdatePerson(
      registry_, {Meta(), PersonId{1}, "family_notified", {{"date", "2024-05-01"}}, std::nullopt});
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(n.error().message.find("proposal 1 is confirmed and awaits its sign-off"),
            std::string::npos)
      << n.error().message;
  EXPECT_EQ(n.error().message.find("whereabouts"), std::string::npos) << n.error().message;
  ASSERT_TRUE(SignOffIdentification(registry_, Decision(1, "supervisor", "file checked")));
  EXPECT_TRUE(UpdatePerson(
      registry_, {Meta(), PersonId{1}, "family_notified", {{"date", "2024-05-01"}}, std::nullopt}));
}

TEST_F(IdentificationReviewTest, SignOffByASecondPersonOnly) {
  ASSERT_TRUE(Propose(1));  // by clerk
  // Not before the confirmation.
  auto early = SignOffIdentification(registry_, Decision(1, "supervisor", "file checked"));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(early.error().message.find("proposal 1 is proposed"), std::string::npos);
  ASSERT_TRUE(ConfirmIdentification(registry_, Decision(1)));  // by reviewer
  for (const char* own : {"clerk", "reviewer"}) {
    auto s = SignOffIdentification(registry_, Decision(1, own, "file checked"));
    ASSERT_FALSE(s) << own;
    EXPECT_EQ(s.error().code, ErrorCode::kFailedPrecondition);
    EXPECT_NE(s.error().message.find("no one signs off their own proposal or confirmation"),
              std::string::npos)
        << s.error().message;
  }
  EXPECT_FALSE(SignOffIdentification(registry_, Decision(1, "supervisor", "")));  // no reason
  EXPECT_EQ(SignOffIdentification(registry_, Decision(9, "supervisor", "x")).error().code,
            ErrorCode::kNotFound);
  ListProposalsRequest waiting;
  waiting.awaiting_sign_off = true;
  ASSERT_EQ(ListProposals(registry_, waiting)->size(), 1u);
  auto s = SignOffIdentification(registry_, Decision(1, "supervisor", "file checked"));
  ASSERT_TRUE(s) << s.error().ToString();
  EXPECT_EQ(s->proposal, 1);
  EXPECT_EQ(s->person.value, 1);
  EXPECT_EQ(s->signed_off_by, "supervisor");
  EXPECT_GT(s->seq, 0);
  EXPECT_TRUE(ListProposals(registry_, waiting)->empty());
  auto found = FindProposal(registry_, 1);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->status, ProposalStatus::kConfirmed);
  EXPECT_EQ((*found)->signed_off_by, "supervisor");
  EXPECT_EQ((*found)->sign_off_reason, "file checked");
  EXPECT_EQ((*found)->signed_off_on, D("2024-05-01"));
  EXPECT_EQ(Person(1).status, CaseStatus::kIdentified);
  // Once only.
  auto twice = SignOffIdentification(registry_, Decision(1, "head", "again"));
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("proposal 1 was already signed off on 2024-05-01"),
            std::string::npos)
      << twice.error().message;
}

TEST_F(IdentificationReviewTest, SignOffIsIdempotentWithAKeyAndShownAsOfItsDate) {
  ASSERT_TRUE(Propose(1));
  ASSERT_TRUE(ConfirmIdentification(registry_, Decision(1)));
  clock_.Set(D("2024-06-01"));
  DecideIdentificationRequest req = Decision(1, "supervisor", "file checked");
  req.meta.idempotency_key = "sign-off-1";
  auto first = SignOffIdentification(registry_, req);
  ASSERT_TRUE(first) << first.error().ToString();
  auto again = SignOffIdentification(registry_, req);
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->seq, first->seq);
  auto before = ListProposals(registry_, {D("2024-05-31"), std::nullopt, std::nullopt});
  ASSERT_EQ(before->size(), 1u);
  EXPECT_FALSE((*before)[0].SignedOff());
  EXPECT_TRUE((*before)[0].signed_off_by.empty());
  auto after = ListProposals(registry_, {D("2024-06-01"), std::nullopt, std::nullopt});
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].signed_off_on, D("2024-06-01"));
}

TEST_F(IdentificationReviewTest, ListFiltersAndReadsAsOfADate) {
  ASSERT_TRUE(Propose(1));
  clock_.Set(D("2024-06-01"));
  ASSERT_TRUE(Propose(2));
  ASSERT_TRUE(ConfirmIdentification(registry_, Decision(2)));
  auto of_two = ListProposals(registry_, {std::nullopt, std::nullopt, PersonId{2}});
  ASSERT_EQ(of_two->size(), 1u);
  EXPECT_EQ((*of_two)[0].id, 2);
  EXPECT_EQ((*of_two)[0].status, ProposalStatus::kConfirmed);
  auto proposed = ListProposals(registry_, {std::nullopt, ProposalStatus::kProposed, std::nullopt});
  ASSERT_EQ(proposed->size(), 1u);
  EXPECT_EQ((*proposed)[0].id, 1);
  auto before = ListProposals(registry_, {D("2024-05-15"), std::nullopt, std::nullopt});
  ASSERT_EQ(before->size(), 1u);
  auto found = FindProposal(registry_, 2);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->decided_by, "reviewer");
  EXPECT_FALSE(*FindProposal(registry_, 9));
}

}  // namespace
}  // namespace whereabouts::app
