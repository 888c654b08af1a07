#include "registry/duplicates.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace whereabouts::registry {
namespace {

// Decodes one UTF-8 code point at s[i], advancing i. Invalid bytes decode as themselves.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + len > s.size()) len = 1;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  i += len;
  return cp;
}

// Latin spelling of a code point: ASCII lower case, Cyrillic transliterated, Latin diacritics
// dropped. Unknown letters map to "".
const char* Latin(uint32_t cp, char* buf) {
  if (cp < 0x80) {
    char c = static_cast<char>(cp);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c >= 'a' && c <= 'z') {
      buf[0] = c;
      buf[1] = 0;
      return buf;
    }
    return "";
  }
  // Cyrillic: А..я (0x410..0x44f) and ё, plus a few letters of other alphabets in that block.
  static const char* kCyr[] = {"a",  "b",  "v",  "g",    "d", "e", "zh", "z", "i",  "i", "k",
                               "l",  "m",  "n",  "o",    "p", "r", "s",  "t", "u",  "f", "kh",
                               "ts", "ch", "sh", "shch", "",  "y", "",   "e", "yu", "ya"};
  if (cp >= 0x410 && cp <= 0x42f) return kCyr[cp - 0x410];
  if (cp >= 0x430 && cp <= 0x44f) return kCyr[cp - 0x430];
  if (cp == 0x401 || cp == 0x451) return "e";
  if (cp == 0x4d8 || cp == 0x4d9) return "a";  // schwa
  if (cp == 0x492 || cp == 0x493) return "g";
  if (cp == 0x49a || cp == 0x49b) return "k";
  if (cp == 0x4ae || cp == 0x4af) return "u";
  if (cp == 0x4e8 || cp == 0x4e9) return "o";
  if (cp == 0x4ba || cp == 0x4bb) return "h";
  // Latin-1 supplement and Latin Extended-A/B letters commonly met in names.
  switch (cp) {
    case 0xe0:
    case 0xe1:
    case 0xe2:
    case 0xe3:
    case 0xe4:
    case 0xe5:
    case 0x259:
    case 0x18f:
    case 0xc0:
    case 0xc1:
    case 0xc2:
    case 0xc3:
    case 0xc4:
    case 0xc5:
    case 0x101:
    case 0x100:
      return "a";
    case 0xe7:
    case 0xc7:
    case 0x10d:
    case 0x10c:
    case 0x107:
    case 0x106:
      return "ch";
    case 0xe8:
    case 0xe9:
    case 0xea:
    case 0xeb:
    case 0xc8:
    case 0xc9:
    case 0xca:
    case 0xcb:
    case 0x113:
    case 0x112:
    case 0x11b:
    case 0x11a:
      return "e";
    case 0xec:
    case 0xed:
    case 0xee:
    case 0xef:
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf:
    case 0x131:
    case 0x130:
    case 0x12b:
    case 0x12a:
      return "i";
    case 0xf1:
    case 0xd1:
    case 0x148:
    case 0x147:
      return "n";
    case 0xf2:
    case 0xf3:
    case 0xf4:
    case 0xf5:
    case 0xf6:
    case 0xf8:
    case 0xd2:
    case 0xd3:
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd8:
    case 0x151:
    case 0x150:
      return "o";
    case 0xf9:
    case 0xfa:
    case 0xfb:
    case 0xfc:
    case 0xd9:
    case 0xda:
    case 0xdb:
    case 0xdc:
    case 0x16b:
    case 0x16a:
    case 0x16f:
    case 0x16e:
      return "u";
    case 0xfd:
    case 0xff:
    case 0xdd:
      return "y";
    case 0x11f:
    case 0x11e:
      return "g";
    case 0x15f:
    case 0x15e:
    case 0x161:
    case 0x160:
    case 0x15b:
    case 0x15a:
      return "sh";
    case 0x17e:
    case 0x17d:
      return "zh";
    case 0x17a:
    case 0x179:
    case 0x17c:
    case 0x17b:
      return "z";
    case 0xdf:
      return "ss";
    default:
      return "";
  }
}

bool Replace(std::string& s, std::string_view from, std::string_view to) {
  bool any = false;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
    any = true;
  }
  return any;
}

}  // namespace

std::string FoldName(std::string_view name) {
  std::string s;
  char buf[4];
  for (size_t i = 0; i < name.size();) s += Latin(NextCodePoint(name, i), buf);
  // Longest first so that "shch" is not read as "sh" + "ch".
  static const std::pair<const char*, const char*> kFolds[] = {
      {"shch", "s"}, {"sch", "s"}, {"ff", "v"}, {"tch", "c"}, {"dzh", "j"},
      {"kh", "h"},   {"zh", "j"},  {"sh", "s"}, {"ch", "c"},  {"ts", "c"},
      {"tz", "c"},   {"ph", "f"},  {"ou", "u"}, {"ya", "ia"}, {"yu", "iu"},
      {"x", "h"},    {"q", "k"},   {"w", "v"},  {"y", "i"},   {"j", "i"},
  };
  for (const auto& [from, to] : kFolds) Replace(s, from, to);
  std::string out;
  for (char c : s) {
    if (out.empty() || out.back() != c) out += c;
  }
  return out;
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
  };
  std::map<char, std::vector<Keyed>> blocks;
  for (const Person& p : persons) {
    if (!p.Counted()) continue;
    Keyed k{&p, {}};
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
        if (!a.disappearance_place.empty() &&
            FoldName(a.disappearance_place) == FoldName(b.disappearance_place)) {
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
