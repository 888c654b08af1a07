// Use cases of remains and custody (app/remains.h) on an in-memory register.
#include "app/remains.h"

#include <gtest/gtest.h>

#include "app/memory_register.h"

namespace whereabouts::app {
namespace {

using testing::D;
using testing::Meta;
using testing::MemoryRegister;

class RemainsTest : public ::testing::Test {
 protected:
  // Remains HB-1 held by Lab, with samples S-1 and S-2.
  int64_t AddBag() {
    AddRemainsRequest req;
    req.meta = Meta();
    req.label = "HB-1";
    req.holder = "Lab";
    req.recovered_on = D("2023-11-05");
    auto stored = AddRemains(reg_.registry, req);
    EXPECT_TRUE(stored) << stored.error().ToString();
    const int64_t id = stored ? stored->entity_id : 0;
    for (const char* s : {"S-1", "S-2"}) {
      auto sampled = AddSample(reg_.registry, {Meta(), id, s});
      EXPECT_TRUE(sampled) << sampled.error().ToString();
    }
    return id;
  }

  MemoryRegister reg_;
};

TEST_F(RemainsTest, AddRecordsTheRemainsOnTheClocksDate) {
  const int64_t id = AddBag();
  EXPECT_EQ(id, 1);
  auto r = ShowRemains(reg_.registry, id, std::nullopt);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->label, "HB-1");
  EXPECT_EQ(r->remains_kind, "bag");
  EXPECT_EQ(r->holder, "Lab");
  ASSERT_TRUE(r->recovered_on);
  EXPECT_EQ(*r->recovered_on, D("2023-11-05"));
  EXPECT_EQ(r->samples, (std::vector<std::string>{"S-1", "S-2"}));
  EXPECT_EQ(r->last_event_on, D(testing::kToday));
  // Not there the day before it was recorded.
  EXPECT_EQ(ShowRemains(reg_.registry, id, D("2024-02-29")).error().code, ErrorCode::kNotFound);
  auto all = ListRemains(reg_.registry, std::nullopt);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(RemainsTest, ShowUnknownRemainsIsNotFound) {
  auto r = ShowRemains(reg_.registry, 9, std::nullopt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message, "no remains 9");
}

TEST_F(RemainsTest, SampleOfUnknownRemainsIsRefused) {
  auto r = AddSample(reg_.registry, {Meta(), 4, "S-9"});
  ASSERT_FALSE(r);
  EXPECT_EQ(reg_.Seq(), 0);
}

TEST_F(RemainsTest, TransferOnlyFromTheHolder) {
  const int64_t id = AddBag();
  const int64_t before = reg_.Seq();
  TransferCustodyRequest bad{Meta(), id, "Field team", "Morgue", std::nullopt};
  NotHolder not_holder;
  auto refused = TransferCustody(reg_.registry, reg_.clock, bad, &not_holder);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(reg_.Seq(), before);  // nothing written
  // The message names no holder (personal data); the adapter gets them apart.
  EXPECT_NE(refused.error().message.find("does not hold remains HB-1"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("Lab"), std::string::npos) << refused.error().message;
  EXPECT_EQ(refused.error().message.find("Field team"), std::string::npos);
  EXPECT_EQ(not_holder.label, "HB-1");
  EXPECT_EQ(not_holder.holder, "Lab");

  reg_.clock.Set(D("2024-03-04"));
  TransferCustodyRequest good{Meta("clerk"), id, "Lab", "Morgue", std::nullopt};
  auto done = TransferCustody(reg_.registry, reg_.clock, good);
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_EQ(done->Get("date"), "2024-03-04");  // default: the recording date
  EXPECT_EQ(done->recorded_on, D("2024-03-04"));
  // Custody steps are in time order: not dated before the last one.
  TransferCustodyRequest early{Meta(), id, "Morgue", "Lab", D("2024-03-02")};
  EXPECT_FALSE(TransferCustody(reg_.registry, reg_.clock, early));
  TransferCustodyRequest dated{Meta(), id, "Morgue", "Lab", D("2024-03-04")};
  ASSERT_TRUE(TransferCustody(reg_.registry, reg_.clock, dated));
  auto r = ShowRemains(reg_.registry, id, std::nullopt);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->holder, "Lab");
  EXPECT_EQ(r->transfers, 2);

  auto steps = CustodyHistory(reg_.store, id);
  ASSERT_TRUE(steps) << steps.error().ToString();
  ASSERT_EQ(steps->size(), 5u);  // recovered, two samples, two transfers
  EXPECT_EQ((*steps)[0].kind, CustodyStep::Kind::kRecovered);
  EXPECT_EQ((*steps)[0].label, "HB-1");
  EXPECT_EQ((*steps)[0].holder, "Lab");
  EXPECT_EQ((*steps)[0].date, testing::kToday);
  EXPECT_EQ((*steps)[1].kind, CustodyStep::Kind::kSampled);
  EXPECT_EQ((*steps)[1].sample, "S-1");
  EXPECT_EQ((*steps)[3].kind, CustodyStep::Kind::kTransferred);
  EXPECT_EQ((*steps)[3].from, "Lab");
  EXPECT_EQ((*steps)[3].to, "Morgue");
  EXPECT_EQ((*steps)[3].recorded_by, "clerk");
  EXPECT_EQ((*steps)[4].date, "2024-03-04");
}

TEST_F(RemainsTest, TransferToTheHolderIsRefusedWithoutNotHolder) {
  const int64_t id = AddBag();
  NotHolder not_holder;
  auto refused =
      TransferCustody(reg_.registry, reg_.clock, {Meta(), id, "Lab", "Lab", {}}, &not_holder);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(not_holder.holder.empty());  // Lab does hold it: another rule refused
}

TEST_F(RemainsTest, TransferDefaultsToTheLastRecordedDateWhenTheClockIsBehind) {
  const int64_t id = AddBag();
  reg_.clock.Set(D("2024-02-01"));  // recorded dates never go backwards
  auto done = TransferCustody(reg_.registry, reg_.clock, {Meta(), id, "Lab", "Morgue", {}});
  ASSERT_TRUE(done) << done.error().ToString();
  EXPECT_EQ(done->Get("date"), testing::kToday);
  EXPECT_EQ(done->recorded_on, D(testing::kToday));
}

TEST_F(RemainsTest, HistoryOfUnknownRemainsIsNotFound) {
  auto steps = CustodyHistory(reg_.store, 3);
  ASSERT_FALSE(steps);
  EXPECT_EQ(steps.error().code, ErrorCode::kNotFound);
}

TEST_F(RemainsTest, ProfileTextListsMarkersThenAmelogenin) {
  kinship::Profile p;
  p.sample = "S-1";
  p.markers["D3S1358"] = kinship::GenotypeCall{"15", "16"};
  p.markers["TH01"] = kinship::GenotypeCall{"6", std::nullopt};
  p.amelogenin_sex = kinship::Sex::kMale;
  EXPECT_EQ(ProfileText(p), "D3S1358=15/16;TH01=6/-;AMEL=X,Y");
  EXPECT_EQ(ProfileText(kinship::Profile{}), "");
}

class ProfileImportTest : public RemainsTest {
 protected:
  void SetUp() override {
    id_ = AddBag();
    auto db = kinship::FrequencyDatabase::Create(
        {{"D3S1358", {"15", "16", "17"}, {0.3, 0.3, 0.4}, {}}, {"TH01", {"6", "9.3"}, {0.5, 0.5}, {}}});
    ASSERT_TRUE(db) << db.error().ToString();
    db_ = std::move(*db);
  }

