#include "app/families.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "app/remains.h"
#include "kinship/genotype.h"
#include "kinship/pedigree.h"
#include "registry/record_rules.h"

namespace whereabouts::app {
namespace {

using kinship::Sex;

Sex SexOf(std::string_view text) {
  if (text == "male") return Sex::kMale;
  if (text == "female") return Sex::kFemale;
  return Sex::kUnknown;
}

// The pedigree under construction: individuals by id, in the order they were added.
class Builder {
 public:
  kinship::FamilyMember& Add(const std::string& id, Sex sex) {
    auto it = index_.find(id);
    if (it != index_.end()) return members_[it->second];
    index_[id] = members_.size();
    kinship::FamilyMember m;
    m.id = id;
    m.sex = sex;
    m.role = kinship::FamilyRole::kUntyped;
    members_.push_back(std::move(m));
    return members_.back();
  }
  kinship::FamilyMember* Find(const std::string& id) {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &members_[it->second];
  }
  // Gives `child` both parents (an untyped one where the slot's id is not yet an individual);
  // with `keep`, parents it already has stay (recorded parents win over implied ones).
  void SetParents(const std::string& child, const std::string& father, const std::string& mother,
                  bool keep = false) {
    if (keep) {
      kinship::FamilyMember* c = Find(child);
      if (c != nullptr && (!c->father.empty() || !c->mother.empty())) return;
    }
    Add(father, Sex::kMale);
    Add(mother, Sex::kFemale);
    kinship::FamilyMember* c = Find(child);
    c->father = father;
    c->mother = mother;
  }
  std::vector<kinship::FamilyMember> Take() { return std::move(members_); }

