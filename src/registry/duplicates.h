// Likely duplicate persons: names compared across scripts and transliterations (folded to one
// Latin key), birth dates and places of disappearance. Suggestions only: a merge is an event
// (person.merged_into) that keeps both histories. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "registry/person.h"

namespace whereabouts::registry {

// Folds a name to a transliteration-independent key: Cyrillic to Latin, diacritics dropped,
// lower case, and spellings that transliteration systems disagree on merged
// (kh/x/h, q/k, w/v, y/j/i, sh/sch/ş/š, ch/tch/ç/č, ts/c, ph/f, ou/u, doubled letters).
[[nodiscard]] std::string FoldName(std::string_view name);

// Similarity of two strings in [0, 1] (Jaro-Winkler).
[[nodiscard]] double NameSimilarity(std::string_view a, std::string_view b);

struct DuplicateOptions {
  double threshold = 0.8;
};

struct DuplicateSuggestion {
  PersonId a;  // a < b
  PersonId b;
  double score = 0;
  std::string why;
};

// Pairs of counted persons scoring at least `threshold`, best first. Persons are compared within
// blocks (first letter of the folded family name), so the cost is far below all pairs.
[[nodiscard]] std::vector<DuplicateSuggestion> SuggestDuplicates(const std::vector<Person>& persons,
                                                                 const DuplicateOptions& options);

}  // namespace whereabouts::registry
