// Revocation of a confirmed identification (the case reopens from the revocation's recording date
// on; figures as of earlier dates do not change) and merges that keep every fact (property: the
// figures of a register with a merged duplicate equal those of a register where the person was
// recorded once with all the facts).
#include <gtest/gtest.h>

#include <map>

#include "app/identification_review.h"
#include "app/persons.h"
#include "app_test_util.h"

namespace whereabouts::app {
namespace {

using registry::CaseStatus;
using registry::PersonId;
using testing::D;

class RevokeTest : public testing::AppTest {};

int64_t Figure(registry::Registry& r, const char* key, registry::AsOf as_of = std::nullopt) {
  auto f = r.ComputeFigures(as_of, registry::AgeLimits{});
  EXPECT_TRUE(f) << f.error().ToString();
  return f ? f->Value(key) : -2;
}

TEST_F(RevokeTest, ARevokedIdentificationReopensTheCaseFromItsDateOn) {
  PersonDetails d;
  d.family_name = "Velani";
  d.sex = registry::Sex::kMale;
  ASSERT_TRUE(RegisterPerson(registry_, {Meta(), d}));
  auto p = ProposeIdentification(registry_,
                                 {Meta("clerk", "lab"), PersonId{1}, D("2024-04-20"), 0, "B-7"});
  ASSERT_TRUE(p) << p.error().ToString();
  // Not yet confirmed: nothing to revoke.
  auto early = RevokeIdentification(registry_, {Meta("reviewer", "wrong"), p->proposal, {}});
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(ConfirmIdentification(registry_, {Meta("reviewer", "DNA"), p->proposal, false}));
  clock_.Set(D("2024-05-03"));
  ASSERT_TRUE(
      SignOffIdentification(registry_, {Meta("supervisor", "checked"), p->proposal, false}));
  ASSERT_TRUE(UpdatePerson(
      registry_, {Meta(), PersonId{1}, "family_notified", {{"date", "2024-05-03"}}, std::nullopt}));
  EXPECT_EQ(Figure(registry_, "identified"), 1);
  EXPECT_EQ(Figure(registry_, "identified.notified"), 1);

  clock_.Set(D("2024-06-10"));
  auto no_reason = RevokeIdentification(registry_, {Meta("reviewer", ""), p->proposal, {}});
  ASSERT_FALSE(no_reason);
  const int64_t before = Events();
  auto r = RevokeIdentification(
      registry_, {Meta("reviewer", "second DNA test excludes him"), p->proposal, {}});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(Events(), before + 1);
  EXPECT_EQ(r->person.value, 1);
  auto v = GetPerson(store_, {PersonId{1}, std::nullopt, false});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->person.status, CaseStatus::kOpen);
  EXPECT_FALSE(v->person.identified_on);
  EXPECT_FALSE(v->person.family_notified_on);
  // Later figures show it; earlier ones do not change.
  EXPECT_EQ(Figure(registry_, "identified"), 0);
  EXPECT_EQ(Figure(registry_, "missing.status.open"), 1);
  EXPECT_EQ(Figure(registry_, "identified", D("2024-06-09")), 1);
  EXPECT_EQ(Figure(registry_, "identified.notified", D("2024-06-09")), 1);
  EXPECT_EQ(Figure(registry_, "missing.status.open", D("2024-06-09")), 0);
  auto list = ListProposals(registry_, {});
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].status, registry::ProposalStatus::kRevoked);
  EXPECT_EQ((*list)[0].revoked_by, "reviewer");
  // Once: a revoked proposal is not revoked again; the case can be identified anew.
  EXPECT_FALSE(RevokeIdentification(registry_, {Meta("reviewer", "again"), p->proposal, {}}));
  auto again = ProposeIdentification(registry_, {Meta("clerk", "lab"), PersonId{1}, {}, 0, "B-9"});
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_TRUE(ConfirmIdentification(registry_, {Meta("reviewer", "DNA"), again->proposal, false}));
  EXPECT_EQ(Figure(registry_, "identified"), 1);
}

// --- merge property -------------------------------------------------------------------------

// The facts of one person, some of which may be recorded on a duplicate record instead.
struct Facts {
  bool female = false;
  bool sex_known = true;
  bool civilian = true;
  bool captured = false;
  bool visited = false;
  bool dead = false;
  int relatives = 0;
};

struct Register {
  store::MemoryStore store;
  registry::PlanarGeometry geometry;
  registry::FixedClock clock{D("2024-05-01")};
  registry::Registry registry{store, geometry, clock};
};

WriteMeta M() { return WriteMeta{"clerk", "test", ""}; }

