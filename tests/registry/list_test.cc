#include "registry/list.h"

#include <gtest/gtest.h>

#include "registry/sha256.h"

namespace whereabouts::registry {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

ListEntry E(int64_t id, std::string family, std::string place = "Lerin") {
  ListEntry e;
  e.id = id;
  e.family_name = std::move(family);
  e.given_name = "Arsen";
  e.sex = "male";
  e.disappearance_place = std::move(place);
  return e;
}

TEST(ListTest, DiffShowsAddedRemovedChanged) {
  std::vector<ListEntry> a = {E(1, "A"), E(2, "B"), E(3, "C")};
  std::vector<ListEntry> b = {E(1, "A"), E(3, "C", "Sabrun"), E(4, "D")};
  auto d = DiffLists(a, b);
  ASSERT_EQ(d.added.size(), 1u);
  EXPECT_EQ(d.added[0].id, 4);
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].id, 2);
  ASSERT_EQ(d.changed.size(), 1u);
  EXPECT_EQ(d.changed[0].fields, std::vector<std::string>{"disappearance_place"});
}

TEST(ListTest, PersonsSoughtAreOpenCountedCases) {
  Person open;
  open.id = PersonId{1};
  open.family_name = "A";
  Person identified = open;
  identified.id = PersonId{2};
  identified.status = CaseStatus::kIdentified;
  Person merged = open;
  merged.id = PersonId{3};
  merged.status = CaseStatus::kMerged;
  auto l = PersonsSought({open, identified, merged});
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].id, 1);
}

}  // namespace
}  // namespace whereabouts::registry
