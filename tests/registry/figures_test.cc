// Figures as of dates, against a small history checked by hand.
#include "registry/figures.h"

#include <gtest/gtest.h>

#include "registry/geometry.h"
#include "registry/registry.h"
#include "registry/test_util.h"
#include "store/memory_store.h"

namespace whereabouts::registry {
namespace {

using testing::PersonEv;

// History (recording dates):
//  2000-01-10  P1 serviceman, born 1970                       registered
//  2000-01-10  P2 civilian woman, born 1960-06-01, disappeared 1993-05-01 (age 32: woman)
//  2000-02-01  P1 captured (prisoner of war)
//  2005-03-01  P3 civilian boy, born 1980-01-01, disappeared 1993-05-01 (age 13: child)
//  2005-03-01  P3 captured (hostage), ICRC visit 1993-08-01 recorded 2006-01-01
//  2010-07-07  P2 corrected: born 1930-01-01 (age 63: elderly)
//  2012-01-01  P3 reported dead (other party, "Ostrava Nova"), 2013-01-01 body returned
//  2014-01-01  P4 registered in error, withdrawn 2014-02-01
//  2015-05-05  P1 identified (site 0), 2015-06-01 family notified
Figures At(RegistryStore& store, const char* date) {
  auto persons = store.Persons(date ? AsOf{*Date::Parse(date)} : AsOf{});
  EXPECT_TRUE(persons);
  return ComputeFigures(*persons, Snapshot{}, AgeLimits{}, std::nullopt);
}

class FiguresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<Event> h = {
        PersonEv(1, "person.registered", "2000-01-10",
                 {{"family_name", "Velani"},
                  {"sex", "male"},
                  {"affiliation", "serviceman"},
                  {"birth_date", "1970-02-02"},
                  {"disappearance_date", "1993-05-01"}}),
        PersonEv(2, "person.registered", "2000-01-10",
                 {{"family_name", "Morsa"},
                  {"sex", "female"},
                  {"birth_date", "1960-06-01"},
                  {"disappearance_date", "1993-05-01"}}),
        PersonEv(1, "person.captured", "2000-02-01",
                 {{"capture", "prisoner_of_war"}, {"capture_date", "1993-05-01"}}),
        PersonEv(3, "person.registered", "2005-03-01",
                 {{"family_name", "Tulan"},
                  {"sex", "male"},
                  {"birth_date", "1980-01-01"},
                  {"disappearance_date", "1993-05-01"}}),
        PersonEv(3, "person.captured", "2005-03-01",
                 {{"capture", "hostage"}, {"capture_date", "1993-05-01"}}),
        PersonEv(3, "person.icrc_visited", "2006-01-01", {{"date", "1993-08-01"}}),
        PersonEv(2, "person.corrected", "2010-07-07", {{"birth_date", "1930-01-01"}}),
        PersonEv(3, "person.reported_dead", "2012-01-01",
                 {{"death_date", "1994-01-01"},
                  {"death_territory", "other_party"},
                  {"death_locality", "Ostrava Nova"}}),
        PersonEv(3, "person.body_returned", "2013-01-01", {{"date", "2013-01-01"}}),
        PersonEv(4, "person.registered", "2014-01-01", {{"family_name", "Error"}}),
        PersonEv(4, "person.withdrawn", "2014-02-01", {}, "registered twice by mistake"),
        PersonEv(1, "person.identified", "2015-05-05", {{"date", "2015-05-05"}}),
        PersonEv(1, "person.family_notified", "2015-06-01", {{"date", "2015-06-01"}}),
    };
    auto stored = store_.Append(h);
    ASSERT_TRUE(stored) << stored.error().ToString();
  }
  store::MemoryStore store_;
};

TEST_F(FiguresTest, BeforeAnything) {
  Figures f = At(store_, "1999-12-31");
  EXPECT_EQ(f.Value("missing"), 0);
  EXPECT_TRUE(f.AllAddUp());
}

TEST_F(FiguresTest, AsOf2000) {
  Figures f = At(store_, "2000-01-31");
  EXPECT_EQ(f.Value("missing"), 2);
  EXPECT_EQ(f.Value("missing.serviceman"), 1);
  EXPECT_EQ(f.Value("missing.civilian.woman"), 1);
  EXPECT_EQ(f.Value("captured"), 0);
  f = At(store_, "2000-02-01");
  EXPECT_EQ(f.Value("captured"), 1);
  EXPECT_EQ(f.Value("captured.serviceman"), 1);
  EXPECT_TRUE(f.AllAddUp());
}

TEST_F(FiguresTest, AsOf2008) {
  Figures f = At(store_, "2008-01-01");
  EXPECT_EQ(f.Value("missing"), 3);
  EXPECT_EQ(f.Value("missing.civilian"), 2);
  EXPECT_EQ(f.Value("missing.civilian.child"), 1);
  EXPECT_EQ(f.Value("missing.civilian.woman"), 1);
  EXPECT_EQ(f.Value("missing.civilian.elderly"), 0);
  EXPECT_EQ(f.Value("captured"), 2);
  EXPECT_EQ(f.Value("captured.civilian.child"), 1);
  EXPECT_EQ(f.Value("captured.kind.hostage"), 1);
  EXPECT_EQ(f.Value("icrc_visited"), 1);
  EXPECT_EQ(f.Value("icrc_visited.fate_unknown"), 1);
  EXPECT_TRUE(f.AllAddUp());
}

