#include "kinship/relationships.h"

namespace whereabouts::kinship {
namespace {

HypothesisPerson P(const std::string& id, Sex sex, const std::string& father = {},
                   const std::string& mother = {}) {
  return HypothesisPerson{Individual{id, sex, father, mother}, {}};
}

}  // namespace

Result<Relationship> ParseRelationship(std::string_view name) {
  static const std::pair<const char*, Relationship> kNames[] = {
      {"parent-child", Relationship::kParentChild}, {"full-siblings", Relationship::kFullSiblings},
      {"half-siblings", Relationship::kHalfSiblings}, {"grandparent", Relationship::kGrandparent},
      {"avuncular", Relationship::kAvuncular},       {"first-cousins", Relationship::kFirstCousins},
      {"same-person", Relationship::kSamePerson},    {"unrelated", Relationship::kUnrelated}};
  for (const auto& [n, r] : kNames) {
    if (name == n) return r;
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown relationship '" + std::string(name) +
                       "' (parent-child, full-siblings, half-siblings, grandparent, avuncular, "
                       "first-cousins, same-person, unrelated)");
}

const char* RelationshipName(Relationship r) {
  switch (r) {
    case Relationship::kParentChild: return "parent-child";
    case Relationship::kFullSiblings: return "full-siblings";
    case Relationship::kHalfSiblings: return "half-siblings";
    case Relationship::kGrandparent: return "grandparent";
    case Relationship::kAvuncular: return "avuncular";
    case Relationship::kFirstCousins: return "first-cousins";
    case Relationship::kSamePerson: return "same-person";
    case Relationship::kUnrelated: return "unrelated";
  }
  return "?";
}

Result<PairHypotheses> PairwiseHypotheses(Relationship r, const std::string& a, Sex a_sex,
                                          const std::string& b, Sex b_sex) {
  if (a == b) return MakeError(ErrorCode::kInvalidArgument, "the two persons need different ids");
  PairHypotheses out;
  out.h2 = {P(a, a_sex), P(b, b_sex)};
  const std::string fa = a + "~father", mo = a + "~mother";
  // Places `x` (of sex `s`) as one parent of a couple, the other parent untyped.
  auto couple = [](const std::string& x, Sex s, const std::string& other_id,
                   std::string* father, std::string* mother) -> Result<std::vector<HypothesisPerson>> {
    if (s == Sex::kFemale) {
      *father = other_id;
      *mother = x;
      return std::vector<HypothesisPerson>{P(other_id, Sex::kMale)};
    }
    if (s == Sex::kMale) {
      *father = x;
      *mother = other_id;
      return std::vector<HypothesisPerson>{P(other_id, Sex::kFemale)};
    }
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the sex of " + x + " must be known to place them as a parent");
  };
  switch (r) {
    case Relationship::kUnrelated:
      out.h1 = out.h2;
      break;
    case Relationship::kSamePerson:
      out.h1 = {HypothesisPerson{Individual{a, a_sex, {}, {}}, {a, b}}};
      break;
    case Relationship::kParentChild: {
      std::string f, m;
      WB_ASSIGN_OR_RETURN(auto extra, couple(a, a_sex, b + "~otherparent", &f, &m));
      out.h1 = {P(a, a_sex)};
      out.h1.insert(out.h1.end(), extra.begin(), extra.end());
      out.h1.push_back(P(b, b_sex, f, m));
      break;
    }
    case Relationship::kFullSiblings:
      out.h1 = {P(fa, Sex::kMale), P(mo, Sex::kFemale), P(a, a_sex, fa, mo), P(b, b_sex, fa, mo)};
      break;
    case Relationship::kHalfSiblings:
      out.h1 = {P(fa, Sex::kMale), P(mo, Sex::kFemale), P(b + "~mother", Sex::kFemale),
                P(a, a_sex, fa, mo), P(b, b_sex, fa, b + "~mother")};
      break;
    case Relationship::kGrandparent: {
      // A -> middle parent M (A's child) -> B.
      std::string f1, m1;
      const std::string mid = b + "~parent";
      WB_ASSIGN_OR_RETURN(auto extra1, couple(a, a_sex, a + "~spouse", &f1, &m1));
      out.h1 = {P(a, a_sex)};
      out.h1.insert(out.h1.end(), extra1.begin(), extra1.end());
      out.h1.push_back(P(mid, Sex::kMale, f1, m1));
      out.h1.push_back(P(b + "~mother", Sex::kFemale));
      out.h1.push_back(P(b, b_sex, mid, b + "~mother"));
      break;
    }
    case Relationship::kAvuncular: {
      // A and B's father are full siblings.
      const std::string bf = b + "~father", bm = b + "~mother";
      out.h1 = {P(fa, Sex::kMale), P(mo, Sex::kFemale), P(a, a_sex, fa, mo), P(bf, Sex::kMale, fa, mo),
                P(bm, Sex::kFemale), P(b, b_sex, bf, bm)};
      break;
    }
    case Relationship::kFirstCousins: {
      const std::string gf = a + "~grandfather", gm = a + "~grandmother";
      const std::string af = a + "~father", am = a + "~mother";
      const std::string bf = b + "~father", bm = b + "~mother";
      out.h1 = {P(gf, Sex::kMale), P(gm, Sex::kFemale), P(af, Sex::kMale, gf, gm), P(am, Sex::kFemale),
                P(bf, Sex::kMale, gf, gm), P(bm, Sex::kFemale), P(a, a_sex, af, am), P(b, b_sex, bf, bm)};
      break;
    }
  }
  return out;
}

}  // namespace whereabouts::kinship
