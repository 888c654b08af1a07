// Incidents and sources on the in-memory register: an incident and its links all or nothing,
// later links and corrected counts, sources with the SHA-256 of their document.
#include "app/incidents.h"

#include <gtest/gtest.h>

#include "app/persons.h"
#include "app_test_util.h"

namespace whereabouts::app {
namespace {

using registry::PersonId;
using testing::D;

class IncidentsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    PersonDetails d;
    d.family_name = "Velani";
    ASSERT_TRUE(RegisterPerson(registry_, {Meta(), d}));
    RegisterSourceRequest s{Meta(), "CMP/2021/7", "Report", D("2021-03-01"), "", "abc"};
    auto id = RegisterSource(registry_, s);
    ASSERT_TRUE(id) << id.error().ToString();
    ASSERT_EQ(*id, 1);
  }
};

TEST_F(IncidentsTest, SourcesKeepTheHashOfTheirDocument) {
  auto sources = ListSources(registry_, std::nullopt);
  ASSERT_TRUE(sources);
  ASSERT_EQ(sources->size(), 1u);
  const registry::Source& s = sources->at(1);
  EXPECT_EQ(s.symbol, "CMP/2021/7");
  EXPECT_EQ(s.date, D("2021-03-01"));
  EXPECT_EQ(s.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ListSources(registry_, D("2024-04-30"))->empty());
}

TEST_F(IncidentsTest, AnIncidentWithItsLinksInOneWrite) {
  RecordIncidentRequest req{
      Meta(), D("1993-04-02"), "Lerin", "shelling", {{"missing", 12}, {"killed", 3}}, {PersonId{1}},
      {1}};
  auto r = RecordIncident(registry_, req);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->id, 1);
  EXPECT_EQ(r->events, 3);
  auto list = ListIncidents(registry_, std::nullopt);
  ASSERT_TRUE(list);
  const registry::Incident& inc = list->incidents.at(1);
  EXPECT_EQ(inc.place, "Lerin");
  EXPECT_EQ(inc.counts.at("missing"), 12);
  EXPECT_EQ(inc.counts.at("killed"), 3);
  EXPECT_EQ(inc.persons, std::vector<int64_t>{1});
  EXPECT_EQ(list->sources.at(1).symbol, "CMP/2021/7");
  auto one = GetIncident(registry_, 1, std::nullopt);
  ASSERT_TRUE(one);
  EXPECT_EQ(one->date, D("1993-04-02"));
  auto gone = GetIncident(registry_, 1, D("2024-04-30"));
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
}

TEST_F(IncidentsTest, ABadLinkRecordsNothing) {
  const int64_t before = Events();
  RecordIncidentRequest req{Meta(), std::nullopt, "Lerin", "", {}, {PersonId{7}}, {}};
  auto r = RecordIncident(registry_, req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("no person 7"), std::string::npos);
  req.persons = {PersonId{1}};
  req.sources = {5};
  auto s = RecordIncident(registry_, req);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kNotFound);
  req.sources = {};
  req.counts = {{"missing", -1}};
  auto neg = RecordIncident(registry_, req);
  ASSERT_FALSE(neg);
  EXPECT_EQ(neg.error().code, ErrorCode::kInvalidArgument);
  req.counts = {{"a=b", 1}};
  EXPECT_FALSE(RecordIncident(registry_, req));
  EXPECT_EQ(Events(), before);
  EXPECT_TRUE(ListIncidents(registry_, std::nullopt)->incidents.empty());
}

TEST_F(IncidentsTest, LaterLinksAndCorrectedCountsAllOrNothing) {
  ASSERT_TRUE(
      RecordIncident(registry_, {Meta(), std::nullopt, "Lerin", "", {{"missing", 2}}, {}, {}}));
  LinkIncidentRequest link{Meta(), 1, {PersonId{1}}, {1}, CasualtyCounts{{"missing", 5}}};
  auto n = LinkIncident(registry_, link);
  ASSERT_TRUE(n) << n.error().ToString();
  EXPECT_EQ(*n, 3);
  auto inc = GetIncident(registry_, 1, std::nullopt);
  EXPECT_EQ(inc->counts.at("missing"), 5);
  EXPECT_EQ(inc->sources, std::vector<int64_t>{1});
  // The same person twice: refused, and the counts in the same request are not corrected.
  const int64_t before = Events();
  link.sources = {};
  link.counts = CasualtyCounts{{"missing", 9}};
  auto again = LinkIncident(registry_, link);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Events(), before);
  EXPECT_EQ(GetIncident(registry_, 1, std::nullopt)->counts.at("missing"), 5);
  auto nowhere = LinkIncident(registry_, {Meta(), 4, {}, {1}, std::nullopt});
  ASSERT_FALSE(nowhere);
  EXPECT_EQ(nowhere.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace whereabouts::app
