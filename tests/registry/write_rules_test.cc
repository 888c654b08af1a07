// The rules every write obeys, whatever records it (Registry::Record, RecordBatch,
// RecordWithNewId): known event types, ids in range, the recorded date from the clock and never
// backwards, stale edits refused as conflicts, idempotency keys, all-or-nothing, and the same
// cross-record rules for a single write and a bulk one.
#include <gtest/gtest.h>

#include "registry/geometry.h"
#include "registry/registry.h"
#include "registry/test_util.h"
#include "store/memory_store.h"

namespace whereabouts::registry {
namespace {

using testing::Ev;
using testing::PersonEv;

Date D(const char* s) { return *Date::Parse(s); }

class WriteRulesTest : public ::testing::Test {
 protected:
  store::MemoryStore store_;
  PlanarGeometry geometry_;
  FixedClock clock_{D("2026-03-10")};
  Registry reg_{store_, geometry_, clock_};

  size_t EventCount() {
    EventQuery q;
    q.include_persons = true;
    q.include_relatives = true;
    auto all = store_.Events(q);
    return all ? all->size() : 0;
  }
};

TEST_F(WriteRulesTest, TheRecordedDateIsTheClocksAndNeverGoesBackwards) {
  // A date typed on the event is ignored: the clock's today is recorded.
  auto a = reg_.Record(PersonEv(0, "person.registered", "1999-01-01", {{"family_name", "A"}}));
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(a->recorded_on, D("2026-03-10"));
  // A clock that goes back (a wrong system clock) does not move the history backwards.
  clock_.Set(D("2026-03-01"));
  auto b = reg_.Record(PersonEv(0, "person.registered", "2030-01-01", {{"family_name", "B"}}));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->recorded_on, D("2026-03-10"));
  clock_.Set(D("2026-04-01"));
  auto c =
      reg_.RecordBatch({PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "C"}})});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->front().recorded_on, D("2026-04-01"));
  // So a figure for a past date cannot change.
  auto before = reg_.ComputeFigures(AsOf{D("2026-03-31")}, AgeLimits{});
  ASSERT_TRUE(before);
  EXPECT_EQ(before->Value("missing"), 2);
}

TEST_F(WriteRulesTest, ALegacyHistoryIsAppendedOnlyAfterEverythingRecorded) {
  Registry legacy(store_, geometry_, LegacyHistory{});
  ASSERT_TRUE(
      legacy.RecordBatch({PersonEv(0, "person.registered", "2000-01-01", {{"family_name", "A"}}),
                          PersonEv(0, "person.registered", "2001-01-01", {{"family_name", "B"}})}));
  // Out of order within a batch, or before the last event: refused, nothing written.
  auto late =
      legacy.RecordBatch({PersonEv(0, "person.registered", "2002-01-01", {{"family_name", "C"}}),
                          PersonEv(0, "person.registered", "2000-06-01", {{"family_name", "D"}})});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(late.error().message.find("before the last event"), std::string::npos);
  EXPECT_EQ(EventCount(), 2u);
  auto f = legacy.ComputeFigures(AsOf{D("2000-06-30")}, AgeLimits{});
  ASSERT_TRUE(f);
  EXPECT_EQ(f->Value("missing"), 1);
}

TEST_F(WriteRulesTest, UnknownEventTypesAndIdsOutOfRangeAreRefused) {
  auto unknown = reg_.Record(PersonEv(0, "person.teleported", "2026-01-01", {}));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(unknown.error().message.find("unknown event type 'person.teleported'"),
            std::string::npos);
  auto wrong_kind =
      reg_.RecordBatch({Ev(EntityKind::kSite, 0, "person.registered", "2026-01-01", {})});
  ASSERT_FALSE(wrong_kind);
  EXPECT_NE(wrong_kind.error().message.find("not an event of a site"), std::string::npos);
  auto huge = reg_.RecordBatch(
      {PersonEv(9223372036854775807, "person.registered", "2026-01-01", {{"family_name", "X"}})});
  ASSERT_FALSE(huge);
  EXPECT_NE(huge.error().message.find("out of range"), std::string::npos);
  EXPECT_EQ(EventCount(), 0u);
  // The next person still gets id 1.
  auto ok = reg_.Record(PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "A"}}));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->entity_id, 1);
}

TEST_F(WriteRulesTest, AStaleEditIsAConflictAndChangesNothing) {
  auto a = reg_.Record(PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "A"}}));
  ASSERT_TRUE(a);
  auto version = store_.EntityVersion(EntityKind::kPerson, a->entity_id);
  ASSERT_TRUE(version);
  WriteOptions based_on_first;
  based_on_first.expected = {{EntityKind::kPerson, a->entity_id, *version}};
  // Someone else corrects it meanwhile.
  ASSERT_TRUE(reg_.Record(PersonEv(1, "person.corrected", "2026-01-01", {{"given_name", "Ana"}})));
  auto stale = reg_.Record(PersonEv(1, "person.corrected", "2026-01-01", {{"given_name", "Anna"}}),
                           based_on_first);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_NE(stale.error().message.find("changed by someone else"), std::string::npos);
  auto p = store_.FindPerson(PersonId{1}, std::nullopt);
  ASSERT_TRUE(p && *p);
  EXPECT_EQ((*p)->given_name, "Ana");
  // Based on the current version, it goes through.
  auto now = store_.EntityVersion(EntityKind::kPerson, 1);
  ASSERT_TRUE(now);
  WriteOptions fresh;
  fresh.expected = {{EntityKind::kPerson, 1, *now}};
  EXPECT_TRUE(
      reg_.Record(PersonEv(1, "person.corrected", "2026-01-01", {{"given_name", "Anna"}}), fresh));
}