 private:
  std::vector<kinship::FamilyMember> members_;
  std::map<std::string, size_t> index_;
};

}  // namespace

const std::vector<std::string_view>& RelationshipWords() {
  return registry::PedigreeRelationshipWords();
}

Result<std::string> ParseRelationshipWord(std::string_view text) {
  const std::string w = registry::NormaliseRelationship(text);
  for (std::string_view known : RelationshipWords()) {
    if (w == known) return w;
  }
  if (w == "sibling" || w == "child" || w == "parent") return w;  // words of older records
  std::string list;
  for (std::string_view known : RelationshipWords()) {
    list += (list.empty() ? "" : ", ") + std::string(known);
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   "unknown relationship '" + std::string(text) + "' (one of: " + list + ")",
                   "relationship");
}

std::string_view SexOfRelationship(std::string_view w) {
  for (std::string_view m :
       {"father", "son", "brother", "paternal_half_brother", "maternal_half_brother",
        "paternal_grandfather", "maternal_grandfather", "paternal_uncle", "maternal_uncle"}) {
    if (w == m) return "male";
  }
  for (std::string_view f :
       {"mother", "daughter", "sister", "paternal_half_sister", "maternal_half_sister",
        "paternal_grandmother", "maternal_grandmother", "paternal_aunt", "maternal_aunt"}) {
    if (w == f) return "female";
  }
  return "";
}

std::string FamilyIdOf(registry::PersonId person) { return "F" + std::to_string(person.value); }

Result<FamilyPedigree> BuildFamilyPedigree(const registry::Person& missing,
                                           const std::vector<PedigreeRelative>& relatives) {
  FamilyPedigree out;
  out.family.id = FamilyIdOf(missing.id);
  const Sex missing_sex = missing.sex == registry::Sex::kMale     ? Sex::kMale
                          : missing.sex == registry::Sex::kFemale ? Sex::kFemale
                                                                  : Sex::kUnknown;
  Builder b;
  b.Add("M", missing_sex);
  b.Find("M")->role = kinship::FamilyRole::kMissing;
  b.Find("M")->person = std::to_string(missing.id.value);

  const auto rid = [](int64_t id) { return "R" + std::to_string(id); };
  // Slots around the missing person, filled by the relative who is that person, else untyped.
  std::map<std::string, std::string> slot;  // "father", "paternal_grandfather", ... -> id
  std::map<int64_t, std::string> word_of;   // relative -> its relationship word
  std::map<int64_t, Sex> sex_of;
  std::set<int64_t> known;  // relatives of this family (parent references must be among them)
  for (const PedigreeRelative& pr : relatives) known.insert(pr.relative.id);

  // First pass: words, sexes and the slots relatives fill.
  for (const PedigreeRelative& pr : relatives) {
    const registry::Relative& r = pr.relative;
    auto word = ParseRelationshipWord(r.relationship);
    const bool explicit_parents = !r.father.empty() || !r.mother.empty();
    if (!word) {
      if (!explicit_parents) {
        out.left_out[r.id] = "relationship '" + r.relationship +
                             "' cannot be placed in a pedigree; record the relative's sex and "
                             "parents";
        continue;
      }
      word = std::string("other");
    }
    const std::string_view implied = SexOfRelationship(*word);
    if (!r.sex.empty() && r.sex != "unknown" && !implied.empty() && r.sex != implied) {
      out.left_out[r.id] = "recorded sex " + r.sex + " contradicts the relationship " + *word;
      continue;
    }
    Sex sex = SexOf(!r.sex.empty() && r.sex != "unknown" ? std::string_view(r.sex) : implied);
    if (*word == "spouse") {
      if (missing_sex == Sex::kUnknown) {
        out.left_out[r.id] = "a spouse is placed only when the missing person's sex is recorded";
        continue;
      }
      const Sex partner = missing_sex == Sex::kMale ? Sex::kFemale : Sex::kMale;
      if (sex != Sex::kUnknown && sex != partner) {
        out.left_out[r.id] =
            "a spouse of the same sex as the missing person cannot be the other "
            "parent of the missing person's children";
        continue;
      }
      sex = partner;
    }
    if (*word == "parent" && sex != Sex::kUnknown) word = sex == Sex::kMale ? "father" : "mother";
    if (*word == "parent") {
      out.left_out[r.id] = "a parent of unknown sex cannot be placed; record the relative's sex";
      continue;
    }
    if ((*word == "son" || *word == "daughter" || *word == "child") && !explicit_parents &&
        missing_sex == Sex::kUnknown) {
      out.left_out[r.id] =
          "a child is placed only when the missing person's sex is recorded (or the child's "
          "father and mother are)";
      continue;
    }
    static const std::set<std::string> kSlots = {"father",
                                                 "mother",
                                                 "paternal_grandfather",
                                                 "paternal_grandmother",
                                                 "maternal_grandfather",
                                                 "maternal_grandmother",
                                                 "spouse"};
    if (kSlots.count(*word)) {
      auto [it, fresh] = slot.emplace(*word, rid(r.id));
      if (!fresh) {
        out.left_out[r.id] = "a second " + *word + " of the missing person (relative " +
                             it->second.substr(1) + " is recorded as " + *word + ")";
        continue;
      }
    }
    word_of[r.id] = *word;
    sex_of[r.id] = sex;
  }
  const auto slot_id = [&](const std::string& name) {
    auto it = slot.find(name);
    if (it != slot.end()) return it->second;
    static const std::map<std::string, std::string> kUntyped = {
        {"father", "M~father"},
        {"mother", "M~mother"},
        {"paternal_grandfather", "M~father~father"},
        {"paternal_grandmother", "M~father~mother"},
        {"maternal_grandfather", "M~mother~father"},
        {"maternal_grandmother", "M~mother~mother"},
        {"spouse", "M~partner"}};
    return kUntyped.at(name);
  };
  // Relatives become individuals (in the order given), then parents are linked.
  for (const PedigreeRelative& pr : relatives) {
    if (!word_of.count(pr.relative.id)) continue;
    kinship::FamilyMember& m = b.Add(rid(pr.relative.id), sex_of[pr.relative.id]);
    if (pr.relative.missing_person > 0) {
      // Itself a missing person of the register (a second missing brother): sought, not typed.
      m.role = kinship::FamilyRole::kMissing;
      m.person = std::to_string(pr.relative.missing_person);
    } else if (!pr.sample.empty()) {
      m.role = kinship::FamilyRole::kReference;
      m.sample = pr.sample;
    }
  }
  const auto parents_of_missing = [&] { b.SetParents("M", slot_id("father"), slot_id("mother")); };
  const auto parents_of_father = [&] {
    parents_of_missing();
    b.SetParents(slot_id("father"), slot_id("paternal_grandfather"),
                 slot_id("paternal_grandmother"), /*keep=*/true);
  };
  const auto parents_of_mother = [&] {
    parents_of_missing();
    b.SetParents(slot_id("mother"), slot_id("maternal_grandfather"),
                 slot_id("maternal_grandmother"), /*keep=*/true);
  };
  const auto parent_ref = [&](const std::string& ref, int64_t self,
                              std::string* id) -> std::optional<std::string> {
    // "" ok; else the reason it is not a member of this family.
    if (ref.rfind("person:", 0) == 0) {
      if (ref != "person:" + std::to_string(missing.id.value)) {
        return "parent " + ref + " is not the missing person of this family";
      }
      *id = "M";
      return std::nullopt;
    }
    const std::string num = ref.substr(ref.find(':') + 1);
    int64_t other = std::atoll(num.c_str());
    if (!known.count(other) || !word_of.count(other) || other == self) {
      return "parent " + ref + " is not a relative placed in this family";
    }
    *id = rid(other);
    return std::nullopt;
  };
  for (const PedigreeRelative& pr : relatives) {
    const registry::Relative& r = pr.relative;
    auto w = word_of.find(r.id);
    if (w == word_of.end()) continue;
    const std::string id = rid(r.id);
    const std::string& word = w->second;
    // The links to the missing person that the word makes (also for a relative whose own
    // parents are recorded: a father with recorded parents is still the father).
    if (word == "father" || word == "mother") parents_of_missing();
    if (word == "paternal_grandfather" || word == "paternal_grandmother") parents_of_father();
    if (word == "maternal_grandfather" || word == "maternal_grandmother") parents_of_mother();
    if (!r.father.empty() || !r.mother.empty()) {
      std::string father = id + "~father", mother = id + "~mother";
      std::optional<std::string> bad;
      if (!r.father.empty()) bad = parent_ref(r.father, r.id, &father);
      if (!bad && !r.mother.empty()) bad = parent_ref(r.mother, r.id, &mother);
      if (bad) {
        out.left_out[r.id] = *bad;
        continue;
      }
      b.SetParents(id, father, mother);
    } else if (word == "brother" || word == "sister" || word == "sibling") {
      parents_of_missing();
      b.SetParents(id, slot_id("father"), slot_id("mother"));
    } else if (word == "paternal_half_brother" || word == "paternal_half_sister") {
      parents_of_missing();
      b.SetParents(id, slot_id("father"), id + "~mother");
    } else if (word == "maternal_half_brother" || word == "maternal_half_sister") {
      parents_of_missing();
      b.SetParents(id, id + "~father", slot_id("mother"));
    } else if (word == "son" || word == "daughter" || word == "child") {
      if (missing_sex == Sex::kMale) {
        b.SetParents(id, "M", slot_id("spouse"));
      } else {
        b.SetParents(id, slot_id("spouse"), "M");
      }
    } else if (word == "paternal_uncle" || word == "paternal_aunt") {
      parents_of_father();
      b.SetParents(id, slot_id("paternal_grandfather"), slot_id("paternal_grandmother"));
    } else if (word == "maternal_uncle" || word == "maternal_aunt") {
      parents_of_mother();
      b.SetParents(id, slot_id("maternal_grandfather"), slot_id("maternal_grandmother"));
    } else if (word == "other") {
      out.left_out[r.id] = "relationship other needs the relative's father and mother";
    }
  }
  std::vector<kinship::FamilyMember> members = b.Take();
  // Relatives left out in the second pass are dropped unless another member names them as a
  // parent (then they stay, untyped and unconnected above).
  std::set<std::string> parents;
  for (const auto& m : members) {
    parents.insert(m.father);
    parents.insert(m.mother);
  }
  for (const auto& m : members) {
    const bool relative = m.id.size() > 1 && m.id[0] == 'R' && m.id.find('~') == std::string::npos;
    if (relative && out.left_out.count(std::atoll(m.id.c_str() + 1)) && !parents.count(m.id)) {
      continue;
    }
    out.family.members.push_back(m);
  }
  std::vector<kinship::Individual> individuals;
  for (const auto& m : out.family.members) {
    individuals.push_back(kinship::Individual{m.id, m.sex, m.father, m.mother});
  }
  auto valid = kinship::Pedigree::Create(std::move(individuals));
  if (!valid) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "the family of person " + std::to_string(missing.id.value) +
                         " is not a valid pedigree: " + valid.error().message,
                     "relatives");
  }
  return out;
}

}  // namespace whereabouts::app
