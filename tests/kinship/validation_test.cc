// Bad input is refused with an error that names the problem and where it is.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "io/frequency_tsv.h"
#include "kinship/lr.h"
#include "kinship/relationships.h"

namespace whereabouts::kinship {
namespace {

using ::testing::HasSubstr;

Individual I(std::string id, Sex s, std::string f = "", std::string m = "") {
  return Individual{std::move(id), s, std::move(f), std::move(m)};
}

TEST(PedigreeValidation, NamesTheIndividual) {
  struct Bad {
    std::vector<Individual> people;
    const char* message;
    const char* where;
  };
  const std::vector<Bad> cases = {
      {{I("A", Sex::kMale), I("A", Sex::kFemale)}, "id is used twice", "individual A"},
      {{I("A", Sex::kMale, "A", "M"), I("M", Sex::kFemale)}, "own parent", "individual A"},
      {{I("F", Sex::kFemale), I("M", Sex::kFemale), I("C", Sex::kMale, "F", "M")}, "is not male", "individual C"},
      {{I("F", Sex::kMale), I("M", Sex::kMale), I("C", Sex::kMale, "F", "M")}, "is not female", "individual C"},
      {{I("F", Sex::kMale), I("C", Sex::kMale, "F", "X")}, "mother 'X' is not in the pedigree", "individual C"},
      {{I("F", Sex::kMale), I("C", Sex::kMale, "F", "")}, "only one parent", "individual C"},
      {{I("A", Sex::kMale, "B", "M"), I("B", Sex::kMale, "A", "M"), I("M", Sex::kFemale)}, "own ancestor", "individual"},
  };
  for (const auto& c : cases) {
    auto p = Pedigree::Create(c.people);
    ASSERT_FALSE(p) << c.message;
    EXPECT_THAT(p.error().message, HasSubstr(c.message));
    EXPECT_THAT(p.error().field, HasSubstr(c.where));
  }
}

TEST(FrequencyValidation, SumMustBeOne) {
  auto db = io::ParseFrequencyTsv("marker\tallele\tfrequency\nTH01\t6\t0.5\nTH01\t7\t0.4\n", "f.tsv");
  ASSERT_FALSE(db);
  EXPECT_THAT(db.error().ToString(), HasSubstr("TH01"));
  EXPECT_THAT(db.error().ToString(), HasSubstr("sum to 0.9"));
  auto ok = io::ParseFrequencyTsv("marker\tallele\tfrequency\nTH01\t6\t0.5\nTH01\t9.3\t0.5000000001\n", "f.tsv");
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->Find("th01")->IndexOf("9.3"), 1);
  auto bad_number = io::ParseFrequencyTsv("marker\tallele\tfrequency\nTH01\t6\tabc\n", "f.tsv");
  ASSERT_FALSE(bad_number);
  EXPECT_THAT(bad_number.error().ToString(), HasSubstr("f.tsv:2"));
}

TEST(GenotypeParsing, RejectsThreeAllelesAndAcceptsPartials) {
  EXPECT_FALSE(ParseGenotype("12/13/14"));
  EXPECT_FALSE(ParseGenotype("12"));
  EXPECT_FALSE(ParseGenotype("12/1$"));
  auto partial = ParseGenotype("9.3/-");
  ASSERT_TRUE(partial);
  EXPECT_EQ(*partial->first, "9.3");
  EXPECT_FALSE(partial->second.has_value());
  auto untyped = ParseGenotype("-/-");
  ASSERT_TRUE(untyped);
  EXPECT_TRUE(untyped->untyped());
  EXPECT_EQ(*ParseGenotype("09/10.0")->first, "9");
  EXPECT_EQ(*ParseGenotype("09/10.0")->second, "10");
}

FrequencyDatabase SmallDb() {
  auto db = FrequencyDatabase::Create(
      {MarkerFrequencies{"TH01", {"6", "7", "8", "9.3"}, {0.1, 0.2, 0.3, 0.4}, {}, {}, 0}});
  return *db;
}

KinshipCase PairCase(const std::string& ga, const std::string& gb) {
  auto hyp = PairwiseHypotheses(Relationship::kParentChild, "A", Sex::kMale, "B", Sex::kMale);
  KinshipCase k;
  k.id = "t";
  k.markers = {"TH01"};
  k.h1 = hyp->h1;
  k.h2 = hyp->h2;
  k.genotypes["A"]["TH01"] = *ParseGenotype(ga);
  k.genotypes["B"]["TH01"] = *ParseGenotype(gb);
  return k;
}

TEST(ComputeLr, UnknownAlleleIsAnErrorUnlessAMinimumFrequencyIsSet) {
  const auto db = SmallDb();
  KinshipCase k = PairCase("6/10", "6/7");
  auto r = ComputeLr(k, db);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().ToString(), HasSubstr("allele 10"));
  EXPECT_THAT(r.error().ToString(), HasSubstr("marker TH01"));
  EXPECT_THAT(r.error().ToString(), HasSubstr("case t"));
  k.minimum_frequency = 0.01;
  r = ComputeLr(k, db);
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->per_marker[0].added_alleles, std::vector<std::string>{"10"});
  // Parent-child, shared allele 6 only: LR = 1 / (4 p6) with the rescaled p6 = 0.1 / 1.01.
  EXPECT_NEAR(r->lr, 1.0 / (4 * 0.1 / 1.01), 1e-12);
}

