// Pairwise relationships as shortcuts that build the two pedigrees of an LR: "A and B are related
// as R" (H1) against "A and B are unrelated" (H2). Untyped connecting individuals get ids that
// cannot clash with the two persons' ids ("A~father", ...).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "kinship/lr.h"

namespace whereabouts::kinship {

enum class Relationship {
  kParentChild,    // A is a parent of B
  kFullSiblings,
  kHalfSiblings,   // paternal half siblings
  kGrandparent,    // A is a grandparent of B
  kAvuncular,      // A is an uncle/aunt of B
  kFirstCousins,
  kSamePerson,     // B is the same individual as A (direct match)
  kUnrelated,
};

[[nodiscard]] Result<Relationship> ParseRelationship(std::string_view name);
[[nodiscard]] const char* RelationshipName(Relationship r);

struct PairHypotheses {
  std::vector<HypothesisPerson> h1;
  std::vector<HypothesisPerson> h2;
};

// H1: A and B related as `r`; H2: unrelated. Samples are the persons' own ids.
// Errors: kFailedPrecondition when the sexes cannot fit (A as father must be male only for
// parent-child with `a_sex` female -> A becomes the mother, so there is no sex error; persons with
// unknown sex are allowed except where they must be a parent in the structure, then they are
// placed as the parent of the matching sex or an error is returned).
[[nodiscard]] Result<PairHypotheses> PairwiseHypotheses(Relationship r, const std::string& a, Sex a_sex,
                                                        const std::string& b, Sex b_sex);

}  // namespace whereabouts::kinship
