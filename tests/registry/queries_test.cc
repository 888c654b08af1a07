// The targeted reads a server needs: a page of persons by name in any script, status and cursor;
// the relatives of one person; the proposals of one individual.
#include <gtest/gtest.h>

#include "registry/geometry.h"
#include "registry/registry.h"
#include "registry/test_util.h"
#include "store/memory_store.h"
#include "store/sqlite_store.h"
#include "store/temp_dir.h"

namespace whereabouts::registry {
namespace {

using testing::Ev;
using testing::PersonEv;

class QueriesTest : public ::testing::TestWithParam<bool> {  // true: SQLite, false: memory
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto s = store::SqliteStore::Open(dir_.File("q.db"));
      ASSERT_TRUE(s) << s.error().ToString();
      sqlite_ = std::move(*s);
      store_ = sqlite_.get();
    } else {
      store_ = &memory_;
    }
    reg_ = std::make_unique<Registry>(*store_, geometry_, LegacyHistory{});
    const char* names[][2] = {{"Харатян", "Анна"}, {"Velani", "Tomas"},   {"Kharatian", "Arman"},
                              {"Morsa", "Lina"},   {"Խարատյան", "Գոհար"}, {"Tarn", "Ilo"}};
    std::vector<Event> batch;
    for (const auto& n : names) {
      batch.push_back(PersonEv(0, "person.registered", "2020-01-01",
                               {{"family_name", n[0]}, {"given_name", n[1]}}));
    }
    batch.push_back(PersonEv(4, "person.withdrawn", "2020-01-02"));
    for (int i = 0; i < 3; ++i) {
      batch.push_back(Ev(EntityKind::kRelative, 0, "relative.registered", "2020-01-03",
                         {{"person", i < 2 ? "1" : "2"},
                          {"name", "R" + std::to_string(i)},
                          {"relationship", "sibling"}}));
    }
    batch.push_back(Ev(EntityKind::kRelative, 1, "relative.consent_changed", "2020-01-04",
                       {{"consent", "identification"}}));
    batch.push_back(PersonEv(
        2, "person.identification_proposed", "2020-01-05",
        {{"proposal", "1"}, {"individual", "I-1"}, {"remains", "B-1"}, {"date", "2020-01-05"}}));
    batch.push_back(PersonEv(
        3, "person.identification_proposed", "2020-01-05",
        {{"proposal", "2"}, {"individual", "I-2"}, {"remains", "B-2"}, {"date", "2020-01-05"}}));
    batch.push_back(PersonEv(2, "person.identification_rejected", "2020-01-06", {{"proposal", "1"}},
                             "sample swap"));
    auto stored = reg_->RecordBatch(std::move(batch));
    ASSERT_TRUE(stored) << stored.error().ToString();
  }
  whereabouts::testing::TempDir dir_;
  store::MemoryStore memory_;
  std::unique_ptr<store::SqliteStore> sqlite_;
  RegistryStore* store_ = nullptr;
  PlanarGeometry geometry_;
  std::unique_ptr<Registry> reg_;
};

std::vector<int64_t> Ids(const PersonPage& page) {
  std::vector<int64_t> out;
  for (const Person& p : page.persons) out.push_back(p.id.value);
  return out;
}

