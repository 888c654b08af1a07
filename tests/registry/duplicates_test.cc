#include "registry/duplicates.h"

#include <gtest/gtest.h>

#include "registry/test_util.h"

namespace whereabouts::registry {
namespace {

TEST(FoldNameTest, SpellingsAcrossTransliterationsAndScriptsAgree) {
  EXPECT_EQ(FoldName("Kharatyan"), FoldName("Xaratian"));
  EXPECT_EQ(FoldName("Kharatyan"), FoldName("Харатян"));
  EXPECT_EQ(FoldName("Shahbazov"), FoldName("Şahbazov"));
  EXPECT_EQ(FoldName("Tchelov"), FoldName("Çelov"));
  EXPECT_EQ(FoldName("Ivanov"), FoldName("Iwanoff"));
  EXPECT_NE(FoldName("Petrosyan"), FoldName("Karapetyan"));
}

TEST(NameSimilarityTest, IsOneForEqualAndLowForDifferent) {
  EXPECT_DOUBLE_EQ(NameSimilarity("abc", "abc"), 1.0);
  EXPECT_LT(NameSimilarity("abcdef", "uvwxyz"), 0.2);
  EXPECT_GT(NameSimilarity("martha", "marhta"), 0.95);
}

Person P(int64_t id, const char* family, const char* given, const char* born, const char* place) {
  auto p = ApplyPersonEvent(std::nullopt, testing::PersonEv(id, "person.registered", "2000-01-01",
                                                            {{"family_name", family},
                                                             {"given_name", given},
                                                             {"sex", "male"},
                                                             {"birth_date", born},
                                                             {"disappearance_place", place}}));
  EXPECT_TRUE(p);
  return *p;
}

TEST(SuggestDuplicatesTest, FindsTransliteratedPairOnly) {
  std::vector<Person> persons = {
      P(1, "Kharatyan", "Arsen", "1970-01-01", "Lerin"),
      P(2, "Харатян", "Арсен", "1970-01-01", "Lerin"),
      P(3, "Kharatyan", "Arsen", "1951-03-03", "Sabrun"),
      P(4, "Velikov", "Tomas", "1970-01-01", "Lerin"),
  };
  auto s = SuggestDuplicates(persons, DuplicateOptions{0.8});
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s[0].a.value, 1);
  EXPECT_EQ(s[0].b.value, 2);
  for (const auto& d : s) {
    EXPECT_NE(d.b.value, 4);
    EXPECT_FALSE(d.a.value == 1 && d.b.value == 3) << "different birth date and place";
  }
}

}  // namespace
}  // namespace whereabouts::registry
