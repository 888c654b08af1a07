#include "registry/duplicates.h"

#include <unicode/normalizer2.h>
#include <unicode/parseerr.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace whereabouts::registry {
namespace {

// What ICU does to a name (in NFC) before our own merging, as ICU transform rules (UTS #35):
// per script the romanisation whose spellings are the ones Latin-script registers use (BGN/PCGN
// for Cyrillic and Armenian: kh, zh, ts, ch, sh, ya; UNGEGN, the Greek passport system, for
// Greek), ICU's default for every other script (Georgian national system, Arabic, ...), then
// Latin letters with diacritics to ASCII. ž becomes "zh" first (Latin-ASCII would make it "z") so
// that Žukauskas and Zhukauskas agree, and the Azerbaijani schwa ə becomes "a" (Latin-ASCII keeps
// it). Each step is filtered to the letters it changes: the rule-based steps cost per letter they
// look at, and ASCII needs none of them (with the filters a name takes about 2 µs instead of 5).
// "::Null;" comes first because ICU reads a filtered first step as a filter on the whole chain.
constexpr const char* kRomanisationRules =
    "::Null;"
    "::[:Cyrillic:] Russian-Latin/BGN;"
    "::[:Armenian:] Armenian-Latin/BGN;"
    "::[:Greek:] Greek-Latin/UNGEGN;"
    "::[^[:Latin:][:Common:][:Inherited:]] Any-Latin;"
    "[\\u017E\\u017D] > zh;"  // ž Ž
    "[\\u0259\\u018F] > a;"   // ə Ə
    "::[[:Latin:]&[^\\u0000-\\u007F]] Latin-ASCII;";

// The transliterator built from kRomanisationRules, once per process. Only Romaniser() touches
// it, under its mutex, to clone it.
const icu::Transliterator& Prototype() {
  static const std::unique_ptr<icu::Transliterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    UParseError parse_error{};
    std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createFromRules(
        "whereabouts-names", icu::UnicodeString::fromUTF8(kRomanisationRules), UTRANS_FORWARD,
        parse_error, status));
    if (U_FAILURE(status) || t == nullptr) {
      throw std::runtime_error(std::string("cannot build the ICU transliterator for names (") +
                               u_errorName(status) + "): is ICU's data installed?");
    }
    return t;
  }();
  return *prototype;
}

// This thread's transliterator: a Transliterator must not be used by two threads at once, so each
// thread clones the prototype on its first non-ASCII name (about a millisecond, once).
icu::Transliterator& Romaniser() {
  thread_local std::unique_ptr<icu::Transliterator> mine;
  if (mine == nullptr) {
    static std::mutex clone_mutex;
    const std::lock_guard<std::mutex> lock(clone_mutex);
    mine.reset(Prototype().clone());
    if (mine == nullptr) throw std::runtime_error("cannot clone the ICU transliterator for names");
  }
  return *mine;
}

// ICU's NFC normaliser (a singleton of ICU's, thread-safe).
const icu::Normalizer2& Nfc() {
  static const icu::Normalizer2* nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status) || n == nullptr) {
      throw std::runtime_error(std::string("cannot load ICU's NFC data (") + u_errorName(status) +
                               ")");
    }
    return n;
  }();
  return *nfc;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

void Replace(std::string& s, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
}

// Our own merging, on Latin text: letters a-z only (lower-cased; everything else dropped), then
// the spellings that transliteration systems disagree on merged, then doubled letters single.
std::string MergeSpellings(std::string_view latin) {
  std::string s;
  s.reserve(latin.size());
  for (char c : latin) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') s += c;
  }
  // Longest first so that "shch" is not read as "sh" + "ch". "ye" before "y": BGN writes Егоров
  // and Андреев as Yegorov and Andreyev where other spellings have Egorov and Andreev.
  static const std::pair<const char*, const char*> kFolds[] = {
      {"shch", "s"}, {"sch", "s"}, {"ff", "v"},  {"tch", "c"}, {"dzh", "j"}, {"kh", "h"},
      {"zh", "j"},   {"sh", "s"},  {"ch", "c"},  {"ts", "c"},  {"tz", "c"},  {"ph", "f"},
      {"ou", "u"},   {"ye", "e"},  {"ya", "ia"}, {"yu", "iu"}, {"x", "h"},   {"q", "k"},
      {"w", "v"},    {"y", "i"},   {"j", "i"},
  };
  for (const auto& [from, to] : kFolds) Replace(s, from, to);
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (out.empty() || out.back() != c) out += c;
  }
  return out;
}

}  // namespace