TEST_P(QueriesTest, ANameFindsItsSpellingsInEveryScript) {
  PersonQuery q;
  q.name = "Kharatyan";
  auto page = reg_->FindPersons(q);
  ASSERT_TRUE(page) << page.error().ToString();
  // Харатян (Cyrillic), Kharatian (Latin), Ղարաթյան (Armenian).
  EXPECT_EQ(Ids(*page), (std::vector<int64_t>{1, 3, 5}));
  q.name = "анна";  // a given name, in Cyrillic lower case
  page = reg_->FindPersons(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(Ids(*page), (std::vector<int64_t>{1}));
  q.name = "khar ann";  // beginnings of the family and the given name, in Latin
  page = reg_->FindPersons(q);
  ASSERT_TRUE(page);
  EXPECT_EQ(Ids(*page), (std::vector<int64_t>{1}));
  q.name = "Nobody";
  page = reg_->FindPersons(q);
  ASSERT_TRUE(page);
  EXPECT_TRUE(page->persons.empty());
  q.name = "--";
  EXPECT_FALSE(reg_->FindPersons(q));
}

TEST_P(QueriesTest, PagesFollowTheCursorAndFilterByStatus) {
  PersonQuery q;
  q.limit = 2;
  auto first = reg_->FindPersons(q);
  ASSERT_TRUE(first);
  EXPECT_EQ(Ids(*first), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(first->next_after, 2);
  q.after = first->next_after;
  auto second = reg_->FindPersons(q);
  ASSERT_TRUE(second);
  EXPECT_EQ(Ids(*second), (std::vector<int64_t>{3, 4}));
  q.after = 4;
  auto last = reg_->FindPersons(q);
  ASSERT_TRUE(last);
  EXPECT_EQ(Ids(*last), (std::vector<int64_t>{5, 6}));
  EXPECT_EQ(last->next_after, 0);  // no more
  PersonQuery withdrawn;
  withdrawn.status = CaseStatus::kWithdrawn;
  auto w = reg_->FindPersons(withdrawn);
  ASSERT_TRUE(w);
  EXPECT_EQ(Ids(*w), (std::vector<int64_t>{4}));
  withdrawn.limit = 0;
  EXPECT_FALSE(reg_->FindPersons(withdrawn));
  // As of before the registrations: nobody.
  PersonQuery before;
  before.as_of = AsOf{*Date::Parse("2019-12-31")};
  auto none = reg_->FindPersons(before);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->persons.empty());
}

TEST_P(QueriesTest, RelativesOfOnePerson) {
  auto rel = reg_->RelativesOf(PersonId{1}, std::nullopt);
  ASSERT_TRUE(rel) << rel.error().ToString();
  ASSERT_EQ(rel->size(), 2u);
  EXPECT_EQ((*rel)[0].name, "R0");
  EXPECT_EQ((*rel)[0].consent, "identification");  // its later event applied
  EXPECT_EQ((*rel)[1].name, "R1");
  auto other = reg_->RelativesOf(PersonId{2}, std::nullopt);
  ASSERT_TRUE(other);
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].name, "R2");
  auto then = reg_->RelativesOf(PersonId{1}, AsOf{*Date::Parse("2020-01-03")});
  ASSERT_TRUE(then);
  ASSERT_EQ(then->size(), 2u);
  EXPECT_NE((*then)[0].consent, "identification");
}

TEST_P(QueriesTest, ProposalsOfOneIndividual) {
  auto p = reg_->ProposalsOfIndividual("I-1", std::nullopt);
  ASSERT_TRUE(p) << p.error().ToString();
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(p->begin()->second.person.value, 2);
  EXPECT_EQ(p->begin()->second.status, ProposalStatus::kRejected);
  auto before = reg_->ProposalsOfIndividual("I-1", AsOf{*Date::Parse("2020-01-05")});
  ASSERT_TRUE(before);
  ASSERT_EQ(before->size(), 1u);
  EXPECT_EQ(before->begin()->second.status, ProposalStatus::kProposed);
  auto none = reg_->ProposalsOfIndividual("I-9", std::nullopt);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_P(QueriesTest, ProposalsOfOneIndividualCarryTheirSignOff) {
  Event confirm = PersonEv(3, "person.identified", "2020-01-07",
                           {{"proposal", "2"}, {"date", "2020-01-05"}}, "DNA");
  confirm.actor = "reviewer";
  ASSERT_TRUE(reg_->Record(confirm));
  Event sign = PersonEv(3, "person.identification_signed_off", "2020-01-08", {{"proposal", "2"}},
                        "file checked");
  sign.actor = "supervisor";
  auto signed_off = reg_->Record(sign);
  ASSERT_TRUE(signed_off) << signed_off.error().ToString();
  auto p = reg_->ProposalsOfIndividual("I-2", std::nullopt);
  ASSERT_TRUE(p) << p.error().ToString();
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(p->begin()->second.status, ProposalStatus::kConfirmed);
  EXPECT_EQ(p->begin()->second.signed_off_by, "supervisor");
  EXPECT_EQ(p->begin()->second.signed_off_on, *Date::Parse("2020-01-08"));
  auto before = reg_->ProposalsOfIndividual("I-2", AsOf{*Date::Parse("2020-01-07")});
  ASSERT_TRUE(before);
  EXPECT_TRUE(before->begin()->second.AwaitingSignOff());
}

INSTANTIATE_TEST_SUITE_P(Stores, QueriesTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "sqlite" : "memory"; });

}  // namespace
}  // namespace whereabouts::registry
