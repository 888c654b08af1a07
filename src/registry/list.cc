#include "registry/list.h"

#include <map>

namespace whereabouts::registry {
namespace {

// The members behind both overloads of ListEntryFields, named once.
template <typename Entry>
auto FieldsOf(Entry& e) {
  return std::vector<decltype(&e.family_name)>{
      &e.family_name, &e.given_name,  &e.father_name, &e.other_names,        &e.sex,
      &e.birth,       &e.affiliation, &e.unit,        &e.disappearance_date, &e.disappearance_place,
      &e.capture};
}

}  // namespace

std::vector<std::string*> ListEntryFields(ListEntry& e) { return FieldsOf(e); }
std::vector<const std::string*> ListEntryFields(const ListEntry& e) { return FieldsOf(e); }

const std::vector<std::string>& ListColumns() {
  static const std::vector<std::string> kColumns = {
      "id",    "family_name", "given_name", "father_name",        "other_names",         "sex",
      "birth", "affiliation", "unit",       "disappearance_date", "disappearance_place", "capture"};
  return kColumns;
}

std::vector<ListEntry> PersonsSought(const std::vector<Person>& persons) {
  std::vector<ListEntry> out;
  for (const Person& p : persons) {
    if (!p.Counted() || p.status != CaseStatus::kOpen) continue;
    ListEntry e;
    e.id = p.id.value;
    e.family_name = p.family_name;
    e.given_name = p.given_name;
    e.father_name = p.father_name;
    for (const auto& n : p.other_names) e.other_names += (e.other_names.empty() ? "" : "|") + n;
    e.sex = std::string(Name(p.sex));
    if (p.birth_date) {
      e.birth = p.birth_date->ToString();
    } else if (p.birth_year_min || p.birth_year_max) {
      e.birth = std::to_string(p.birth_year_min.value_or(*p.birth_year_max)) + ".." +
                std::to_string(p.birth_year_max.value_or(*p.birth_year_min));
    }
    e.affiliation = std::string(Name(p.affiliation));
    e.unit = p.unit;
    e.disappearance_date = p.disappearance_date ? p.disappearance_date->ToString() : "";
    e.disappearance_place = p.disappearance_place;
    e.capture = std::string(Name(p.capture));
    out.push_back(std::move(e));
  }
  return out;
}

ListDiff DiffLists(const std::vector<ListEntry>& a, const std::vector<ListEntry>& b) {
  std::map<int64_t, const ListEntry*> in_a, in_b;
  for (const auto& e : a) in_a[e.id] = &e;
  for (const auto& e : b) in_b[e.id] = &e;
  ListDiff d;
  for (const auto& [id, e] : in_a) {
    auto it = in_b.find(id);
    if (it == in_b.end()) {
      d.removed.push_back(*e);
      continue;
    }
    if (*e == *it->second) continue;
    ListChange c;
    c.id = id;
    c.before = *e;
    c.after = *it->second;
    auto fa = ListEntryFields(*e);
    auto fb = ListEntryFields(*it->second);
    for (size_t k = 0; k < fa.size(); ++k) {
      if (*fa[k] != *fb[k]) c.fields.push_back(ListColumns()[k + 1]);
    }
    d.changed.push_back(std::move(c));
  }
  for (const auto& [id, e] : in_b) {
    if (!in_a.count(id)) d.added.push_back(*e);
  }
  return d;
}

}  // namespace whereabouts::registry