  static kinship::Profile Profile(const std::string& sample, const std::string& a,
                                  const std::string& b) {
    kinship::Profile p;
    p.sample = sample;
    p.markers["D3S1358"] = kinship::GenotypeCall{a, b};
    return p;
  }

  ImportProfilesRequest Request(std::vector<kinship::Profile> profiles) {
    ImportProfilesRequest req;
    req.meta = Meta();
    req.source = "lab/run7.tsv";
    req.frequencies = &db_;
    req.frequencies_name = "freq.tsv";
    int line = 2;
    for (const auto& p : profiles) {
      for (const auto& [marker, call] : p.markers) {
        const std::string where = "lab/run7.tsv:" + std::to_string(line++);
        req.rows.push_back({p.sample, marker, false, where + ": Sample Name", where + ": Marker"});
      }
    }
    req.profiles = std::move(profiles);
    return req;
  }

  int64_t id_ = 0;
  kinship::FrequencyDatabase db_;
};

TEST_F(ProfileImportTest, RecordsProfilesAndSkipsUnchangedOnes) {
  auto res = ImportProfiles(reg_.registry, Request({Profile("S-1", "15", "16"),
                                                    Profile("S-2", "16", "17"),
                                                    kinship::Profile{"S-2", {}, std::nullopt}}));
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->recorded, 2u);
  EXPECT_EQ(res->untyped, 1u);
  EXPECT_EQ(res->unchanged, 0u);
  auto r = ShowRemains(reg_.registry, id_, std::nullopt);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->profiles.count("S-1"));
  EXPECT_EQ(r->profiles.at("S-1").profile, "D3S1358=15/16");
  EXPECT_EQ(r->profiles.at("S-1").source, "run7.tsv");  // the file name, not the path
  EXPECT_EQ(r->profiles.at("S-1").versions, 1);
  // The same table again records nothing; one changed profile is one new version.
  auto again = ImportProfiles(reg_.registry, Request({Profile("S-1", "15", "16"),
                                                      Profile("S-2", "16", "17")}));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->recorded, 0u);
  EXPECT_EQ(again->unchanged, 2u);
  auto changed = ImportProfiles(reg_.registry, Request({Profile("S-1", "15", "17"),
                                                        Profile("S-2", "16", "17")}));
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->recorded, 1u);
  r = ShowRemains(reg_.registry, id_, std::nullopt);
  EXPECT_EQ(r->profiles.at("S-1").versions, 2);
  EXPECT_EQ(r->profiles.at("S-1").profile, "D3S1358=15/17");
  // The default reason names the table.
  registry::EventQuery q;
  q.kind = registry::EntityKind::kRemains;
  auto events = reg_.store.Events(q);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->back().reason, "allele table lab/run7.tsv");
}

