// Likely duplicate persons: names compared across scripts and transliterations (folded to one
// Latin key), birth dates and places of disappearance. Suggestions only: a merge is an event
// (person.merged_into) that keeps both histories. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "registry/person.h"

namespace whereabouts::registry {

// Folds a name (UTF-8) to a transliteration-independent key of letters a-z: any script
// romanised by ICU (Cyrillic and Armenian by BGN/PCGN, Greek by UNGEGN, the others by ICU's
// Any-Latin), diacritics dropped, lower case, everything but letters dropped, then the spellings
// that transliteration systems disagree on merged (kh/x/h, q/k, w/v, ye/e, y/j/i, dzh/zh/j,
// sh/sch/ş/š, shch/s, ch/tch/ç/č, ts/tz/c, ph/f, ou/u, ž/zh) and doubled letters made single.
// Pure ASCII names skip ICU (same result, about 10x faster).
// Errors: throws std::runtime_error if ICU's transliteration data is missing (a broken
// installation; Debian's libicu72 has it built in).
// Thread-safe: each thread uses its own clone of one ICU transliterator.
[[nodiscard]] std::string FoldName(std::string_view name);

namespace internal {
// FoldName without the ASCII fast path, for tests that the two agree.
[[nodiscard]] std::string FoldNameThroughIcu(std::string_view name);
}  // namespace internal

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
// blocks (first letter of the folded family name), so the cost is far below all pairs; each name
// and place is folded once per person.
// Errors: as FoldName. Thread-safe (no shared state besides FoldName's).
[[nodiscard]] std::vector<DuplicateSuggestion> SuggestDuplicates(const std::vector<Person>& persons,
                                                                 const DuplicateOptions& options);

}  // namespace whereabouts::registry