// Registers a person with `f`; the life events go to `on` (the record itself, or another one).
void Record(Register& r, int64_t id, const Facts& f, bool registration, bool life, bool kin) {
  if (registration) {
    PersonDetails d;
    d.family_name = "Velani";
    d.given_name = "Tomas";
    if (f.sex_known) d.sex = f.female ? registry::Sex::kFemale : registry::Sex::kMale;
    d.birth_date = D("1960-02-02");
    d.affiliation =
        f.civilian ? registry::Affiliation::kCivilian : registry::Affiliation::kServiceman;
    d.disappearance_date = D("1993-05-01");
    ASSERT_TRUE(RegisterPerson(r.registry, {M(), d}));
  }
  if (life && f.captured) {
    ASSERT_TRUE(UpdatePerson(r.registry, {M(),
                                          PersonId{id},
                                          "captured",
                                          {{"capture", f.civilian ? "hostage" : "prisoner_of_war"},
                                           {"capture_date", "1993-05-01"}},
                                          std::nullopt}));
    if (f.visited) {
      ASSERT_TRUE(UpdatePerson(
          r.registry, {M(), PersonId{id}, "icrc_visited", {{"date", "1993-08-01"}}, std::nullopt}));
    }
  }
  if (life && f.dead) {
    ASSERT_TRUE(UpdatePerson(r.registry, {M(),
                                          PersonId{id},
                                          "reported_dead",
                                          {{"death_date", "1994-01-01"},
                                           {"death_territory", "other_party"},
                                           {"death_locality", "Ostravel"}},
                                          std::nullopt}));
  }
  if (kin) {
    for (int k = 0; k < f.relatives; ++k) {
      ASSERT_TRUE(AddRelative(r.registry, {M(), PersonId{id}, "Velani Ana", "mother",
                                           "REF-" + std::to_string(k), Consent::kIdentification}));
    }
  }
}

std::map<std::string, int64_t> Values(Register& r) {
  auto f = r.registry.ComputeFigures(std::nullopt, registry::AgeLimits{});
  EXPECT_TRUE(f) << f.error().ToString();
  std::map<std::string, int64_t> out;
  if (!f) return out;
  for (const auto& row : f->rows) out[row.key] = row.value;
  EXPECT_TRUE(f->AllAddUp());
  return out;
}

TEST(MergeProperty, FiguresOfAMergedRegisterEqualThoseOfOneRecordWithAllFacts) {
  int cases = 0;
  for (int bits = 0; bits < 64; ++bits) {
    Facts f;
    f.female = bits & 1;
    f.sex_known = (bits & 2) == 0;
    f.civilian = (bits & 4) == 0;
    f.captured = bits & 8;
    f.visited = f.captured && (bits & 16);
    f.dead = bits & 32;
    f.relatives = bits % 3;
    for (const bool life_on_duplicate : {false, true}) {
      SCOPED_TRACE("facts " + std::to_string(bits) + (life_on_duplicate ? ", life on dup" : ""));
      // Once, with all the facts.
      Register once;
      Record(once, 1, f, true, true, true);
      // Twice: the duplicate (person 2) holds the capture, death and relatives or none of them;
      // then it is merged into person 1.
      Register twice;
      Record(twice, 1, f, true, !life_on_duplicate, !life_on_duplicate);
      Facts dup_facts = f;
      Record(twice, 2, dup_facts, true, life_on_duplicate, life_on_duplicate);
      auto m = MergePersons(twice.registry, {M(), PersonId{1}, PersonId{2}});
      ASSERT_TRUE(m) << m.error().ToString();
      EXPECT_TRUE(m->conflicts.empty());
      EXPECT_EQ(Values(twice), Values(once));
      auto rel = ListRelatives(twice.registry, PersonId{1});
      ASSERT_TRUE(rel);
      EXPECT_EQ(static_cast<int>(rel->size()), f.relatives);
      auto rel2 = ListRelatives(twice.registry, PersonId{2});
      ASSERT_TRUE(rel2);
      EXPECT_TRUE(rel2->empty());
      ++cases;
    }
  }
  EXPECT_EQ(cases, 128);
}

TEST(MergeProperty, NamesInEveryScriptAndConflictsAreKept) {
  Register r;
  PersonDetails a;
  a.family_name = "Velani";
  a.given_name = "Tomas";
  a.birth_date = D("1960-02-02");
  ASSERT_TRUE(RegisterPerson(r.registry, {M(), a}));
  PersonDetails b = a;
  b.family_name = "Velany";
  b.other_names = {"Велани Томас"};
  b.birth_date = D("1961-02-02");
  b.disappearance_place = "Lerin";
  b.icrc.birth_place = "Gorvan";
  b.icrc.identity_documents = {"passport AB123"};
  ASSERT_TRUE(RegisterPerson(r.registry, {M(), b}));
  auto m = MergePersons(r.registry, {M(), PersonId{1}, PersonId{2}});
  ASSERT_TRUE(m) << m.error().ToString();
  ASSERT_EQ(m->conflicts.size(), 1u);
  EXPECT_NE(m->conflicts[0].find("birth_date: 1960-02-02 here, 1961-02-02 in person 2"),
            std::string::npos);
  auto v = GetPerson(r.store, {PersonId{1}, std::nullopt, false});
  ASSERT_TRUE(v);
  EXPECT_EQ(v->person.other_names, (std::vector<std::string>{"Velany Tomas", "Велани Томас"}));
  EXPECT_EQ(v->person.birth_date, D("1960-02-02"));  // the kept record's value stays
  EXPECT_EQ(v->person.disappearance_place, "Lerin");
  EXPECT_EQ(v->person.icrc.birth_place, "Gorvan");
  EXPECT_EQ(v->person.icrc.identity_documents, (std::vector<std::string>{"passport AB123"}));
  // The conflicts stay in the history, on the merge event.
  auto dup = GetPerson(r.store, {PersonId{2}, std::nullopt, true});
  ASSERT_TRUE(dup);
  EXPECT_NE(dup->history.back().Get("conflicts").find("birth_date"), std::string::npos);
}

}  // namespace
}  // namespace whereabouts::app
