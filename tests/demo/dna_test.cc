// The demo's simulated families are linked to demo persons of the same sex that are still
// counted, and their references become relatives of the linked person.
#include "demo/dna.h"

#include <gtest/gtest.h>

#include "demo/demo.h"

namespace whereabouts::demo {
namespace {

registry::Event Registered(int64_t id, const char* sex, const char* on) {
  registry::Event e;
  e.kind = registry::EntityKind::kPerson;
  e.entity_id = id;
  e.type = "person.registered";
  e.recorded_on = *registry::Date::Parse(on);
  e.payload["sex"] = sex;
  return e;
}

kinship::FamilyMember Member(std::string id, kinship::Sex sex, kinship::FamilyRole role,
                             std::string father = "", std::string mother = "") {
  kinship::FamilyMember m;
  m.id = std::move(id);
  m.sex = sex;
  m.role = role;
  m.father = std::move(father);
  m.mother = std::move(mother);
  m.sample = m.role == kinship::FamilyRole::kReference ? "REF-" + m.id : "";
  return m;
}

TEST(DemoDnaTest, LinksSameSexCountedPersonsInIdOrder) {
  std::vector<registry::Event> demo = {Registered(1, "male", "2001-01-01"),
                                       Registered(2, "male", "2002-01-01"),
                                       Registered(3, "female", "2003-01-01"),
                                       Registered(4, "male", "2004-01-01")};
  registry::Event withdrawn;
  withdrawn.kind = registry::EntityKind::kPerson;
  withdrawn.entity_id = 1;
  withdrawn.type = "person.withdrawn";
  demo.push_back(withdrawn);

  kinship::SimulatedScenario scenario;
  using kinship::FamilyRole;
  using kinship::Sex;
  scenario.families.push_back(
      {"F1",
       {Member("f", Sex::kMale, FamilyRole::kReference), Member("m", Sex::kFemale, FamilyRole::kUntyped),
        Member("x", Sex::kMale, FamilyRole::kMissing, "f", "m"),
        Member("s", Sex::kFemale, FamilyRole::kReference, "f", "m")}});
  scenario.families.push_back({"F2",
                               {Member("y", Sex::kFemale, FamilyRole::kMissing),
                                Member("c", Sex::kMale, FamilyRole::kReference, "", "y")}});
  // No female left for this one: not linked, no relatives.
  scenario.families.push_back({"F3",
                               {Member("z", Sex::kFemale, FamilyRole::kMissing),
                                Member("d", Sex::kMale, FamilyRole::kReference, "", "z")}});

  const DemoDna dna = LinkSimulatedFamilies(demo, scenario);
  EXPECT_EQ(dna.linked, 2);
  EXPECT_EQ(scenario.families[0].members[2].person, "2");  // person 1 is withdrawn
  EXPECT_EQ(scenario.families[1].members[0].person, "3");
  EXPECT_EQ(scenario.families[2].members[0].person, "");
  ASSERT_EQ(dna.relatives.size(), 3u);
  EXPECT_EQ(dna.relatives[0].Get("person"), "2");
  EXPECT_EQ(dna.relatives[0].Get("relationship"), "father");
  EXPECT_EQ(dna.relatives[0].Get("sample"), "REF-f");
  EXPECT_EQ(dna.relatives[0].recorded_on, *registry::Date::Parse("2002-01-31"));
  EXPECT_EQ(dna.relatives[1].Get("relationship"), "sister");
  EXPECT_EQ(dna.relatives[2].Get("person"), "3");
  EXPECT_EQ(dna.relatives[2].Get("relationship"), "son");
  EXPECT_EQ(dna.relatives[2].type, "relative.registered");
}

}  // namespace
}  // namespace whereabouts::demo