TEST_F(FiguresTest, AsOf2013AfterCorrectionAndReturn) {
  Figures f = At(store_, "2013-06-01");
  EXPECT_EQ(f.Value("missing.civilian.woman"), 0);
  EXPECT_EQ(f.Value("missing.civilian.elderly"), 1);
  EXPECT_EQ(f.Value("icrc_visited.body_returned"), 1);
  EXPECT_EQ(f.Value("icrc_visited.body_returned.other_party"), 1);
  EXPECT_EQ(f.Value("icrc_visited.body_returned.other_party.ostrava_nova"), 1);
  EXPECT_EQ(f.Value("icrc_visited.fate_unknown"), 0);
  const FigureRow* row = f.Find("icrc_visited.body_returned");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->ids, std::vector<int64_t>{3});
  EXPECT_TRUE(f.AllAddUp());
}

TEST_F(FiguresTest, WithdrawnDoNotCountAndIdentifiedStayRegistered) {
  Figures f = At(store_, "2014-01-15");
  EXPECT_EQ(f.Value("missing"), 4);
  f = At(store_, nullptr);
  EXPECT_EQ(f.Value("missing"), 3);
  EXPECT_EQ(f.Value("missing.status.identified"), 1);
  EXPECT_EQ(f.Value("missing.status.open"), 2);
  EXPECT_EQ(f.Value("identified.notified"), 1);
  EXPECT_TRUE(f.AllAddUp());
}

TEST_F(FiguresTest, AgeLimitsAreConfigurable) {
  auto persons = store_.Persons(*Date::Parse("2008-01-01"));
  ASSERT_TRUE(persons);
  Figures f = ComputeFigures(*persons, Snapshot{}, AgeLimits{12, 30}, std::nullopt);
  EXPECT_EQ(f.Value("missing.civilian.child"), 0);    // 13 is not under 12
  EXPECT_EQ(f.Value("missing.civilian.elderly"), 1);  // 32 is 30 or over
}

TEST(FiguresCheckTest, ABrokenBreakdownIsReported) {
  Figures f;
  f.checks.push_back(FigureCheck{"x", {"x.a"}, 3, 2});
  EXPECT_FALSE(f.AllAddUp());
}

// Identified and returned by period: the year of the event's date (identification, notification),
// counted as of the recording date.
TEST(FiguresByPeriodTest, IdentifiedAndReturnedByYearOfTheEventAsOfRecording) {
  store::MemoryStore store;
  PlanarGeometry geometry;
  Registry reg(store, geometry, LegacyHistory{});
  ASSERT_TRUE(store.Append({
      PersonEv(1, "person.registered", "2000-01-10", {{"family_name", "Velani"}}),
      PersonEv(2, "person.registered", "2000-01-10", {{"family_name", "Morsa"}}),
      PersonEv(3, "person.registered", "2000-01-10", {{"family_name", "Tulan"}}),
      PersonEv(1, "person.identified", "2015-01-10", {{"date", "2014-12-20"}}),
      PersonEv(1, "person.family_notified", "2015-02-02", {{"date", "2015-02-01"}}),
      PersonEv(2, "person.identified", "2016-03-04", {{"date", "2016-03-03"}}),
      PersonEv(3, "person.identified", "2016-05-01", {{"date", "2016-04-30"}}),
      PersonEv(3, "person.family_notified", "2017-01-02", {{"date", "2016-12-31"}}),
  }));
  auto at = [&](const char* date) {
    auto f = reg.ComputeFigures(date ? AsOf{*Date::Parse(date)} : AsOf{}, AgeLimits{});
    EXPECT_TRUE(f) << f.error().ToString();
    return *f;
  };
  Figures f = at("2015-01-09");
  EXPECT_EQ(f.Value("identified"), 0);
  EXPECT_EQ(f.Value("identified.period.2014"), -1);  // no such cell yet
  f = at("2015-01-10");
  EXPECT_EQ(f.Value("identified.period"), 1);
  EXPECT_EQ(f.Value("identified.period.2014"), 1);  // the year of the identification's date
  EXPECT_EQ(f.Value("identified.notified"), 0);
  f = at(nullptr);
  EXPECT_EQ(f.Value("identified"), 3);
  EXPECT_EQ(f.Value("identified.period.2014"), 1);
  EXPECT_EQ(f.Value("identified.period.2016"), 2);
  EXPECT_EQ(f.Value("identified.notified.period"), 2);
  EXPECT_EQ(f.Value("identified.notified.period.2015"), 1);
  EXPECT_EQ(f.Value("identified.notified.period.2016"), 1);
  ASSERT_NE(f.Find("identified.period.2016"), nullptr);
  EXPECT_EQ(f.Find("identified.period.2016")->ids, (std::vector<int64_t>{2, 3}));
  EXPECT_TRUE(f.AllAddUp());
  bool checked_identified = false, checked_notified = false;
  for (const FigureCheck& c : f.checks) {
    if (c.parent == "identified" && c.parts.size() == 2 && c.parts[0] == "identified.period.2014") {
      checked_identified = true;
    }
    if (c.parent == "identified.notified" && c.parts.size() == 2) checked_notified = true;
  }
  EXPECT_TRUE(checked_identified);
  EXPECT_TRUE(checked_notified);
}

}  // namespace
}  // namespace whereabouts::registry
