// Use cases of bulk imports (app/imports.h) on an in-memory register.
#include "app/imports.h"

#include <gtest/gtest.h>

#include "app/memory_register.h"
#include "app/sites.h"

namespace whereabouts::app {
namespace {

using testing::D;
using testing::Meta;
using testing::MemoryRegister;

std::vector<registry::Event> Persons(int n, const char* recorded_on = testing::kToday) {
  std::vector<registry::Event> out;
  for (int i = 0; i < n; ++i) {
    registry::Event e;
    e.kind = registry::EntityKind::kPerson;
    e.type = "person.registered";
    e.recorded_on = D(recorded_on);
    e.actor = "parser";
    e.reason = "parser";
    e.payload["family_name"] = "Family" + std::to_string(i + 1);
    out.push_back(std::move(e));
  }
  return out;
}

ImportEventsRequest Request(std::vector<registry::Event> events, size_t batch) {
  ImportEventsRequest req;
  req.meta = Meta("importer");
  req.source = "persons.csv";
  req.source_sha256 = "abc123";
  req.batch = batch;
  req.events = std::move(events);
  return req;
}

TEST(ImportBatchKeyTest, NamesTheFileTheBatchSizeAndTheRows) {
  EXPECT_EQ(ImportBatchKey("abc", 1000, 1001, 2000), "import:abc:batch1000:rows1001-2000");
}

TEST(ImportEventsTest, WritesInBatchesAndReportsEachAfterItsCommit) {
  MemoryRegister reg;
  std::vector<std::pair<size_t, int64_t>> seen;  // (rows done, events in the register then)
  auto res = ImportEvents(reg.registry, reg.store, Request(Persons(5), 2),
                          [&](const ImportBatch& b) {
                            EXPECT_FALSE(b.earlier);
                            seen.push_back({b.done, reg.Seq()});
                          });
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->imported, 5u);
  EXPECT_EQ(res->skipped, 0u);
  // Each report comes once its rows are in the register.
  EXPECT_EQ(seen, (std::vector<std::pair<size_t, int64_t>>{{2, 2}, {4, 4}, {5, 5}}));
  auto persons = reg.store.Persons(std::nullopt);
  ASSERT_TRUE(persons);
  ASSERT_EQ(persons->size(), 5u);
  registry::EventQuery q;
  q.kind = registry::EntityKind::kPerson;
  q.entity_id = 1;
  auto events = reg.store.Events(q);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->at(0).actor, "importer");
  EXPECT_EQ(events->at(0).reason, "import of persons.csv");
  auto key = reg.store.FindIdempotencyKey("import:abc123:batch2:rows3-4");
  ASSERT_TRUE(key);
  ASSERT_TRUE(*key);
  EXPECT_EQ((*key)->first_seq, 3);
  EXPECT_EQ((*key)->last_seq, 4);
}

TEST(ImportEventsTest, ARerunSkipsTheCommittedBatches) {
  MemoryRegister reg;
  // A first run that stopped after its first batch (rows 1..2).
  auto first = ImportEvents(reg.registry, reg.store, Request(Persons(2), 2));
  ASSERT_TRUE(first);
  // The same file (same sha, same batch size) again, whole: rows 1..2 are skipped.
  std::vector<ImportBatch> seen;
  auto again = ImportEvents(reg.registry, reg.store, Request(Persons(5), 2),
                            [&](const ImportBatch& b) { seen.push_back(b); });
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->imported, 3u);
  EXPECT_EQ(again->skipped, 2u);
  ASSERT_EQ(seen.size(), 3u);
  ASSERT_TRUE(seen[0].earlier);
  EXPECT_EQ(seen[0].earlier->first_seq, 1);
  EXPECT_EQ(seen[0].earlier->last_seq, 2);
  EXPECT_EQ(seen[0].first_row, 1u);
  EXPECT_EQ(seen[0].last_row, 2u);
  EXPECT_FALSE(seen[1].earlier);
  auto persons = reg.store.Persons(std::nullopt);
  ASSERT_TRUE(persons);
  EXPECT_EQ(persons->size(), 5u);  // none twice
}

TEST(ImportEventsTest, AFailedBatchKeepsTheEarlierOnesAndSaysWhere) {
  MemoryRegister reg;
  std::vector<registry::Event> events = Persons(4);
  events[2].type = "person.no_such_event";  // row 3
  auto res = ImportEvents(reg.registry, reg.store, Request(std::move(events), 2));
  ASSERT_FALSE(res);
  EXPECT_NE(res.error().message.find(
                "(rows 3..4 of persons.csv; 2 rows before them are committed; run the same "
                "import again to go on from there)"),
            std::string::npos)
      << res.error().message;
  EXPECT_EQ(reg.Seq(), 2);
}

TEST(ImportEventsTest, DatedRowsNeedALegacyHistory) {
  MemoryRegister reg;
  ImportEventsRequest req = Request(Persons(1, "2001-01-01"), 10);
  req.rows_dated = true;
  auto res = ImportEvents(reg.registry, reg.store, req);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(res.error().field, "persons.csv: recorded_on");
  EXPECT_EQ(res.error().message.find("--"), std::string::npos);  // no option named
  EXPECT_EQ(reg.Seq(), 0);
  // Asked for, but on a register that takes its dates from the clock: refused too.
  req.legacy_history = true;
  res = ImportEvents(reg.registry, reg.store, req);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kFailedPrecondition);

  // On a register that keeps the events' own dates, the rows keep theirs.
  store::MemoryStore store;
  registry::PlanarGeometry geometry;
  registry::Registry legacy(store, geometry, registry::LegacyHistory{});
  auto ok = ImportEvents(legacy, store, req);
  ASSERT_TRUE(ok) << ok.error().ToString();
  auto head = legacy.Head(std::nullopt);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->recorded_on, D("2001-01-01"));
}

TEST(ImportEventsTest, BatchOfZeroIsRefused) {
  MemoryRegister reg;
  auto res = ImportEvents(reg.registry, reg.store, Request(Persons(1), 0));
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kInvalidArgument);
}

TEST(ImportGeoFeaturesTest, RegistersHazardsAndSitesInOneBatchAndFlagsThem) {
  MemoryRegister reg;
  ImportGeoFeaturesRequest req;
  req.meta = Meta();
  req.source = "areas.geojson";
  req.hazards.push_back({{"name", "North field"},
                         {"hazard_status", "confirmed"},
                         {"polygons", "44.49 40.19,44.51 40.19,44.51 40.21,44.49 40.21"}});
  req.sites.push_back({{"name", "Well"}, {"site_kind", "well"}, {"lon", "44.5"}, {"lat", "40.2"}});
  req.sites.push_back({{"name", "Cave"}, {"site_kind", "cave"}, {"lon", "45.5"}, {"lat", "41.2"}});
  auto res = ImportGeoFeatures(reg.registry, req);
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->hazards, 1u);
  EXPECT_EQ(res->sites, 2u);
  EXPECT_FALSE(res->flags_error);
  ASSERT_EQ(res->flags.size(), 1u);
  EXPECT_TRUE(res->flags[0].inside);
  auto list = ListSites(reg.registry, std::nullopt, 500);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->sites.size(), 2u);

  // One bad feature: nothing of the file is written.
  const int64_t before = reg.Seq();
  req.sites.push_back({{"name", "Nowhere"}, {"lon", "x"}, {"lat", "40"}});
  auto bad = ImportGeoFeatures(reg.registry, req);
  ASSERT_FALSE(bad);
  EXPECT_EQ(reg.Seq(), before);
}

}  // namespace
}  // namespace whereabouts::app
