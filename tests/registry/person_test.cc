#include "registry/person.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "registry/test_util.h"

namespace whereabouts::registry {
namespace {

using testing::PersonEv;

Person Registered(Fields f = {}) {
  Fields base{{"family_name", "Tanoveli"},
              {"given_name", "Karek"},
              {"sex", "male"},
              {"birth_date", "1960-05-01"},
              {"disappearance_date", "1993-04-02"}};
  for (auto& [k, v] : f) base[k] = v;
  auto p = ApplyPersonEvent(std::nullopt, PersonEv(1, "person.registered", "1994-01-01", base));
  EXPECT_TRUE(p.has_value()) << p.error().ToString();
  return *p;
}

Result<Person> Apply(const Person& p, const char* type, const char* on, Fields f = {},
                     std::string reason = "test") {
  return ApplyPersonEvent(p, PersonEv(1, type, on, std::move(f), std::move(reason)));
}

TEST(DateTest, ParsesAndFormats) {
  auto d = Date::Parse("2020-02-29");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->ToString(), "2020-02-29");
  EXPECT_FALSE(Date::Parse("2019-02-29"));
  EXPECT_FALSE(Date::Parse("2019-13-01"));
  EXPECT_FALSE(Date::Parse("20190101"));
  EXPECT_EQ(AgeInYears(*Date::Parse("1960-05-01"), *Date::Parse("2020-04-30")), 59);
  EXPECT_EQ(AgeInYears(*Date::Parse("1960-05-01"), *Date::Parse("2020-05-01")), 60);
}

RC_GTEST_PROP(DateProperty, RoundTripsThroughText, ()) {
  const int days = *rc::gen::inRange(-200000, 200000);
  const Date d{days};
  const auto back = Date::Parse(d.ToString());
  RC_ASSERT(back.has_value());
  RC_ASSERT(back->days == days);
}

TEST(PersonTest, RegistrationNeedsAName) {
  auto p = ApplyPersonEvent(std::nullopt,
                            PersonEv(1, "person.registered", "1994-01-01", {{"sex", "male"}}));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(p.error().field.find("family_name"), std::string::npos);
}

TEST(PersonTest, RejectsUnknownFieldsAndValues) {
  auto p = ApplyPersonEvent(std::nullopt, PersonEv(1, "person.registered", "1994-01-01",
                                                   {{"family_name", "X"}, {"colour", "red"}}));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().code, ErrorCode::kInvalidArgument);
  auto q = ApplyPersonEvent(std::nullopt, PersonEv(1, "person.registered", "1994-01-01",
                                                   {{"family_name", "X"}, {"sex", "m"}}));
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().message.find("unknown sex"), std::string::npos);
}