namespace internal {

std::string FoldNameThroughIcu(std::string_view name) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  // NFC first: the rules see "Ž" and "Й" however they were typed (one code point or a letter and
  // a combining mark). An error can only come from a bad argument; the text is then used as is.
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString composed = Nfc().normalize(text, status);
  if (U_FAILURE(status)) composed = text;
  Romaniser().transliterate(composed);
  std::string latin;
  composed.toUTF8String(latin);
  return MergeSpellings(latin);
}

}  // namespace internal

std::string FoldName(std::string_view name) {
  // Pure ASCII needs no transliteration (ICU would only lower-case it): the common case stays
  // fast.
  if (IsAscii(name)) return MergeSpellings(name);
  return internal::FoldNameThroughIcu(name);
}

double NameSimilarity(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1;
  if (a.empty() || b.empty()) return 0;
  const int la = static_cast<int>(a.size());
  const int lb = static_cast<int>(b.size());
  const int window = std::max(0, std::max(la, lb) / 2 - 1);
  std::vector<char> ma(a.size(), 0), mb(b.size(), 0);
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    for (int j = std::max(0, i - window); j < std::min(lb, i + window + 1); ++j) {
      if (mb[j] || a[i] != b[j]) continue;
      ma[i] = mb[j] = 1;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0;
  int t = 0;
  for (int i = 0, j = 0; i < la; ++i) {
    if (!ma[i]) continue;
    while (!mb[j]) ++j;
    if (a[i] != b[j]) ++t;
    ++j;
  }
  const double m = matches;
  const double jaro = (m / la + m / lb + (m - t / 2.0) / m) / 3.0;
  int prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * 0.1 * (1 - jaro);
}

std::vector<DuplicateSuggestion> SuggestDuplicates(const std::vector<Person>& persons,
                                                   const DuplicateOptions& options) {
  struct Keyed {
    const Person* p;
    std::vector<std::pair<std::string, std::string>> names;  // (family, given) folded spellings
    std::string place;                                       // folded place of disappearance
  };
  std::map<char, std::vector<Keyed>> blocks;
  for (const Person& p : persons) {
    if (!p.Counted()) continue;
    Keyed k{&p, {}, FoldName(p.disappearance_place)};
    k.names.emplace_back(FoldName(p.family_name), FoldName(p.given_name));
    for (const auto& other : p.other_names) {
      // Another spelling is "Family Given" (the first word is the family name).
      const size_t sp = other.find(' ');
      k.names.emplace_back(FoldName(other.substr(0, sp)), sp == std::string::npos
                                                              ? k.names[0].second
                                                              : FoldName(other.substr(sp + 1)));
    }
    std::vector<char> keys;
    for (const auto& n : k.names) {
      const char c = n.first.empty() ? '_' : n.first[0];
      if (std::find(keys.begin(), keys.end(), c) == keys.end()) keys.push_back(c);
    }
    for (char c : keys) blocks[c].push_back(k);
  }
  std::map<std::pair<int64_t, int64_t>, DuplicateSuggestion> found;
  for (auto& [key, block] : blocks) {
    for (size_t i = 0; i < block.size(); ++i) {
      for (size_t j = i + 1; j < block.size(); ++j) {
        const Person& a = *block[i].p;
        const Person& b = *block[j].p;
        if (a.sex != Sex::kUnknown && b.sex != Sex::kUnknown && a.sex != b.sex) continue;
        double name = 0;
        for (const auto& na : block[i].names) {
          for (const auto& nb : block[j].names) {
            name = std::max(name, 0.6 * NameSimilarity(na.first, nb.first) +
                                      0.4 * NameSimilarity(na.second, nb.second));
          }
        }
        if (name < 0.75) continue;
        double score = 0.6 * name;
        std::string why =
            "names " + std::to_string(static_cast<int>(std::lround(name * 100))) + "%";
        if (a.birth_date && b.birth_date) {
          if (*a.birth_date == *b.birth_date) {
            score += 0.25;
            why += ", same birth date";
          } else if (a.birth_date->Year() == b.birth_date->Year()) {
            score += 0.15;
            why += ", same birth year";
          }
        } else {
          score += 0.08;
        }
        if (!a.disappearance_place.empty() && block[i].place == block[j].place) {
          score += 0.1;
          why += ", same place";
        }
        if (a.disappearance_date && a.disappearance_date == b.disappearance_date) {
          score += 0.05;
          why += ", same day";
        }
        if (score < options.threshold) continue;
        const auto ids = std::minmax(a.id.value, b.id.value);
        auto& s = found[{ids.first, ids.second}];
        if (score > s.score)
          s = DuplicateSuggestion{PersonId{ids.first}, PersonId{ids.second}, score, why};
      }
    }
  }
  std::vector<DuplicateSuggestion> out;
  out.reserve(found.size());
  for (auto& [k, s] : found) out.push_back(std::move(s));
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& x, const auto& y) { return x.score > y.score; });
  return out;
}

}  // namespace whereabouts::registry
