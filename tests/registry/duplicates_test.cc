#include "registry/duplicates.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

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

// Synthetic names (made up for these tests), each in its own script and as a Latin-script
// register would spell it.
struct Spelling {
  const char* script;
  const char* family;
  const char* given;
  const char* latin_family;
  const char* latin_given;
};
const Spelling kSpellings[] = {
    {"Armenian", "Խոշտունյան", "Արեգ", "Khoshtunyan", "Areg"},
    {"Georgian", "ხორგაშვილი", "ნიკოლოზ", "Khorgashvili", "Nikoloz"},
    {"Greek", "Χαρτοπουλίδης", "Στυλιανός", "Chartopoulidis", "Stylianos"},
    {"Arabic", "الزوراني", "كريم", "al-Zurani", "Karim"},  // no short vowels in the script
    {"Cyrillic", "Ведрицкая", "Ярослава", "Vedritskaya", "Yaroslava"},
};

TEST(FoldNameTest, SameNameInAnotherScriptAndInLatinIsALikelyDuplicate) {
  for (const Spelling& s : kSpellings) {
    SCOPED_TRACE(s.script);
    const std::string family = FoldName(s.family);
    const std::string given = FoldName(s.given);
    EXPECT_FALSE(family.empty());
    EXPECT_GE(NameSimilarity(family, FoldName(s.latin_family)), 0.9)
        << family << " / " << FoldName(s.latin_family);
    EXPECT_GE(NameSimilarity(given, FoldName(s.latin_given)), 0.9)
        << given << " / " << FoldName(s.latin_given);
    // Blocks are by the first letter of the folded family name.
    EXPECT_EQ(family[0], FoldName(s.latin_family)[0]);
  }
  // Scripts with vowels written out agree exactly with their usual Latin spelling.
  EXPECT_EQ(FoldName("Խոշտունյան"), FoldName("Khoshtunyan"));
  EXPECT_EQ(FoldName("ხორგაშვილი"), FoldName("Khorgashvili"));
  EXPECT_EQ(FoldName("Χαρτοπουλίδης"), FoldName("Chartopoulidis"));
}

TEST(FoldNameTest, DifferentNamesStayApartAcrossScripts) {
  for (const Spelling& a : kSpellings) {
    for (const Spelling& b : kSpellings) {
      if (&a == &b) continue;
      SCOPED_TRACE(std::string(a.script) + " / " + b.script);
      EXPECT_LT(NameSimilarity(FoldName(a.family), FoldName(b.latin_family)), 0.75);
      EXPECT_LT(NameSimilarity(FoldName(a.family), FoldName(b.family)), 0.75);
    }
  }
}

TEST(FoldNameTest, LatinDiacriticsAndBgnSpellingsAgreeWithPlainSpellings) {
  EXPECT_EQ(FoldName("Žukauskas"), FoldName("Zhukauskas"));
  EXPECT_EQ(FoldName("Əsgərzadə"), FoldName("Asgarzada"));
  EXPECT_EQ(FoldName("Müllerová"), FoldName("Mullerova"));
  // BGN writes Е as "ye" at the start of a word and after a vowel; registers often write "e".
  EXPECT_EQ(FoldName("Егорин"), FoldName("Egorin"));
  EXPECT_EQ(FoldName("Егорин"), FoldName("Yegorin"));
  EXPECT_EQ(FoldName("Андрейкин"), FoldName("Andreykin"));
  EXPECT_EQ(FoldName("Ղազարավյան"), FoldName("Ghazaravyan"));
}

TEST(FoldNameTest, DecomposedInputFoldsLikeComposed) {
  // "Ž" and "Й" typed as a letter and a combining mark.
  EXPECT_EQ(FoldName("Z\u030Cukauskas"), FoldName("Žukauskas"));
  EXPECT_EQ(FoldName("\u0418\u0306ордан"), FoldName("Йордан"));
  EXPECT_EQ(FoldName("Χαρτοπουλι\u0301δης"), FoldName("Χαρτοπουλίδης"));
}

TEST(FoldNameTest, KeepsOnlyLetters) {
  EXPECT_EQ(FoldName(""), "");
  EXPECT_EQ(FoldName("12 - ?"), "");
  EXPECT_EQ(FoldName("O'Varda-Lenn 2"), FoldName("ovardalen"));
  EXPECT_EQ(FoldName("Чʹ"), FoldName("Ч"));
}

// The ASCII fast path gives what the ICU path gives.
RC_GTEST_PROP(FoldNameProperty, AsciiFastPathAgreesWithIcu, ()) {
  const auto name = *rc::gen::container<std::string>(rc::gen::inRange<char>(0, 127));
  RC_ASSERT(FoldName(name) == internal::FoldNameThroughIcu(name));
}

TEST(FoldNameTest, ThreadsFoldAlikeAtTheSameTime) {
  std::vector<std::string> names;
  for (const Spelling& s : kSpellings) {
    names.insert(names.end(), {s.family, s.given, s.latin_family, s.latin_given});
  }
  std::vector<std::string> expected;
  for (const auto& n : names) expected.push_back(FoldName(n));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (size_t i = 0; i < names.size(); ++i) {
          if (FoldName(names[i]) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) EXPECT_EQ(m, 0);
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

Person Named(int64_t id, const std::string& family, const std::string& given) {
  return P(id, family.c_str(), given.c_str(), "1968-04-12", "Orvani");
}

TEST(SuggestDuplicatesTest, FindsTheSamePersonWrittenInAnotherScriptAndInLatin) {
  // Person 2k+1 in its script, 2k+2 the same in Latin; all born the same day in the same place,
  // so only the names tell them apart.
  std::vector<Person> persons;
  int64_t id = 0;
  for (const Spelling& s : kSpellings) {
    persons.push_back(Named(++id, s.family, s.given));
    persons.push_back(Named(++id, s.latin_family, s.latin_given));
  }
  const auto found = SuggestDuplicates(persons, DuplicateOptions{0.8});
  for (int64_t k = 0; k < static_cast<int64_t>(std::size(kSpellings)); ++k) {
    SCOPED_TRACE(kSpellings[k].script);
    const bool pair_found = std::any_of(found.begin(), found.end(), [&](const auto& d) {
      return d.a.value == 2 * k + 1 && d.b.value == 2 * k + 2;
    });
    EXPECT_TRUE(pair_found);
  }
  for (const auto& d : found) {
    EXPECT_EQ(d.b.value - d.a.value, 1) << d.a.value << " / " << d.b.value << ": " << d.why;
    EXPECT_EQ(d.a.value % 2, 1) << d.a.value << " / " << d.b.value << ": " << d.why;
  }
}

}  // namespace
}  // namespace whereabouts::registry
