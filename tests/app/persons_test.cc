// The person use cases on the in-memory register: registration, changes with expected versions,
// merges, relatives, reads as of a date, lists and duplicates.
#include "app/persons.h"

#include <gtest/gtest.h>

#include "app_test_util.h"

namespace whereabouts::app {
namespace {

using registry::CaseStatus;
using registry::PersonId;
using testing::D;

class PersonsTest : public testing::AppTest {
 protected:
  int64_t Register(std::string family, std::string given = "", std::string key = "") {
    PersonDetails d;
    d.family_name = std::move(family);
    d.given_name = std::move(given);
    d.sex = registry::Sex::kMale;
    d.birth_date = D("1970-02-02");
    auto r = RegisterPerson(registry_, {Meta("clerk", "family", std::move(key)), d});
    EXPECT_TRUE(r) << r.error().ToString();
    return r ? r->id : 0;
  }
};

TEST_F(PersonsTest, RegisterRecordsTheDetailsOnTheClocksDate) {
  PersonDetails d;
  d.family_name = "Velani";
  d.given_name = "Tomas";
  d.other_names = {"Велани", "Velany"};
  d.sex = registry::Sex::kMale;
  d.birth_date = D("1970-02-02");
  d.affiliation = registry::Affiliation::kServiceman;
  d.unit = "Unit 7";
  d.disappearance_date = D("1993-05-01");
  auto r = RegisterPerson(registry_, {Meta(), d});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->id, 1);
  auto v = GetPerson(store_, {PersonId{r->id}, std::nullopt, /*with_history=*/true});
  ASSERT_TRUE(v) << v.error().ToString();
  EXPECT_EQ(v->person.family_name, "Velani");
  EXPECT_EQ(v->person.other_names, (std::vector<std::string>{"Велани", "Velany"}));
  EXPECT_EQ(v->person.affiliation, registry::Affiliation::kServiceman);
  EXPECT_EQ(v->person.unit, "Unit 7");
  EXPECT_EQ(v->person.registered_on, D("2024-05-01"));
  EXPECT_EQ(v->version, r->seq);
  ASSERT_EQ(v->history.size(), 1u);
  EXPECT_EQ(v->history[0].type, "person.registered");
  EXPECT_EQ(v->history[0].actor, "clerk");
}

TEST_F(PersonsTest, RegisterRefusesWhatTheRulesRefuse) {
  PersonDetails nameless;
  nameless.sex = registry::Sex::kFemale;
  auto r = RegisterPerson(registry_, {Meta(), nameless});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  PersonDetails civilian_unit;
  civilian_unit.family_name = "X";
  civilian_unit.affiliation = registry::Affiliation::kCivilian;
  civilian_unit.unit = "Unit 5";
  EXPECT_FALSE(RegisterPerson(registry_, {Meta(), civilian_unit}));
  EXPECT_EQ(Events(), 0);
}

TEST_F(PersonsTest, ARetriedRegistrationWithTheSameKeyRecordsNothing) {
  const int64_t a = Register("Velani", "", "req-1");
  const int64_t b = Register("Velani", "", "req-1");
  EXPECT_EQ(a, b);
  EXPECT_EQ(Events(), 1);
}

TEST_F(PersonsTest, UpdateChecksTheExpectedVersionAndTheRules) {
  const int64_t id = Register("Velani");
  auto v = GetPerson(store_, {PersonId{id}, std::nullopt, false});
  ASSERT_TRUE(v);
  UpdatePersonRequest captured{Meta(),
                               PersonId{id},
                               "captured",
                               {{"capture", "prisoner_of_war"}, {"capture_date", "1993-05-01"}},
                               v->version};
  auto u = UpdatePerson(registry_, captured);
  ASSERT_TRUE(u) << u.error().ToString();
  EXPECT_EQ(u->type, "person.captured");
  // Based on the old version: someone changed the record since.
  UpdatePersonRequest stale{
      Meta(), PersonId{id}, "corrected", {{"given_name", "Toma"}}, v->version};
  auto s = UpdatePerson(registry_, stale);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  stale.expected_version = u->seq;
  EXPECT_TRUE(UpdatePerson(registry_, stale));
  // Death before birth.
  auto dead = UpdatePerson(
      registry_,
      {Meta(), PersonId{id}, "reported_dead", {{"death_date", "1969-01-01"}}, std::nullopt});
  ASSERT_FALSE(dead);
  EXPECT_EQ(dead.error().code, ErrorCode::kFailedPrecondition);
  // Registration and merge are their own use cases.
  auto reg = UpdatePerson(registry_, {Meta(), PersonId{id}, "registered", {}, std::nullopt});
  ASSERT_FALSE(reg);
  EXPECT_EQ(reg.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(reg.error().field, "change");
  EXPECT_FALSE(UpdatePerson(registry_,
                            {Meta(), PersonId{id}, "merged_into", {{"into", "1"}}, std::nullopt}));
  auto p = GetPerson(store_, {PersonId{id}, std::nullopt, false});
  EXPECT_EQ(p->person.given_name, "Toma");
  EXPECT_FALSE(p->person.reported_dead);
  EXPECT_EQ(Events(), 3);
}

TEST_F(PersonsTest, MergeKeepsBothHistoriesAndRefusesAMergedTarget) {
  const int64_t keep = Register("Velani", "Tomas");
  const int64_t dup = Register("Velany", "Tomas");
  const int64_t third = Register("Morsa");
  auto m = MergePersons(registry_, {Meta("clerk", ""), PersonId{keep}, PersonId{dup}});
  ASSERT_TRUE(m) << m.error().ToString();
  auto v = GetPerson(store_, {PersonId{dup}, std::nullopt, true});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->person.status, CaseStatus::kMerged);
  EXPECT_EQ(v->person.merged_into, keep);
  EXPECT_EQ(v->history.back().reason, "duplicate of person 1");
  // Into a merged record: refused.
  auto into_merged = MergePersons(registry_, {Meta(), PersonId{dup}, PersonId{third}});
  ASSERT_FALSE(into_merged);
  EXPECT_EQ(into_merged.error().code, ErrorCode::kFailedPrecondition);
  auto into_nobody = MergePersons(registry_, {Meta(), PersonId{99}, PersonId{third}});
  ASSERT_FALSE(into_nobody);
  EXPECT_EQ(into_nobody.error().code, ErrorCode::kNotFound);
}

TEST_F(PersonsTest, RelativesOfAnExistingPersonWithTheirConsent) {
  const int64_t id = Register("Velani");
  AddRelativeRequest req{Meta(),   PersonId{99}, "Velani Ana",
                         "mother", "REF-1",      Consent::kIdentificationAndCourt};
  auto none = AddRelative(registry_, req);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
  req.person = PersonId{id};
  req.name = "";
  auto nameless = AddRelative(registry_, req);
  ASSERT_FALSE(nameless);
  EXPECT_EQ(nameless.error().code, ErrorCode::kInvalidArgument);
  req.name = "Velani Ana";
  auto r = AddRelative(registry_, req);
  ASSERT_TRUE(r) << r.error().ToString();
  auto list = ListRelatives(registry_, PersonId{id});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, r->id);
  EXPECT_EQ((*list)[0].consent, "identification_and_court");
  EXPECT_EQ((*list)[0].sample, "REF-1");
  EXPECT_TRUE(ListRelatives(registry_, PersonId{99})->empty());
  EXPECT_EQ(ParseConsent("always").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*ParseConsent("none"), Consent::kNone);
}