TEST(ComputeLr, UnknownMarkerIsNamed) {
  KinshipCase k = PairCase("6/7", "6/7");
  k.markers = {"TH01", "D99S999"};
  auto r = ComputeLr(k, SmallDb());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(r.error().ToString(), HasSubstr("D99S999"));
}

TEST(ComputeLr, SampleInOneHypothesisOnlyIsRefused) {
  KinshipCase k = PairCase("6/7", "6/7");
  k.h2.pop_back();
  auto r = ComputeLr(k, SmallDb());
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().ToString(), HasSubstr("sample B"));
}

TEST(ComputeLr, ImpossiblePedigreeIsRefused) {
  KinshipCase k = PairCase("6/7", "6/7");
  k.h1[0].individual.sex = Sex::kFemale;  // A is now both "father" and female
  k.h1[1].individual.sex = Sex::kFemale;
  auto r = ComputeLr(k, SmallDb());
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().ToString(), HasSubstr("h1"));
  EXPECT_THAT(r.error().ToString(), HasSubstr("is not male"));
}

TEST(ComputeLr, ClosedFormsOfPairwiseRelationships) {
  // One marker, A = 6/7, B = 6/8: closed forms with p6 = 0.1.
  const double p6 = 0.1;
  const auto db = SmallDb();
  struct Want {
    Relationship r;
    double lr;
  };
  // Kinship coefficients (k0, k1, k2): LR = k0 + k1 * (1/(4 p6)) for one shared allele.
  const double one = 1.0 / (4 * p6);
  for (const auto& w : std::vector<Want>{{Relationship::kParentChild, one},
                                         {Relationship::kFullSiblings, 0.25 + 0.5 * one},
                                         {Relationship::kHalfSiblings, 0.5 + 0.5 * one},
                                         {Relationship::kGrandparent, 0.5 + 0.5 * one},
                                         {Relationship::kAvuncular, 0.5 + 0.5 * one},
                                         {Relationship::kFirstCousins, 0.75 + 0.25 * one},
                                         {Relationship::kUnrelated, 1.0},
                                         {Relationship::kSamePerson, 0.0}}) {
    auto hyp = PairwiseHypotheses(w.r, "A", Sex::kMale, "B", Sex::kFemale);
    ASSERT_TRUE(hyp);
    KinshipCase k = PairCase("6/7", "6/8");
    k.h1 = hyp->h1;
    k.h2 = hyp->h2;
    auto r = ComputeLr(k, db);
    ASSERT_TRUE(r) << RelationshipName(w.r) << ": " << r.error().ToString();
    EXPECT_NEAR(r->lr, w.lr, 1e-12) << RelationshipName(w.r);
  }
}

}  // namespace
}  // namespace whereabouts::kinship