TEST_F(WriteRulesTest, ARetriedWriteWithTheSameKeyRecordsNothingTwice) {
  WriteOptions key;
  key.idempotency_key = "request-42";
  auto first =
      reg_.Record(PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "A"}}), key);
  ASSERT_TRUE(first);
  auto again =
      reg_.Record(PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "A"}}), key);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->seq, first->seq);
  EXPECT_EQ(again->entity_id, first->entity_id);
  EXPECT_EQ(EventCount(), 1u);
  // A batch too, and RecordWithNewId.
  WriteOptions batch_key;
  batch_key.idempotency_key = "import:abc:rows1-2";
  auto b1 =
      reg_.RecordBatch({PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "B"}}),
                        PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "C"}})},
                       batch_key);
  ASSERT_TRUE(b1);
  auto b2 =
      reg_.RecordBatch({PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "B"}}),
                        PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "C"}})},
                       batch_key);
  ASSERT_TRUE(b2);
  ASSERT_EQ(b2->size(), 2u);
  EXPECT_EQ((*b2)[1].entity_id, (*b1)[1].entity_id);
  EXPECT_EQ(EventCount(), 3u);
}

// Each cross-record rule, recorded singly and in a batch: the same verdict.
TEST_F(WriteRulesTest, SingleAndBulkWritesApplyTheSameRules) {
  ASSERT_TRUE(reg_.Record(PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "A"}})));
  ASSERT_TRUE(reg_.Record(Ev(EntityKind::kSource, 0, "source.registered", "2026-01-01",
                             {{"symbol", "S/1"}, {"title", "report"}})));
  ASSERT_TRUE(reg_.Record(Ev(EntityKind::kIncident, 0, "incident.registered", "2026-01-01",
                             {{"place", "V"}, {"counts", ""}})));
  struct Case {
    const char* what;
    Event event;
  };
  const std::vector<Case> refused = {
      {"relative of a person who does not exist",
       Ev(EntityKind::kRelative, 0, "relative.registered", "2026-01-01",
          {{"person", "999999"}, {"name", "R"}, {"relationship", "mother"}})},
      {"relative with a person id that is not a number",
       Ev(EntityKind::kRelative, 0, "relative.registered", "2026-01-01",
          {{"person", "abc"}, {"name", "R"}, {"relationship", "mother"}})},
      {"merge into a person who does not exist",
       PersonEv(1, "person.merged_into", "2026-01-01", {{"into", "99"}})},
      {"link of a person who does not exist",
       Ev(EntityKind::kIncident, 1, "incident.person_linked", "2026-01-01", {{"person", "99"}})},
      {"citation of a source that does not exist",
       Ev(EntityKind::kIncident, 1, "incident.source_cited", "2026-01-01", {{"source", "99"}})},
  };
  for (const Case& c : refused) {
    auto single = reg_.Record(c.event);
    auto bulk = reg_.RecordBatch({c.event});
    EXPECT_FALSE(single) << c.what;
    EXPECT_FALSE(bulk) << c.what;
    if (!single && !bulk) {
      EXPECT_EQ(single.error().code, bulk.error().code) << c.what;
    }
  }
  EXPECT_EQ(EventCount(), 3u);
  // And what one accepts, the other accepts.
  const Event ok = Ev(EntityKind::kRelative, 0, "relative.registered", "2026-01-01",
                      {{"person", "1"}, {"name", "R"}, {"relationship", "mother"}});
  EXPECT_TRUE(reg_.Record(ok));
  EXPECT_TRUE(reg_.RecordBatch({ok}));
}

TEST_F(WriteRulesTest, ANewEntityWithItsLinksIsAllOrNothing) {
  ASSERT_TRUE(reg_.Record(PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "A"}})));
  auto bad =
      reg_.RecordWithNewId(EntityKind::kIncident, [](int64_t id) -> Result<std::vector<Event>> {
        return std::vector<Event>{Ev(EntityKind::kIncident, id, "incident.registered", "2026-01-01",
                                     {{"place", "V"}, {"counts", ""}}),
                                  Ev(EntityKind::kIncident, id, "incident.person_linked",
                                     "2026-01-01", {{"person", "1"}}),
                                  Ev(EntityKind::kIncident, id, "incident.person_linked",
                                     "2026-01-01", {{"person", "99"}})};
      });
  ASSERT_FALSE(bad);
  EXPECT_EQ(EventCount(), 1u);  // neither the incident nor the good link
  auto good =
      reg_.RecordWithNewId(EntityKind::kIncident, [](int64_t id) -> Result<std::vector<Event>> {
        return std::vector<Event>{Ev(EntityKind::kIncident, id, "incident.registered", "2026-01-01",
                                     {{"place", "V"}, {"counts", ""}}),
                                  Ev(EntityKind::kIncident, id, "incident.person_linked",
                                     "2026-01-01", {{"person", "1"}})};
      });
  ASSERT_TRUE(good) << good.error().ToString();
  EXPECT_EQ(good->front().entity_id, 1);
}

TEST_F(WriteRulesTest, TheChainVerifies) {
  ASSERT_TRUE(reg_.Record(PersonEv(0, "person.registered", "2026-01-01", {{"family_name", "A"}})));
  ASSERT_TRUE(reg_.Record(PersonEv(1, "person.corrected", "2026-01-01", {{"given_name", "B"}})));
  auto head = reg_.VerifyChain();
  ASSERT_TRUE(head) << head.error().ToString();
  EXPECT_EQ(head->seq, 2);
  auto stored = reg_.Head(std::nullopt);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->hash, head->hash);
}

}  // namespace
}  // namespace whereabouts::registry