TEST_F(PersonsTest, GetPersonAsOfADate) {
  const int64_t id = Register("Velani");
  clock_.Set(D("2024-06-01"));
  ASSERT_TRUE(UpdatePerson(
      registry_, {Meta(), PersonId{id}, "corrected", {{"given_name", "Tomas"}}, std::nullopt}));
  auto before = GetPerson(store_, {PersonId{id}, D("2024-04-30"), false});
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(before.error().message, "no person 1 as of 2024-04-30");
  auto then = GetPerson(store_, {PersonId{id}, D("2024-05-15"), true});
  ASSERT_TRUE(then);
  EXPECT_EQ(then->person.given_name, "");
  EXPECT_EQ(then->history.size(), 1u);
  auto now = GetPerson(store_, {PersonId{id}, std::nullopt, true});
  EXPECT_EQ(now->person.given_name, "Tomas");
  EXPECT_EQ(now->history.size(), 2u);
  EXPECT_EQ(now->version, now->history.back().seq);
}

TEST_F(PersonsTest, ListFiltersByStatusAndLimits) {
  Register("A");
  const int64_t b = Register("B");
  Register("C");
  ASSERT_TRUE(UpdatePerson(
      registry_, {Meta("clerk", "registered twice"), PersonId{b}, "withdrawn", {}, std::nullopt}));
  auto all = ListPersons(store_, {});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 3u);
  auto open = ListPersons(store_, {std::nullopt, CaseStatus::kOpen, 0});
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].family_name, "A");
  EXPECT_EQ((*open)[1].family_name, "C");
  auto one = ListPersons(store_, {std::nullopt, std::nullopt, 1});
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].family_name, "A");
  EXPECT_TRUE(ListPersons(store_, {D("2024-04-30"), std::nullopt, 0})->empty());
}

TEST_F(PersonsTest, DuplicatesComeWithBothRecords) {
  Register("Velani", "Tomas");
  Register("Morsa", "Lina");
  Register("Velani", "Tomas");
  auto pairs = FindDuplicates(store_, {std::nullopt, 0.8});
  ASSERT_TRUE(pairs);
  ASSERT_EQ(pairs->size(), 1u);
  const DuplicatePair& p = (*pairs)[0];
  EXPECT_EQ(p.suggestion.a.value, 1);
  EXPECT_EQ(p.suggestion.b.value, 3);
  EXPECT_EQ(p.a.id.value, 1);
  EXPECT_EQ(p.b.id.value, 3);
  EXPECT_EQ(p.b.FullName(), "Velani Tomas");
  EXPECT_TRUE(FindDuplicates(store_, {D("2024-04-30"), 0.8})->empty());
}

}  // namespace
}  // namespace whereabouts::app
