// Use cases of the list of persons sought (app/lists.h) on an in-memory register.
#include "app/lists.h"

#include "io/list_csv.h"

#include <gtest/gtest.h>

#include "app/memory_register.h"
#include "registry/sha256.h"

namespace whereabouts::app {
namespace {

using testing::D;
using testing::Meta;
using testing::MemoryRegister;

class ListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reg_.clock.Set(D("2024-01-10"));
    Register("Velani");
    Register("Morsa");
    reg_.clock.Set(D("2024-02-10"));
    Register("Tulan");
    registry::Event found;
    found.kind = registry::EntityKind::kPerson;
    found.entity_id = 2;
    found.type = "person.found_alive";
    found.actor = "officer";
    ASSERT_TRUE(reg_.registry.Record(found));
    reg_.clock.Set(D(testing::kToday));
  }
  void Register(const std::string& family) {
    registry::Event e;
    e.kind = registry::EntityKind::kPerson;
    e.type = "person.registered";
    e.actor = "officer";
    e.payload["family_name"] = family;
    e.payload["sex"] = "male";
    auto r = reg_.registry.Record(e);
    ASSERT_TRUE(r) << r.error().ToString();
  }
  MemoryRegister reg_;
};

TEST_F(ListsTest, ExportRecordsAVersionWithTheSha256OfItsCsv) {
  auto res = ExportList(reg_.registry, reg_.store, {Meta("analyst"), std::nullopt, io::ListToCsv});
  ASSERT_TRUE(res) << res.error().ToString();
  EXPECT_EQ(res->version, 1);
  EXPECT_EQ(res->recorded_on, D(testing::kToday));
  ASSERT_EQ(res->content.entries.size(), 2u);  // person 2 was found alive
  EXPECT_EQ(res->content.entries[0].family_name, "Velani");
  EXPECT_EQ(res->content.entries[1].family_name, "Tulan");
  EXPECT_EQ(res->content.csv, io::ListToCsv(res->content.entries));
  EXPECT_EQ(res->content.sha256, registry::Sha256Hex(res->content.csv));

  // As of a date before the third registration: one more version, of one person.
  auto earlier = ExportList(reg_.registry, reg_.store, {Meta("analyst"), D("2024-01-31"), io::ListToCsv});
  ASSERT_TRUE(earlier) << earlier.error().ToString();
  EXPECT_EQ(earlier->version, 2);
  EXPECT_EQ(earlier->content.entries.size(), 2u);  // Velani and Morsa, not yet found
  EXPECT_EQ(earlier->content.entries[1].family_name, "Morsa");

  auto versions = ListVersions(reg_.store);
  ASSERT_TRUE(versions) << versions.error().ToString();
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[0].count, 2);
  EXPECT_EQ((*versions)[0].sha256, res->content.sha256);
  EXPECT_EQ((*versions)[0].exported_by, "analyst");
  EXPECT_EQ((*versions)[0].as_of, "");
  EXPECT_EQ((*versions)[1].as_of, "2024-01-31");
}

TEST_F(ListsTest, AStageThatFailsRecordsNoVersion) {
  const int64_t before = reg_.Seq();
  bool staged = false;
  auto res = ExportList(reg_.registry, reg_.store, {Meta(), std::nullopt, io::ListToCsv},
                        [&](const ListContent& c) -> Status {
                          staged = true;
                          EXPECT_EQ(c.entries.size(), 2u);
                          return MakeError(ErrorCode::kIo, "disk full");
                        });
  ASSERT_FALSE(res);
  EXPECT_TRUE(staged);
  EXPECT_EQ(res.error().code, ErrorCode::kIo);
  EXPECT_EQ(reg_.Seq(), before);
  auto versions = ListVersions(reg_.store);
  ASSERT_TRUE(versions);
  EXPECT_TRUE(versions->empty());
}

TEST_F(ListsTest, DiffChecksTheStatedSha256) {
  auto v1 = ExportList(reg_.registry, reg_.store, {Meta(), D("2024-01-31"), io::ListToCsv});
  auto v2 = ExportList(reg_.registry, reg_.store, {Meta(), std::nullopt, io::ListToCsv});
  ASSERT_TRUE(v1 && v2);
  ListFile a{"v1.json", v1->content.entries, v1->content.sha256, io::ListToCsv};
  ListFile b{"v2.csv", v2->content.entries, std::nullopt, io::ListToCsv};
  auto d = DiffListFiles(a, b);
  ASSERT_TRUE(d) << d.error().ToString();
  ASSERT_EQ(d->added.size(), 1u);
  EXPECT_EQ(d->added[0].family_name, "Tulan");
  ASSERT_EQ(d->removed.size(), 1u);
  EXPECT_EQ(d->removed[0].family_name, "Morsa");
  EXPECT_TRUE(d->changed.empty());

  ListFile tampered = a;
  tampered.entries[0].given_name = "Someone";
  auto bad = DiffListFiles(tampered, b);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().field, "v1.json");
  EXPECT_TRUE(VerifyListFile(a));
}

}  // namespace
}  // namespace whereabouts::app