TEST(PersonTest, DeathBeforeBirthIsRefused) {
  Person p = Registered();
  auto r = Apply(p, "person.reported_dead", "1995-01-01", {{"death_date", "1959-12-31"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(r.error().message.find("before the date of birth"), std::string::npos);
  EXPECT_TRUE(Apply(p, "person.reported_dead", "1995-01-01", {{"death_date", "1993-05-01"}}));
}

TEST(PersonTest, DisappearanceBeforeBirthIsRefused) {
  Person p = Registered();
  auto r = Apply(p, "person.corrected", "1995-01-01", {{"birth_date", "1994-01-01"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field.find("disappearance_date") != std::string::npos, true);
}

TEST(PersonTest, IcrcVisitNeedsCapture) {
  Person p = Registered();
  auto r = Apply(p, "person.icrc_visited", "1995-01-01", {{"date", "1994-06-01"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("capture"), std::string::npos);
  auto c = Apply(p, "person.captured", "1995-01-01",
                 {{"capture", "prisoner_of_war"}, {"capture_date", "1993-04-02"}});
  ASSERT_TRUE(c) << c.error().ToString();
  auto v = Apply(*c, "person.icrc_visited", "1995-02-01", {{"date", "1993-03-01"}});
  ASSERT_FALSE(v);  // before the capture
  v = Apply(*c, "person.icrc_visited", "1995-02-01", {{"date", "1993-06-01"}});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->icrc_visits, 1);
  // Death before the visit at which the person was seen alive.
  auto d = Apply(*v, "person.reported_dead", "1996-01-01", {{"death_date", "1993-05-01"}});
  ASSERT_FALSE(d);
}

TEST(PersonTest, BodyReturnNeedsReportedDeath) {
  Person p = Registered();
  auto r = Apply(p, "person.body_returned", "1995-01-01", {{"date", "1995-01-01"}});
  ASSERT_FALSE(r);
  auto d = Apply(p, "person.reported_dead", "1995-01-01", {{"death_date", "1993-05-01"}});
  ASSERT_TRUE(d);
  EXPECT_EQ(d->body, BodyStatus::kNotReturned);
  auto b = Apply(*d, "person.body_returned", "1996-01-01", {{"date", "1996-01-01"}});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->body, BodyStatus::kReturned);
  EXPECT_FALSE(Apply(*b, "person.body_returned", "1996-02-01", {{"date", "1996-02-01"}}));
}

TEST(PersonTest, HistoryIsOnlyAppended) {
  Person p = Registered();
  auto c = Apply(p, "person.corrected", "1993-12-31", {{"given_name", "Karik"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("history is only appended"), std::string::npos);
}

TEST(PersonTest, MergedRecordTakesNoEvents) {
  Person p = Registered();
  auto m = Apply(p, "person.merged_into", "1995-01-01", {{"into", "7"}});
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->Counted());
  auto c = Apply(*m, "person.corrected", "1995-02-01", {{"given_name", "Karik"}});
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("merged into person 7"), std::string::npos);
  EXPECT_FALSE(Apply(p, "person.merged_into", "1995-01-01", {{"into", "1"}}));
}

TEST(PersonTest, WithdrawalNeedsReason) {
  Person p = Registered();
  EXPECT_FALSE(Apply(p, "person.withdrawn", "1995-01-01", {}, ""));
  auto w = Apply(p, "person.withdrawn", "1995-01-01", {}, "registered in error");
  ASSERT_TRUE(w);
  EXPECT_FALSE(w->Counted());
}

TEST(PersonTest, NotificationNeedsIdentification) {
  Person p = Registered();
  EXPECT_FALSE(Apply(p, "person.family_notified", "1995-01-01", {{"date", "1995-01-01"}}));
  auto i = Apply(p, "person.identified", "1995-01-01", {{"date", "1995-01-01"}, {"site", "3"}});
  ASSERT_TRUE(i);
  EXPECT_EQ(i->identified_site, 3);
  EXPECT_FALSE(Apply(*i, "person.family_notified", "1995-02-01", {{"date", "1994-12-01"}}));
  EXPECT_TRUE(Apply(*i, "person.family_notified", "1995-02-01", {{"date", "1995-02-01"}}));
  EXPECT_FALSE(Apply(*i, "person.found_alive", "1995-02-01"));
}

TEST(PersonTest, CivilianHasNoUnit) {
  auto p = ApplyPersonEvent(std::nullopt, PersonEv(1, "person.registered", "1994-01-01",
                                                   {{"family_name", "X"}, {"unit", "Unit 5"}}));
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().field.find("unit") != std::string::npos, true);
}

TEST(CategoryTest, DerivesFromAgeAtDisappearanceWithConfigurableLimits) {
  Person p = Registered({{"birth_date", "1976-04-03"}, {"sex", "female"}});  // 16 at 1993-04-02
  EXPECT_EQ(CategoryOf(p, AgeLimits{}), AgeCategory::kChild);
  EXPECT_EQ(CategoryOf(p, AgeLimits{16, 60}), AgeCategory::kWoman);
  Person e = Registered({{"birth_date", "1933-04-02"}});  // exactly 60
  EXPECT_EQ(CategoryOf(e, AgeLimits{}), AgeCategory::kElderly);
  Person m = Registered({{"birth_date", "1933-04-03"}, {"sex", "male"}});  // 59
  EXPECT_EQ(CategoryOf(m, AgeLimits{}), AgeCategory::kMan);
  EXPECT_EQ(CategoryOf(m, AgeLimits{18, 59}), AgeCategory::kElderly);
  // An adult of unknown sex is neither a man nor a woman.
  Person x = Registered({{"birth_date", "1933-04-03"}, {"sex", ""}});
  EXPECT_EQ(CategoryOf(x, AgeLimits{}), AgeCategory::kSexUnknown);
  EXPECT_EQ(Name(AgeCategory::kSexUnknown), "sex_unknown");
}

TEST(CategoryTest, AgeRangeCountsOnlyWhenCertain) {
  // Born 1974..1976, disappeared 1993: aged 16..19, not certainly a child nor an adult: the
  // range straddles the limit and is not guessed.
  Person p = Registered({{"birth_date", ""},
                         {"birth_year_min", "1974"},
                         {"birth_year_max", "1976"},
                         {"sex", "male"}});
  EXPECT_EQ(CategoryOf(p, AgeLimits{}), AgeCategory::kAgeUnknown);
  Person c =
      Registered({{"birth_date", ""}, {"birth_year_min", "1980"}, {"birth_year_max", "1982"}});
  EXPECT_EQ(CategoryOf(c, AgeLimits{}), AgeCategory::kChild);
  Person a = Registered({{"birth_date", ""},
                         {"birth_year_min", "1960"},
                         {"birth_year_max", "1962"},
                         {"sex", "female"}});
  EXPECT_EQ(CategoryOf(a, AgeLimits{}), AgeCategory::kWoman);  // 30..33: certainly an adult
  // No age at all: not a woman by default.
  Person u = Registered({{"birth_date", ""}, {"sex", "female"}});
  EXPECT_EQ(CategoryOf(u, AgeLimits{}), AgeCategory::kAgeUnknown);
}

}  // namespace
}  // namespace whereabouts::registry
