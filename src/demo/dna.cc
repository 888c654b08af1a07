#include "demo/dna.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "app/families.h"
#include "app/remains.h"

namespace whereabouts::demo {
namespace {

const kinship::FamilyMember* Find(const kinship::Family& f, const std::string& id) {
  for (const auto& m : f.members) {
    if (!id.empty() && m.id == id) return &m;
  }
  return nullptr;
}

// How a family member relates to the family's missing person `m`: a word of
// app::RelationshipWords, or "" when none fits.
std::string Relationship(const kinship::Family& f, const kinship::FamilyMember& r,
                         const kinship::FamilyMember& m) {
  const bool male = r.sex == kinship::Sex::kMale;
  const bool female = r.sex == kinship::Sex::kFemale;
  auto by_sex = [&](const char* man, const char* woman, const char* unknown) -> std::string {
    return male ? man : female ? woman : unknown;
  };
  if (!m.father.empty() && r.id == m.father) return "father";
  if (!m.mother.empty() && r.id == m.mother) return "mother";
  if (r.father == m.id || r.mother == m.id) return by_sex("son", "daughter", "child");
  const bool same_father = !m.father.empty() && r.father == m.father;
  const bool same_mother = !m.mother.empty() && r.mother == m.mother;
  if (same_father && same_mother) return by_sex("brother", "sister", "sibling");
  if (same_father) return by_sex("paternal_half_brother", "paternal_half_sister", "");
  if (same_mother) return by_sex("maternal_half_brother", "maternal_half_sister", "");
  for (const char* side : {"paternal", "maternal"}) {
    const kinship::FamilyMember* parent =
        Find(f, std::string(side) == "paternal" ? m.father : m.mother);
    if (parent == nullptr) continue;
    if (r.id == parent->father) return std::string(side) + "_grandfather";
    if (r.id == parent->mother) return std::string(side) + "_grandmother";
    if (!parent->father.empty() && r.father == parent->father && r.mother == parent->mother) {
      return std::string(side) + by_sex("_uncle", "_aunt", "");
    }
  }
  return "";
}

std::string ProfileOf(const std::vector<kinship::Profile>& profiles, const std::string& sample) {
  for (const auto& p : profiles) {
    if (p.sample == sample) return app::ProfileText(p);
  }
  return "";
}

registry::Event Make(registry::EntityKind kind, int64_t id, const char* type, registry::Date on,
                     const char* reason) {
  registry::Event e;
  e.kind = kind;
  e.entity_id = id;
  e.type = type;
  e.recorded_on = on;
  e.actor = "demo";
  e.reason = reason;
  return e;
}

}  // namespace

DemoDna LinkSimulatedFamilies(const std::vector<registry::Event>& demo,
                              kinship::SimulatedScenario& scenario) {
  // Register persons with an open case, by sex, in id order, with their registration date.
  std::map<int64_t, registry::Date> registered;
  std::vector<int64_t> males, females;
  std::set<int64_t> not_open;
  for (const auto& e : demo) {
    if (e.type == "person.merged_into" || e.type == "person.withdrawn" ||
        e.type == "person.identified" || e.type == "person.found_alive") {
      not_open.insert(e.entity_id);
    }
  }
  for (const auto& e : demo) {
    if (e.type != "person.registered" || not_open.count(e.entity_id)) continue;
    registered[e.entity_id] = e.recorded_on;
    (e.Get("sex") == "female" ? females : males).push_back(e.entity_id);
  }
  size_t next_male = 0, next_female = 0;
  DemoDna out;
  int consent = 0;
  int64_t relative_id = 0;  // the demo without DNA has no relatives: ids from 1
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
      const registry::Date on{registered[person].days + 30};
      if (r.role == kinship::FamilyRole::kMissing && &r != missing && !r.person.empty()) {
        // A second missing person of the family (two missing brothers): in the register, a
        // relative of the first who is itself a missing person.
        registry::Event e;
        e.kind = registry::EntityKind::kRelative;
        e.entity_id = ++relative_id;
        e.type = "relative.registered";
        e.recorded_on = on;
        e.actor = "demo";
        e.reason = "the family's application names a second missing son";
        e.payload["person"] = missing->person;
        e.payload["name"] = "missing " + r.id + " of family " + f.id;
        const std::string word = Relationship(f, r, *missing);
        e.payload["relationship"] = word.empty() ? "other" : word;
        e.payload["sex"] = r.sex == kinship::Sex::kMale ? "male" : "female";
        e.payload["missing_person"] = r.person;
        e.payload["consent"] = "none";
        out.relatives.push_back(std::move(e));
        continue;
      }
      if (r.role != kinship::FamilyRole::kReference) continue;
      registry::Event e;
      e.kind = registry::EntityKind::kRelative;
      e.entity_id = ++relative_id;
      e.type = "relative.registered";
      e.recorded_on = on;
      e.actor = "demo";
      e.reason = "reference sample taken at a family visit";
      e.payload["person"] = missing->person;
      e.payload["name"] = "relative " + r.id + " of family " + f.id;
      const std::string word = Relationship(f, r, *missing);
      e.payload["relationship"] = word.empty() ? "other" : word;
      e.payload["sex"] = r.sex == kinship::Sex::kMale     ? "male"
                         : r.sex == kinship::Sex::kFemale ? "female"
                                                          : "unknown";
      e.payload["sample"] = r.sample;
      e.payload["holder"] = "Central forensic laboratory";
      e.payload["consent"] = ++consent % 3 ? "identification" : "identification_and_court";
      out.relatives.push_back(std::move(e));
      const std::string profile = ProfileOf(scenario.references, r.sample);
      if (!profile.empty()) {
        registry::Event p;
        p.kind = registry::EntityKind::kRelative;
        p.entity_id = relative_id;
        p.type = "relative.profile_recorded";
        p.recorded_on = on;
        p.actor = "demo";
        p.reason = "reference profile from the laboratory";
        p.payload["sample"] = r.sample;
        p.payload["profile"] = profile;
        p.payload["source"] = "references.tsv";
        out.reference_profiles.push_back(std::move(p));
      }
    }
  }

  // The register's remains: bags by label, graves (excavated sites) by id, the largest id.
  std::map<std::string, int64_t> remains_of_label;
  std::map<int64_t, registry::Date> recovered_on;  // remains id -> recorded date of recovery
  std::map<int64_t, registry::Date> excavated;     // site -> excavation date
  std::map<int64_t, std::string> site_kind;
  int64_t max_remains = 0;
  for (const auto& e : demo) {
    if (e.type == "remains.recovered") {
      remains_of_label[std::string(e.Get("label"))] = e.entity_id;
      recovered_on[e.entity_id] = e.recorded_on;
      max_remains = std::max(max_remains, e.entity_id);
    } else if (e.type == "site.excavated") {
      excavated.emplace(e.entity_id, e.recorded_on);
    }
  }
  // Simulated bags in order of first appearance are HB-001, HB-002, ...; simulated graves in
  // order are the register's excavated sites in id order, each body bag a new body recovered there.
  std::map<std::string, int64_t> remains_of_bag;
  std::map<std::string, int64_t> site_of_grave;
  std::vector<int64_t> graves;
  for (const auto& [site, on] : excavated) graves.push_back(site);
  int bags = 0, bodies = 0;
  std::map<int64_t, int> bodies_at;
  for (size_t i = 0; i < scenario.remains.size(); ++i) {
    const kinship::RemainsSample& s = scenario.remains[i];
    auto it = remains_of_bag.find(s.bag);
    if (it == remains_of_bag.end()) {
      int64_t id = 0;
      registry::Date on;
      if (s.site.empty()) {
        char label[32];
        std::snprintf(label, sizeof label, "HB-%03d", ++bags);
        auto found = remains_of_label.find(label);
        if (found == remains_of_label.end()) continue;  // more simulated bags than register ones
        id = found->second;
      } else {
        auto g = site_of_grave.find(s.site);
        if (g == site_of_grave.end()) {
          if (site_of_grave.size() >= graves.size()) continue;
          g = site_of_grave.emplace(s.site, graves[site_of_grave.size()]).first;
        }
        const int64_t site = g->second;
        id = max_remains + ++bodies;
        char label[32];
        std::snprintf(label, sizeof label, "S%lld-D%02d", static_cast<long long>(site),
                      ++bodies_at[site]);
        on = excavated[site];
        registry::Event r = Make(registry::EntityKind::kRemains, id, "remains.recovered", on,
                                 "recovery report: body bag from the excavation");
        r.payload["label"] = label;
        r.payload["remains_kind"] = "body";
        r.payload["site"] = std::to_string(site);
        r.payload["recovered_on"] = on.ToString();
        r.payload["holder"] = "Central forensic laboratory";
        r.payload["commingled"] = "0";
        out.remains.push_back(std::move(r));
        recovered_on[id] = on;
      }
      it = remains_of_bag.emplace(s.bag, id).first;
    }
    const int64_t id = it->second;
    // Sampled and typed a month after recovery (after the demo's own sampling of the item).
    const registry::Date on{recovered_on[id].days + 30};
    registry::Event sampled =
        Make(registry::EntityKind::kRemains, id, "remains.sampled", on, "sampling log");
    sampled.payload["sample"] = s.sample;
    out.remains.push_back(std::move(sampled));
    const std::string profile = i < scenario.remains_profiles.size()
                                    ? app::ProfileText(scenario.remains_profiles[i])
                                    : std::string();
    if (!profile.empty()) {
      registry::Event p = Make(registry::EntityKind::kRemains, id, "remains.profile_recorded", on,
                               "profile from the laboratory");
      p.payload["sample"] = s.sample;
      p.payload["profile"] = profile;
      p.payload["source"] = "remains-alleles.tsv";
      out.remains.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace whereabouts::demo