TEST_F(ProfileImportTest, UnknownSampleRefusesTheWholeTable) {
  const int64_t before = reg_.Seq();
  ProfileRowProblem problem;
  auto res = ImportProfiles(
      reg_.registry, Request({Profile("S-1", "15", "16"), Profile("S-9", "15", "15")}), &problem);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(res.error().field, "lab/run7.tsv:3: Sample Name");
  EXPECT_EQ(res.error().message,
            "sample S-9, marker D3S1358: no remains of the register have this sample; nothing was "
            "imported");
  // No command is named: the adapter adds how to record the sample.
  EXPECT_EQ(res.error().message.find("whereabouts"), std::string::npos);
  EXPECT_EQ(problem.kind, ProfileRowProblem::Kind::kUnknownSample);
  EXPECT_EQ(problem.sample, "S-9");
  EXPECT_EQ(reg_.Seq(), before);
}

TEST_F(ProfileImportTest, UnknownMarkerRefusedButAmelogeninAllowed) {
  ImportProfilesRequest req = Request({Profile("S-1", "15", "16")});
  req.rows.push_back({"S-1", "AMEL", true, "t:3: Sample Name", "t:3: Marker"});
  req.profiles[0].amelogenin_sex = kinship::Sex::kFemale;
  auto ok = ImportProfiles(reg_.registry, req);
  ASSERT_TRUE(ok) << ok.error().ToString();
  auto r = ShowRemains(reg_.registry, id_, std::nullopt);
  EXPECT_EQ(r->profiles.at("S-1").profile, "D3S1358=15/16;AMEL=X");

  const int64_t before = reg_.Seq();
  req = Request({Profile("S-2", "15", "16")});
  req.rows.push_back({"S-2", "D99S999", false, "t:4: Sample Name", "t:4: Marker"});
  ProfileRowProblem problem;
  auto bad = ImportProfiles(reg_.registry, req, &problem);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "t:4: Marker");
  EXPECT_NE(bad.error().message.find(
                "sample S-2, marker D99S999: marker not in the frequency database freq.tsv"),
            std::string::npos);
  EXPECT_EQ(problem.kind, ProfileRowProblem::Kind::kUnknownMarker);
  EXPECT_EQ(reg_.Seq(), before);
}

}  // namespace
}  // namespace whereabouts::app
