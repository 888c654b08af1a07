#include "demo/dna.h"

#include <map>
#include <set>
#include <string>

namespace whereabouts::demo {
namespace {

// How a family member relates to the family's missing person `m`.
std::string Relationship(const kinship::FamilyMember& r, const kinship::FamilyMember& m) {
  if (!m.father.empty() && r.id == m.father) return "father";
  if (!m.mother.empty() && r.id == m.mother) return "mother";
  if (r.father == m.id || r.mother == m.id) return "child";
  const bool same_father = !m.father.empty() && r.father == m.father;
  const bool same_mother = !m.mother.empty() && r.mother == m.mother;
  if (same_father && same_mother) return "sibling";
  if (same_father || same_mother) return "half-sibling";
  return "relative";
}

}  // namespace

DemoDna LinkSimulatedFamilies(const std::vector<registry::Event>& demo,
                              kinship::SimulatedScenario& scenario) {
  // Register persons still counted, by sex, in id order, with their registration date.
  std::map<int64_t, registry::Date> registered;
  std::vector<int64_t> males, females;
  std::set<int64_t> not_counted;
  for (const auto& e : demo) {
    if (e.type == "person.merged_into" || e.type == "person.withdrawn")
      not_counted.insert(e.entity_id);
  }
  for (const auto& e : demo) {
    if (e.type != "person.registered" || not_counted.count(e.entity_id)) continue;
    registered[e.entity_id] = e.recorded_on;
    (e.Get("sex") == "female" ? females : males).push_back(e.entity_id);
  }
  size_t next_male = 0, next_female = 0;
  DemoDna out;
  int consent = 0;
  for (kinship::Family& f : scenario.families) {
    const kinship::FamilyMember* missing = nullptr;
    int64_t person = 0;  // the register person of `missing`
    for (kinship::FamilyMember& m : f.members) {
      if (m.role != kinship::FamilyRole::kMissing) continue;
      auto& pool = m.sex == kinship::Sex::kFemale ? females : males;
      size_t& next = m.sex == kinship::Sex::kFemale ? next_female : next_male;
      if (next < pool.size()) {
        m.person = std::to_string(pool[next++]);
        ++out.linked;
        if (missing == nullptr) {
          missing = &m;
          person = pool[next - 1];
        }
      }
    }
    if (missing == nullptr) continue;
    for (const kinship::FamilyMember& r : f.members) {
      if (r.role != kinship::FamilyRole::kReference) continue;
      registry::Event e;
      e.kind = registry::EntityKind::kRelative;
      e.type = "relative.registered";
      e.recorded_on = registry::Date{registered[person].days + 30};
      e.actor = "demo";
      e.reason = "reference sample taken at a family visit";
      e.payload["person"] = missing->person;
      e.payload["name"] = "relative " + r.id + " of family " + f.id;
      e.payload["relationship"] = Relationship(r, *missing);
      e.payload["sample"] = r.sample;
      e.payload["consent"] = ++consent % 3 ? "identification" : "identification_and_court";
      out.relatives.push_back(std::move(e));
    }
  }
  return out;
}

}  // namespace whereabouts::demo
